package dev.envforge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** How {@link AssembleJobExecutor} stands in for the envforge image and the Pod's file system. */
class AssembleJobExecutorTest {
  static final Path ROOT = Path.of("/work/pod/root");
  static final List<String> POD_PATHS = List.of("/etc/envforge/registry-ca", "/etc/envforge/docker", "/workspace",
      "/tmp");

  @Test
  void podPathsInArgsAndEnvironmentMoveUnderTheRootAndNothingElseDoes() {
    assertThat(AssembleJobExecutor.mapValue("/workspace", POD_PATHS, ROOT)).isEqualTo("/work/pod/root/workspace");
    assertThat(AssembleJobExecutor.mapValue("--registry-ca=/etc/envforge/registry-ca/ca.crt", POD_PATHS, ROOT))
        .isEqualTo("--registry-ca=/work/pod/root/etc/envforge/registry-ca/ca.crt");
    assertThat(AssembleJobExecutor.mapValue("-XX:-UsePerfData -Djava.io.tmpdir=/tmp", POD_PATHS, ROOT))
        .isEqualTo("-XX:-UsePerfData -Djava.io.tmpdir=/work/pod/root/tmp");
    for (String unchanged : List.of("--to=127.0.0.1:5000/team/app:ef-1", "--index-url=http://127.0.0.1:8/simple",
        "/workspaces", "/tmpfile", "--lock=uv.lock", "assemble", "/etc/envforge")) {
      assertThat(AssembleJobExecutor.mapValue(unchanged, POD_PATHS, ROOT)).as(unchanged).isEqualTo(unchanged);
    }
  }

  @Test
  void theEmulatedImageHasTheEntrypointAndEnvironmentOfTheEnvforgeDockerfile() throws Exception {
    String dockerfile = Files.readString(Path.of("Dockerfile"));
    assertThat(dockerfile).contains("ENTRYPOINT [\"java\", \"-jar\", \"" + AssembleJobExecutor.ENTRYPOINT_JAR
        + "\"]");
    Matcher env = Pattern.compile("(?m)^ENV JAVA_TOOL_OPTIONS=\"([^\"]*)\" \\\\\\n\\s+HOME=(\\S+)$")
        .matcher(dockerfile);
    assertThat(env.find()).as("the runtime stage's ENV in operator/Dockerfile").isTrue();
    assertThat(AssembleJobExecutor.IMAGE_ENV).containsEntry("JAVA_TOOL_OPTIONS", env.group(1))
        .containsEntry("HOME", env.group(2)).hasSize(2);
  }
}
