package dev.envforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.api.GeneratedCrd;
import dev.envforge.testing.Corpus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository's .pre-commit-hooks.yaml run by pre-commit itself (Debian's), with the launcher and jar on the PATH
 * ({@code language: system}): the sync hook updates a marked image and stops the commit, then passes; the check-lock
 * hook passes, then fails on a stale content-hash.
 */
class PreCommitHooksIT {
  @Test
  void preCommitRunsTheHooksAsDocumented(@TempDir Path tmp) throws Exception {
    String jar = System.getProperty("envforge.jar");
    assertThat(jar).as("system property envforge.jar (set by failsafe)").isNotBlank();
    Path launcher = Path.of(jar).resolveSibling("envforge");
    assertThat(launcher).as("the launcher next to the jar").isRegularFile();
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Files.copy(launcher, bin.resolve("envforge"));
    Files.setPosixFilePermissions(bin.resolve("envforge"), PosixFilePermissions.fromString("rwxr-xr-x"));

    // the hooks repository: this working tree's .pre-commit-hooks.yaml, committed in a repository of its own
    Path hooks = Files.createDirectories(tmp.resolve("hooks"));
    Files.copy(GeneratedCrd.repoRoot().resolve(".pre-commit-hooks.yaml"), hooks.resolve(".pre-commit-hooks.yaml"));
    git(hooks, "init", "-q");
    git(hooks, "add", "-A");
    git(hooks, "commit", "-qm", "hooks");
    String rev = git(hooks, "rev-parse", "HEAD").strip();

    Path project = Files.createDirectories(tmp.resolve("project"));
    Path poetry = Corpus.dir("poetry-python-poetry-poetry");
    Files.copy(poetry.resolve("pyproject.toml"), project.resolve("pyproject.toml"));
    Files.copy(poetry.resolve("poetry.lock"), project.resolve("poetry.lock"));
    Files.createDirectories(project.resolve("envs"));
    Files.writeString(project.resolve("envs/app.yaml"), """
        apiVersion: envforge.dev/v1alpha1
        kind: PythonEnvironment
        metadata:
          name: app
        spec:
          source:
            configMapRef:
              name: app-project
          image:
            repository: registry.example.com/team/app
        """);
    Files.createDirectories(project.resolve("deploy"));
    String marked = "image: registry.example.com/team/app:ef-old # {\"$envforge\": \"../envs/app.yaml\"}\n";
    Files.writeString(project.resolve("deploy/app.yaml"), marked);
    Files.writeString(project.resolve(".pre-commit-config.yaml"), """
        repos:
          - repo: %s
            rev: %s
            hooks:
              - id: envforge-check-lock
              - id: envforge-sync
                args: [--project, ., deploy/app.yaml]
        """.formatted(hooks, rev));
    git(project, "init", "-q");
    git(project, "add", "-A");
    git(project, "commit", "-qm", "project");
    String tag = CliRunner.run("hash", project.toString()).out().strip();

    Run first = preCommit(project, tmp, bin);
    assertThat(first.exitCode()).as(first.output()).isEqualTo(1);
    assertThat(first.output()).containsPattern("envforge check-lock[^\n]*Passed")
        .containsPattern("envforge sync[^\n]*Failed").contains("files were modified by this hook")
        .contains("deploy/app.yaml:1:8: updated: registry.example.com/team/app:ef-old -> "
            + "registry.example.com/team/app:" + tag);
    assertThat(Files.readString(project.resolve("deploy/app.yaml")))
        .isEqualTo(marked.replace(":ef-old", ":" + tag));

    Run second = preCommit(project, tmp, bin);
    assertThat(second.exitCode()).as(second.output()).isZero();

    Path lock = project.resolve("poetry.lock");
    Files.writeString(lock, Files.readString(lock).replaceFirst("content-hash = \"[0-9a-f]", "content-hash = \"x"));
    Run stale = preCommit(project, tmp, bin);
    assertThat(stale.exitCode()).as(stale.output()).isEqualTo(1);
    assertThat(stale.output()).containsPattern("envforge check-lock[^\n]*Failed")
        .containsPattern("poetry\\.lock:[1-9]\\d*:[1-9]\\d*: content-hash x");
  }

  record Run(int exitCode, String output) {}

  private static Run preCommit(Path project, Path tmp, Path bin) throws Exception {
    ProcessBuilder builder = new ProcessBuilder("pre-commit", "run", "--all-files", "--color", "never")
        .directory(project.toFile()).redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.put("PATH", bin + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("ENVFORGE_JAR", System.getProperty("envforge.jar"));
    env.put("ENVFORGE_CACHE", tmp.resolve("cache").toString());
    env.put("PRE_COMMIT_HOME", tmp.resolve("pre-commit").toString());
    Process process;
    try {
      process = builder.start();
    } catch (java.io.IOException e) {
      throw new AssertionError("pre-commit is not installed (.ci/run installs Debian's pre-commit)", e);
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
    return new Run(process.exitValue(), output);
  }

  private static String git(Path dir, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("git", "-c", "user.email=test@example.com", "-c",
        "user.name=test", "-c", "commit.gpgsign=false", "-C", dir.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(output).isZero();
    return output;
  }
}
