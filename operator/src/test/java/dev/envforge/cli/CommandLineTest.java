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

  @Test
  void credentialsInALockNeverReachTheOutputOrTheTag(@TempDir Path dir) throws Exception {
    Path plain = dir.resolve("plain");
    Path secret = dir.resolve("secret");
    String pyproject = "[project]\nname = \"app\"\nversion = \"1.0\"\ndependencies = [\"lib\"]\n";
    String lock = "version = 1\nrequires-python = \">=3.10\"\n\n[[package]]\nname = \"app\"\nversion = \"1.0\"\n"
        + "source = { editable = \".\" }\ndependencies = [{ name = \"lib\" }]\n\n[[package]]\nname = \"lib\"\n"
        + "version = \"1.0\"\nsource = { registry = \"https://pkgs.example/simple\" }\nwheels = [\n"
        + "  { url = \"https://pkgs.example/files/lib-1.0-py3-none-any.whl\", hash = \"sha256:" + "1".repeat(64)
        + "\" },\n]\n";
    for (Path p : List.of(plain, secret)) {
      Files.createDirectories(p);
      Files.writeString(p.resolve("pyproject.toml"), pyproject);
      Files.writeString(p.resolve("uv.lock"), p == plain ? lock
          : lock.replace("https://pkgs.example", "https://deploy:s3cr3t-t0k3n@pkgs.example"));
    }

    for (String[] args : List.of(new String[] {"resolve"}, new String[] {"resolve", "--json"},
        new String[] {"render", "--out", dir.resolve("ctx").toString()})) {
      List<String> command = new java.util.ArrayList<>(List.of(args));
      command.add(1, secret.toString());
      Run run = run(command.toArray(String[]::new));
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(run.out() + run.err()).doesNotContain("s3cr3t").doesNotContain("deploy");
    }
    try (var files = Files.list(dir.resolve("ctx"))) {
      for (Path file : files.toList()) {
        assertThat(Files.readString(file)).doesNotContain("s3cr3t").doesNotContain("deploy");
      }
    }
    assertThat(run("hash", secret.toString()).out()).isEqualTo(run("hash", plain.toString()).out());

    Files.writeString(secret.resolve("uv.lock"), Files.readString(secret.resolve("uv.lock"))
        .replace("hash = \"sha256:", "hash = \"sha256:zz"));
    Run bad = run("hash", secret.toString());
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).doesNotContain("s3cr3t");
  }

  @Test
  void renderReplacesLinksInTheFolderAndNeverWritesThroughThem(@TempDir Path dir) throws Exception {
    Path outside = Files.writeString(dir.resolve("outside.txt"), "keep");
    Path out = Files.createDirectories(dir.resolve("ctx"));
    Files.createSymbolicLink(out.resolve("Dockerfile"), outside);
    Files.createSymbolicLink(out.resolve("requirements.txt"), dir.resolve("missing-target"));

    Run run = run("render", POETRY, "--out", out.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(Files.readString(outside)).isEqualTo("keep");
    assertThat(dir.resolve("missing-target")).doesNotExist();
    assertThat(Files.isSymbolicLink(out.resolve("Dockerfile"))).isFalse();
    assertThat(Files.readString(out.resolve("Dockerfile"))).startsWith("# Generated by envforge");
    try (var files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("Dockerfile", "requirements.txt", "requirements-direct.txt", "packages.txt",
              "compile-bytecode.py", "launcher");
    }
  }

  @Test
  void aFolderInPlaceOfAContextFileIsAnIoErrorOfOneLine(@TempDir Path dir) throws Exception {
    Path out = Files.createDirectories(dir.resolve("ctx"));
    Files.createDirectories(out.resolve("Dockerfile"));
    Run run = run("render", POETRY, "--out", out.toString());
    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.err()).startsWith("envforge: I/O error: cannot write the build context to ")
        .contains("is a folder").doesNotContain("\tat ");
    assertThat(run.err().lines()).hasSize(1);
  }
}
