package dev.envforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.testing.Corpus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built jar as a process on bad input of every reader (TOML of a pyproject and of each lock format, YAML of a
 * manifest and of a file to sync, a missing file): exit 2, exactly one line on standard error naming
 * FILE:LINE:COLUMN, nothing on standard output, and a stack trace only with --debug. In a process, so that whatever a
 * library prints on the JVM's own standard error is seen too.
 */
class BadInputProcessIT {
  record Run(int exitCode, String out, String err) {}

  @Test
  void badInputIsOneLineWithAPlaceAndATraceOnlyWhenAskedFor(@TempDir Path tmp) throws Exception {
    Path poetry = Corpus.dir("poetry-python-poetry-poetry");
    Path badPyproject = project(tmp.resolve("pyproject"), poetry, "poetry.lock");
    Files.writeString(badPyproject.resolve("pyproject.toml"), "[project\nname = 1\n");
    Path badPoetryLock = project(tmp.resolve("poetry-lock"), poetry, "poetry.lock");
    Files.writeString(badPoetryLock.resolve("poetry.lock"), "[[package]]\nname = \"a\"\nversion = \n");
    Path uv = Corpus.dir("uv-langchain-ai-langgraph");
    Path badUvLock = project(tmp.resolve("uv-lock"), uv, "uv.lock");
    Files.writeString(badUvLock.resolve("uv.lock"), "version = 1\n[[package]\nname = \"a\"\n");
    Path badPylock = Files.createDirectories(tmp.resolve("pylock"));
    Files.writeString(badPylock.resolve("pylock.toml"), "lock-version = '1.0'\n[[packages]]\nname = \n");
    Path badYaml = Files.writeString(tmp.resolve("env.yaml"), "apiVersion: envforge.dev/v1alpha1\nkind: [x\n");
    Path badSetter = Files.writeString(tmp.resolve("deploy.yaml"),
        "image: r.example.com/a:1 # {\"$envforge\": \"missing.yaml\"}\n");

    List<String[]> cases = new ArrayList<>();
    cases.add(new String[] {"hash", badPyproject.toString()});
    cases.add(new String[] {"check-lock", badPyproject.toString()});
    cases.add(new String[] {"resolve", badPoetryLock.toString()});
    cases.add(new String[] {"check-lock", badPoetryLock.toString()});
    cases.add(new String[] {"hash", badUvLock.toString()});
    cases.add(new String[] {"check-lock", badUvLock.toString()});
    cases.add(new String[] {"hash", badPylock.toString()});
    cases.add(new String[] {"tags", "-f", badYaml.toString()});
    cases.add(new String[] {"hash", "-f", tmp.resolve("missing.yaml").toString()});
    cases.add(new String[] {"sync", badSetter.toString()});
    for (String[] args : cases) {
      Run run = envforge(args);
      String what = String.join(" ", args);
      assertThat(run.exitCode()).as("%s: %s", what, run.err()).isEqualTo(2);
      assertThat(run.out()).as(what).isEmpty();
      assertThat(run.err().lines().toList()).as("%s: one line on standard error", what).hasSize(1);
      assertThat(run.err()).as(what).containsPattern("^\\S+:[1-9]\\d*:[1-9]\\d*: \\S").doesNotContain(":0:0");

      String[] debug = new String[args.length + 1];
      System.arraycopy(args, 0, debug, 0, args.length);
      debug[args.length] = "--debug";
      Run traced = envforge(debug);
      assertThat(traced.exitCode()).as(what + " --debug").isEqualTo(2);
      assertThat(traced.err()).as(what + " --debug").startsWith(run.err()).contains("\tat dev.envforge.");
    }
  }

  private static Path project(Path dir, Path from, String lock) throws Exception {
    Files.createDirectories(dir);
    Files.copy(from.resolve("pyproject.toml"), dir.resolve("pyproject.toml"));
    Files.copy(from.resolve(lock), dir.resolve(lock));
    return dir;
  }

  private static Run envforge(String... args) throws Exception {
    String jar = System.getProperty("envforge.jar");
    assertThat(jar).as("system property envforge.jar (set by failsafe)").isNotBlank();
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", jar));
    command.addAll(List.of(args));
    Path err = Files.createTempFile("envforge-err", ".txt");
    try {
      Process process = new ProcessBuilder(command).redirectError(err.toFile()).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
      return new Run(process.exitValue(), out, Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(err);
    }
  }
}
