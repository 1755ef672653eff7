package dev.envforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.testing.Corpus;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line applies the core's one Python-version rule: the same tags as the operator, exit 2 on exclusion. */
class PythonVersionCliTest {
  static final String POETRY = Corpus.dir("poetry-python-poetry-poetry").toString();
  static final String UV_312 = Corpus.dir("uv-All-Hands-AI-OpenHands").toString(); // requires-python >=3.12

  @ParameterizedTest
  @ValueSource(strings = {"3.12", "3.12.7", "3.12.0", "3.12.9"})
  void everySpellingOfTheDefaultPrintsTheDefaultsTag(String python) {
    CliRunner.Result byDefault = CliRunner.run("hash", POETRY);
    CliRunner.Result spelled = CliRunner.run("hash", POETRY, "--python", python);
    assertThat(spelled.exitCode()).as(spelled.err()).isZero();
    assertThat(spelled.out()).isEqualTo(byDefault.out());
  }

  @ParameterizedTest
  @ValueSource(strings = {"3.11", "3.10.4"})
  void aVersionRequiresPythonExcludesExitsWithTwoInOneLine(String python) {
    CliRunner.Result run = CliRunner.run("hash", UV_312, "--python", python);
    assertThat(run.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().strip()).doesNotContain("\n").contains("python '" + python + "' is excluded by the"
        + " project's requires-python '>=3.12'").doesNotContain("Exception");
  }

  @Test
  void aManifestsSpecPythonFollowsTheSameRule(@TempDir Path dir) throws Exception {
    Path manifest = dir.resolve("env.yaml");
    Files.writeString(manifest, """
        apiVersion: envforge.dev/v1alpha1
        kind: PythonEnvironment
        metadata:
          name: env
        spec:
          python: "3.11"
          source:
            configMapRef:
              name: project
          image:
            repository: registry.example.com/team/env
        """);
    CliRunner.Result run = CliRunner.run("tags", "-f", manifest.toString(), "--project", UV_312);
    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(Main.EXIT_BAD_INPUT);
    assertThat(run.err()).contains("requires-python '>=3.12'");
  }
}
