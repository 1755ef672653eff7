package dev.envforge.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The hand-written build context of the smoke test ({@code e2e/smoke/Dockerfile}): a venv in {@code /opt/venv}
 * and {@code pip install --no-deps --require-hashes} of pinned test packages from an index, reading index
 * credentials from {@code /run/secrets/envforge/netrc} when that file is mounted.
 */
public final class SmokeBuildContext {
  private SmokeBuildContext() {}

  /** Writes Dockerfile and requirements.txt (every package pinned with both hashes) into the folder. */
  public static Path write(Path directory, String baseImage, String indexUrl, List<TestWheels.TestPackage> packages) {
    try (InputStream in = SmokeBuildContext.class.getResourceAsStream("/e2e/smoke/Dockerfile")) {
      String dockerfile = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      Files.createDirectories(directory);
      Files.writeString(directory.resolve("Dockerfile"),
          dockerfile.replace("@BASE_IMAGE@", baseImage).replace("@INDEX_URL@", indexUrl));
      StringBuilder requirements = new StringBuilder();
      packages.forEach(p -> requirements.append(p.hashedRequirement()).append('\n'));
      Files.writeString(directory.resolve("requirements.txt"), requirements);
      return directory;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
