package dev.envforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.cli.CliRunner.Result;
import dev.envforge.testing.Corpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CheckLockTest {
  /** Every real Poetry project of the corpus, the 28 commits of poetry's own history included. */
  static List<Path> poetryProjects() throws IOException {
    Path root = Corpus.dir("expected").getParent();
    List<Path> projects = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root, 2)) {
      walk.filter(p -> Files.isRegularFile(p.resolve("poetry.lock")) && Files.isRegularFile(p.resolve("pyproject.toml")))
          .sorted().forEach(projects::add);
    }
    assertThat(projects).hasSizeGreaterThan(30);
    return projects;
  }

  @ParameterizedTest
  @MethodSource("poetryProjects")
  void everyRealLockIsUpToDateWithItsPyproject(Path project) {
    Result run = CliRunner.run("check-lock", project.toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("up to date");
  }

  @Test
  void aNewDependencyMakesTheLockOutOfDateAtItsContentHash(@TempDir Path dir) throws Exception {
    Path source = Corpus.dir("poetry-python-poetry-poetry");
    Files.copy(source.resolve("poetry.lock"), dir.resolve("poetry.lock"));
    String pyproject = Files.readString(source.resolve("pyproject.toml"));
    assertThat(pyproject).contains("dependencies = [");
    Files.writeString(dir.resolve("pyproject.toml"), pyproject.replaceFirst("dependencies = \\[",
        "dependencies = [\n    \"rich>=13\","));
    Result run = CliRunner.run("check-lock", dir.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    int line = lineOf(dir.resolve("poetry.lock"), "content-hash");
    assertThat(run.out()).startsWith(dir.resolve("poetry.lock") + ":" + line + ":1: content-hash ")
        .contains("run poetry lock");
    Result json = CliRunner.run("check-lock", dir.toString(), "--json");
    assertThat(json.exitCode()).isEqualTo(1);
    assertThat(json.out()).contains("\"upToDate\" : false").contains("\"line\" : " + line);
  }

  @Test
  void aMissingLockIsBadInputNamingTheFile(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("pyproject.toml"), "[project]\nname = \"x\"\n");
    Result run = CliRunner.run("check-lock", dir.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("poetry.lock:1:1").contains("no such file");
  }

  private static int lineOf(Path file, String start) throws IOException {
    List<String> lines = Files.readAllLines(file);
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(start)) {
        return i + 1;
      }
    }
    throw new AssertionError(start + " not in " + file);
  }
}
