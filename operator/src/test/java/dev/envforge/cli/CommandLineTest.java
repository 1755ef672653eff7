package dev.envforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.envforge.testing.Corpus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class CommandLineTest {
  record Run(int exitCode, String out, String err) {}

  static Run run(String... args) {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  static final String POETRY = Corpus.dir("poetry-python-poetry-poetry").toString();

  @Test
  void resolveJsonMatchesTheReferenceAnswerExactly() throws Exception {
    Run run = run("resolve", POETRY, "--groups", "dev", "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    ObjectMapper json = new ObjectMapper();
    JsonNode actual = json.readTree(run.out());
    JsonNode expected = json.readTree(Corpus.dir("expected/poetry-python-poetry-poetry")
        .resolve("main+group-dev.json").toFile());
    assertThat(actual.get("packages")).isEqualTo(expected.get("packages"));
    assertThat(actual.get("local_skipped")).isEqualTo(expected.get("local_skipped"));
    assertThat(actual.get("environment")).isEqualTo(expected.get("environment"));
    assertThat(actual.get("tag").asText()).startsWith("ef-");
    // beside the reference schema: the packages the project asks for itself
    List<String> requested = new java.util.ArrayList<>();
    actual.get("requested").forEach(n -> requested.add(n.asText()));
    assertThat(requested).contains("cleo", "dulwich", "pre-commit").doesNotContain("certifi", "urllib3");
  }

  @Test
  void resolveTextMarksRequestedPackages() {
    Run run = run("resolve", POETRY);
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out().lines()).anyMatch(l -> l.startsWith("cleo==") && l.endsWith("  # requested"))
        .anyMatch(l -> l.startsWith("certifi==") && !l.contains("# requested"))
        .anyMatch(l -> l.matches("# [0-9]+ packages \\([0-9]+ requested\\) for Python .*"));
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({
      "requirements-astral-sh-python-build-standalone, requirements.dev.txt, requirements-dev.json",
      "conda-pangeo-data-pangeo-docker-images, conda-linux-64.lock, explicit-linux-64.json"})
  void aLockFileWithAnotherNameIsChosenWithLock(String caseName, String lockFile, String answer) throws Exception {
    Run run = run("resolve", Corpus.dir(caseName).toString(), "--lock", lockFile, "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    ObjectMapper json = new ObjectMapper();
    JsonNode expected = json.readTree(Corpus.dir("expected/" + caseName).resolve(answer).toFile());
    assertThat(json.readTree(run.out()).get("packages")).isEqualTo(expected.get("packages"));
  }

  @Test
  void aLockFileThatIsNotThereIsBadInput() {
    Run run = run("hash", POETRY, "--lock", "requirements-gpu.txt");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("requirements-gpu.txt").contains("no such lock file");
    assertThat(run("hash", POETRY, "--lock", "other.lock").err()).contains("cannot tell the lock format");
  }

  @Test
  void hashPrintsTheTagAndNothingElse() {
    Run run = run("hash", POETRY);
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).matches("ef-[0-9a-f]{32}\\R");
    assertThat(run("hash", POETRY).out()).isEqualTo(run.out());
  }

  @Test
  void recipeInputsAndSelectionChangeTheTag() {
    String base = run("hash", POETRY).out();
    assertThat(run("hash", POETRY, "--groups", "dev").out()).isNotEqualTo(base);
    assertThat(run("hash", POETRY, "--installer", "pip").out()).isNotEqualTo(base);
    assertThat(run("hash", POETRY, "--python", "3.13.7").out()).isNotEqualTo(base);
    assertThat(run("hash", POETRY, "--platform", "linux/arm64").out()).isNotEqualTo(base);
    assertThat(run("hash", POETRY, "--base-image", "docker.io/library/python:3.12-slim").out()).isNotEqualTo(base);
    // the variant name is a label, not part of the hash
    assertThat(run("hash", POETRY, "--variant", "other").out()).isEqualTo(base);
  }

  @Test
  void renderWritesTheBuildContext(@TempDir Path out) throws Exception {
    Run run = run("render", POETRY, "--groups", "dev", "--out", out.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out().strip()).isEqualTo(run("hash", POETRY, "--groups", "dev").out().strip());
    assertThat(out.resolve("Dockerfile")).exists();
    String requirements = Files.readString(out.resolve("requirements.txt"));
    assertThat(requirements).contains("--index-url https://pypi.org/simple").contains("--hash=sha256:");
    assertThat(Files.readString(out.resolve("requirements-direct.txt")))
        .contains("poetry-core @ git+https://github.com/python-poetry/poetry-core.git@"
            + "e3998b0e111dc03e4aa721fd054c48e5c7de6fc5");
    assertThat(Files.readAllLines(out.resolve("packages.txt"))).hasSize(50);
  }

  @Test
  void badInputExitsWithTwoAndNamesFileLineAndColumn(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("pyproject.toml"), "[project]\nname = \"x\"\ndependencies = [\n");
    Files.writeString(dir.resolve("poetry.lock"), "[[package]]\nname = \"a\"\n");
    Run run = run("hash", dir.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).matches("(?s).*pyproject\\.toml:\\d+:\\d+: .*");
  }

  @Test
  void unknownGroupIsBadInput() {
    Run run = run("resolve", POETRY, "--groups", "nope");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("pyproject.toml:").contains("'nope'").contains("dev");
  }

  @Test
  void unknownFlagValueIsBadInput() {
    assertThat(run("hash", POETRY, "--platform", "windows/amd64").exitCode()).isEqualTo(2);
    assertThat(run("hash", POETRY, "--installer", "conda").exitCode()).isEqualTo(2);
    assertThat(run("hash", "/no/such/folder").exitCode()).isEqualTo(2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"resolve", "hash", "render"})
  void everyCommandHasHelp(String command) {
    Run run = run(command, "--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("Usage: envforge " + command).contains("--groups").contains("--python");
  }

  @Test
  void topLevelHelpListsTheCommands() {
    Run run = run("--help");
    assertThat(run.exitCode()).isZero();
    for (String command : List.of("resolve", "hash", "render", "run")) {
      assertThat(run.out()).contains(command);
    }
  }
}
