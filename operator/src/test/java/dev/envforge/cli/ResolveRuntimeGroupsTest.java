package dev.envforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.envforge.e2e.LockedTestProjects;
import dev.envforge.e2e.TestWheels;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code envforge resolve --runtime-groups}: the runtime packages shown apart from the image's, text and JSON. */
class ResolveRuntimeGroupsTest {
  static final TestWheels WHEELS = TestWheels.create();
  static final URI INDEX = URI.create("http://127.0.0.1:8765/simple/");

  @Test
  void textShowsTheRuntimePackagesAfterTheImagesWithTheSameTag(@TempDir Path dir) {
    LockedTestProjects.writeUv(dir, WHEELS, INDEX, LockedTestProjects.Options.standard());
    CliRunner.Result plain = CliRunner.run("resolve", dir.toString());
    CliRunner.Result runtime = CliRunner.run("resolve", dir.toString(), "--runtime-groups", "dev");

    assertThat(runtime.exitCode()).as(runtime.err()).isZero();
    assertThat(runtime.out()).startsWith(plain.out());
    assertThat(runtime.out().substring(plain.out().length())).isEqualTo("""
        # runtime groups dev: installed when a container starts, not in the image or its tag
        epsilon==3.0  registry http://127.0.0.1:8765/simple  # runtime
        # 1 runtime package
        """);
  }

  @Test
  void jsonHasARuntimeObjectWithTheRequirementsAPodInstalls(@TempDir Path dir) throws Exception {
    LockedTestProjects.writePoetry(dir, WHEELS, INDEX, LockedTestProjects.Options.standard());
    CliRunner.Result plain = CliRunner.run("resolve", dir.toString(), "--json");
    CliRunner.Result result = CliRunner.run("resolve", dir.toString(), "--json", "--runtime-groups", "dev");

    assertThat(result.exitCode()).as(result.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(result.out());
    JsonNode without = new ObjectMapper().readTree(plain.out());
    assertThat(without.has("runtime")).isFalse();
    assertThat(json.get("tag")).isEqualTo(without.get("tag"));
    assertThat(json.get("packages")).isEqualTo(without.get("packages"));
    assertThat(json.at("/runtime/groups/0").asText()).isEqualTo("dev");
    assertThat(json.at("/runtime/packages/0/name").asText()).isEqualTo("epsilon");
    assertThat(json.at("/runtime/packages/0/version").asText()).isEqualTo("3.0");
    assertThat(json.at("/runtime/requirements").asText()).contains("epsilon==3.0 \\\n    --hash=sha256:"
        + WHEELS.epsilon().wheel().sha256());
  }

  @Test
  void anUnknownRuntimeGroupIsBadInput(@TempDir Path dir) {
    LockedTestProjects.writeUv(dir, WHEELS, INDEX, LockedTestProjects.Options.standard());

    CliRunner.Result result = CliRunner.run("resolve", dir.toString(), "--runtime-groups", "nope");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("nope");
  }

  @Test
  void aManifestsRuntimeGroupsAreShown(@TempDir Path dir) throws Exception {
    LockedTestProjects.writeUv(dir, WHEELS, INDEX, LockedTestProjects.Options.standard());
    Path manifest = Files.writeString(dir.resolve("env.yaml"), """
        apiVersion: envforge.dev/v1alpha1
        kind: PythonEnvironment
        metadata:
          name: app
        spec:
          source:
            configMapRef:
              name: app-lock
          image:
            repository: registry.example.com/app
          variants:
            - name: default
              runtimeGroups: [dev]
        """);

    CliRunner.Result result = CliRunner.run("resolve", "-f", manifest.toString(), "--project", dir.toString());
    CliRunner.Result refused = CliRunner.run("resolve", "-f", manifest.toString(), "--project", dir.toString(),
        "--runtime-groups", "dev");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).contains("epsilon==3.0  registry http://127.0.0.1:8765/simple  # runtime\n");
    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.err()).contains("do not give --runtime-groups");
  }
}
