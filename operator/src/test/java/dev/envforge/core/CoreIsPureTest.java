package dev.envforge.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The core runs on a laptop and in CI without a cluster: it must not depend on Kubernetes or the operator. */
class CoreIsPureTest {
  static final Path CORE = Path.of(System.getProperty("envforge.repoRoot", ".."))
      .resolve("operator/src/main/java/dev/envforge/core");
  static final List<String> FORBIDDEN = List.of("import io.fabric8.", "import io.javaoperatorsdk.",
      "import dev.envforge.operator.", "import dev.envforge.api.", "import dev.envforge.cli.",
      "import io.micrometer.");

  @Test
  void noCoreSourceImportsKubernetesTheOperatorOrTheApiTypes() throws IOException {
    List<Path> sources;
    try (Stream<Path> walk = Files.walk(CORE)) {
      sources = walk.filter(p -> p.toString().endsWith(".java")).toList();
    }
    assertThat(sources).hasSizeGreaterThan(50);
    for (Path source : sources) {
      String text = Files.readString(source);
      for (String forbidden : FORBIDDEN) {
        assertThat(text).as("%s must not %s…", CORE.relativize(source), forbidden).doesNotContain(forbidden);
      }
    }
  }
}
