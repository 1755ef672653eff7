package dev.envforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.cli.CliRunner.Result;
import dev.envforge.testing.Corpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * check-lock on uv locks, on dependencies and groups missing from a lock, and with lint rules: every real lock of the
 * corpus passes, and copies of them changed in one place fail at that place.
 */
class CheckLockUvAndLintTest {
  private static final String OPENHANDS = "uv-All-Hands-AI-OpenHands";
  private static final String PIXELTABLE = "poetry-pixeltable-pixeltable";

  static Stream<String> uvProjects() {
    return Stream.of(OPENHANDS, "uv-huggingface-lerobot", "uv-langchain-ai-langgraph",
        "uv-modelcontextprotocol-python-sdk-1", "uv-modelcontextprotocol-python-sdk-2");
  }

  @ParameterizedTest
  @MethodSource("uvProjects")
  void everyRealUvLockIsUpToDateWithItsProjects(String name) {
    Result run = CliRunner.run("check-lock", Corpus.dir(name).toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("uv.lock: up to date");
  }

  /** A copy of a corpus project with pyproject.toml changed: {@code from} must occur once. */
  private static Path mutated(Path dir, String project, String from, String to) throws IOException {
    Path source = Corpus.dir(project);
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Path target = dir.resolve(source.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    }
    String text = Files.readString(dir.resolve("pyproject.toml"));
    assertThat(text.indexOf(from)).as("%s in %s", from, project).isPositive()
        .isEqualTo(text.lastIndexOf(from));
    Files.writeString(dir.resolve("pyproject.toml"), text.replace(from, to));
    return dir;
  }

  /** FILE:LINE:COLUMN of the first occurrence of {@code text} in the file. */
  private static String at(Path file, String text) throws IOException {
    List<String> lines = Files.readAllLines(file);
    for (int i = 0; i < lines.size(); i++) {
      int column = lines.get(i).indexOf(text);
      if (column >= 0) {
        return file + ":" + (i + 1) + ":" + (column + 1) + ": ";
      }
    }
    throw new AssertionError(text + " not in " + file);
  }

  @Test
  void aChangedSpecifierMakesTheUvLockOutOfDateAtTheRequirement(@TempDir Path dir) throws IOException {
    mutated(dir, OPENHANDS, "\"typer>=0.17.4\"", "\"typer>=0.18\"");
    Result run = CliRunner.run("check-lock", dir.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).startsWith(at(dir.resolve("pyproject.toml"), "\"typer>=0.18\"")
        + "typer is >=0.18 in pyproject.toml but uv.lock records >=0.17.4; run uv lock");
  }

  @Test
  void aNewDependencyIsMissingFromTheUvLock(@TempDir Path dir) throws IOException {
    mutated(dir, OPENHANDS, "\"typer>=0.17.4\",", "\"typer>=0.17.4\",\n  \"rich>=13\",");
    Result run = CliRunner.run("check-lock", dir.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).startsWith(at(dir.resolve("pyproject.toml"), "\"rich>=13\"")
        + "rich is declared in pyproject.toml but not recorded in uv.lock (missing from the lock)");
  }

  @Test
  void aRemovedGroupDependencyIsStaleInTheUvLockAtTheLockLine(@TempDir Path dir) throws IOException {
    mutated(dir, OPENHANDS, "  \"gevent>=24.2.1,<26\",\n", "");
    Result run = CliRunner.run("check-lock", dir.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).startsWith(at(dir.resolve("uv.lock"), "{ name = \"gevent\", specifier")
        + "uv.lock records gevent (group dev) of openhands, which pyproject.toml no longer declares");
  }

  @Test
  void aNewGroupIsMissingFromTheUvLock(@TempDir Path dir) throws IOException {
    mutated(dir, OPENHANDS, "[dependency-groups]\n", "[dependency-groups]\ndocs = [\"mkdocs>=1.6\"]\n");
    Result run = CliRunner.run("check-lock", dir.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).startsWith(at(dir.resolve("pyproject.toml"), "docs = ")
        + "dependency group docs of openhands is not in uv.lock; run uv lock");
  }

  @Test
  void aChangedGitRevisionOfASourceMakesTheUvLockOutOfDate(@TempDir Path dir) throws IOException {
    mutated(dir, OPENHANDS, "subdirectory = \"openhands/sdk\", rev = \"4ffaa97a9a438b913b73696e192b5575419407bc\"",
        "subdirectory = \"openhands/sdk\", rev = \"v1.0.0\"");
    Result run = CliRunner.run("check-lock", dir.toString(), "--json");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).contains("\"upToDate\" : false").contains("\"check\" : \"lock\"")
        .contains("openhands-sdk comes from git https://github.com/All-Hands-AI/agent-sdk@v1.0.0#openhands/sdk by"
            + " pyproject.toml but uv.lock records git https://github.com/All-Hands-AI/agent-sdk@4ffaa97a9a438b913b73696e192b5575419407bc#openhands/sdk");
  }

