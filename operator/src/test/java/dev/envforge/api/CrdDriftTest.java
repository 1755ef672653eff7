package dev.envforge.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Fails the build when a committed copy of the CRD differs from the one generated from the Java types. With
 * {@code -Denvforge.updateCrds=true} it rewrites the copies instead, so updating them is one command.
 */
class CrdDriftTest {

  static final String UPDATE_COMMAND =
      "mvn -B -pl operator test -Dtest=CrdDriftTest -Denvforge.updateCrds=true";

  @Test
  void committedCrdsEqualTheGeneratedOnes() throws IOException {
    for (String fileName : GeneratedCrd.FILE_NAMES) {
      check(fileName);
    }
  }

  private static void check(String fileName) throws IOException {
    byte[] generated = GeneratedCrd.bytes(fileName);
    boolean update = Boolean.getBoolean("envforge.updateCrds");

    List<String> stale = new ArrayList<>();
    for (Path copy : GeneratedCrd.committedCopies(fileName)) {
      boolean same = Files.exists(copy) && Arrays.equals(Files.readAllBytes(copy), generated);
      if (same) {
        continue;
      }
      if (update) {
        Files.createDirectories(copy.getParent());
        Files.write(copy, generated);
      } else {
        stale.add(GeneratedCrd.repoRoot().relativize(copy) + (Files.exists(copy) ? " differs" : " is missing"));
      }
    }

    if (!stale.isEmpty()) {
      fail("The committed CRD no longer matches the API types:\n  " + String.join("\n  ", stale)
          + "\nRegenerate the copies with:\n  " + UPDATE_COMMAND
          + "\nthen review `git diff crds/ helm/` and commit.");
    }
    for (Path copy : GeneratedCrd.committedCopies(fileName)) {
      assertThat(copy).exists().hasBinaryContent(generated);
    }
  }
}
