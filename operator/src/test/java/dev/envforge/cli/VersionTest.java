package dev.envforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.api.GeneratedCrd;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code --version} and {@code -V}, on envforge and on every command, print the version and the build's commit. */
class VersionTest {
  private static final Pattern VERSION =
      Pattern.compile("envforge (\\d+\\.\\d+\\.\\d+(?:-SNAPSHOT)?) \\(commit ([0-9a-f]{12})(-modified)?\\)\\R");

  @Test
  void versionAndCommitOfTheBuild() throws Exception {
    Process git = new ProcessBuilder("git", "-C", GeneratedCrd.repoRoot().toString(), "rev-parse", "HEAD").start();
    String head = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(git.waitFor()).isZero();
    for (String[] args : new String[][] {{"--version"}, {"-V"}, {"hash", "--version"}, {"tags", "-V"},
        {"sync", "--version"}, {"check-lock", "--version"}, {"exists", "--version"}}) {
      CliRunner.Result run = CliRunner.run(args);
      assertThat(run.exitCode()).as(String.join(" ", args)).isZero();
      Matcher m = VERSION.matcher(run.out());
      assertThat(m.matches()).as("%s printed %s", String.join(" ", args), run.out()).isTrue();
      assertThat(m.group(1)).isEqualTo(System.getProperty("envforge.version", m.group(1)));
      // the build's commit: HEAD when the tests run in the same build
      assertThat(head).as("commit of the build").startsWith(m.group(2));
    }
  }
}