  @Test
  void aChangedIndexOfASourceMakesTheUvLockOutOfDate(@TempDir Path dir) throws IOException {
    mutated(dir, "uv-huggingface-lerobot", "url = \"https://download.pytorch.org/whl/cu128\"",
        "url = \"https://download.pytorch.org/whl/cu130\"");
    Result run = CliRunner.run("check-lock", dir.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).contains("torch comes from index https://download.pytorch.org/whl/cu130 or registry");
  }

  @Test
  void aChangedRequiresPythonMakesTheUvLockOutOfDate(@TempDir Path dir) throws IOException {
    mutated(dir, OPENHANDS, "requires-python = \">=3.12\"", "requires-python = \">=3.11\"");
    Result run = CliRunner.run("check-lock", dir.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).startsWith(at(dir.resolve("pyproject.toml"), "requires-python")
        + "requires-python '>=3.11' differs from uv.lock's '>=3.12'");
  }

  @Test
  void aNewPoetryDependencyIsNamedAsMissingBesideTheContentHash(@TempDir Path dir) throws IOException {
    mutated(dir, PIXELTABLE, "numpy = \">=1.25\"\n", "numpy = \">=1.25\"\npolars = \">=1\"\n");
    Result run = CliRunner.run("check-lock", dir.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).contains(at(dir.resolve("poetry.lock"), "content-hash") + "content-hash ")
        .contains(at(dir.resolve("pyproject.toml"), "polars = ") + "polars is declared in pyproject.toml but not"
            + " locked in poetry.lock");
  }

  @Test
  void aNewPoetryGroupIsNamedAsMissingInALockThatRecordsGroups(@TempDir Path dir) throws IOException {
    mutated(dir, "poetry-python-poetry-poetry", "[tool.poetry.group.dev.dependencies]",
        "[tool.poetry.group.docs.dependencies]\nmkdocs = \">=1.6\"\n\n[tool.poetry.group.dev.dependencies]");
    Result run = CliRunner.run("check-lock", dir.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).contains("dependency group docs is declared in pyproject.toml but no package of"
        + " poetry.lock belongs to it").contains("mkdocs (group docs) is declared in pyproject.toml but not locked");
  }

  @Test
  void theExplicitRangeRuleRefusesCaretsAndTildesWithTheEquivalentRange(@TempDir Path dir) throws IOException {
    mutated(dir, PIXELTABLE, "[tool.poetry.dependencies]\n", "[tool.envforge.lint]\nrules = [\"explicit-range\"]\n\n"
        + "[tool.poetry.dependencies]\n");
    Result run = CliRunner.run("check-lock", dir.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    Path pyproject = dir.resolve("pyproject.toml");
    assertThat(run.out())
        .contains(at(pyproject, "opencv-python-headless = ") + "opencv-python-headless: write '>=4.7.0.68,<5'"
            + " rather than '^4.7.0.68' [explicit-range]")
        .contains(at(pyproject, "pgvector = ") + "pgvector: write '>=0.2.1,<0.3' rather than '^0.2.1'")
        .doesNotContain("numpy").doesNotContain("pandas")
        .doesNotContain("content-hash"); // [tool.envforge] is not part of Poetry's content-hash
  }

  @Test
  void upperAndLowerBoundsAndDirectReferencesWithScopesAndIgnore(@TempDir Path dir) throws IOException {
    mutated(dir, OPENHANDS, "[dependency-groups]", "[tool.envforge.lint]\nrules = [\"upper-bound\", \"lower-bound\","
        + " \"no-direct-reference\"]\nscopes = [\"dependencies\", \"dependency-groups\"]\nignore = [\"Black\"]\n\n"
        + "[dependency-groups]");
    Result run = CliRunner.run("check-lock", dir.toString(), "--json");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).contains("\"upToDate\" : true").contains("\"passed\" : false")
        .contains("typer has no upper bound in '>=0.17.4'; add <y [upper-bound]")
        .contains("openhands-sdk is a git, URL or path dependency")
        .contains("flake8 (group dev) has no upper bound")
        .doesNotContain("black (group dev)").doesNotContain("gevent (group dev) has no upper bound")
        .contains("\"rule\" : \"upper-bound\"").doesNotContain("lower-bound]");
  }

  @ParameterizedTest
  @ValueSource(strings = {"rules = [\"caret\"]", "rulez = []", "rules = [\"upper-bound\"]\nscopes = [\"main\"]"})
  void aBadLintTableIsBadInputAtItsPosition(String table, @TempDir Path dir) throws IOException {
    mutated(dir, OPENHANDS, "[dependency-groups]", "[tool.envforge.lint]\n" + table + "\n\n[dependency-groups]");
    Result run = CliRunner.run("check-lock", dir.toString());
    assertThat(run.exitCode()).as(run.out()).isEqualTo(2);
    assertThat(run.err()).startsWith(dir.resolve("pyproject.toml") + ":").containsPattern(":\\d+:\\d+: ")
        .containsPattern("unknown (lint rule|key|scope)|needs rules");
  }
}
