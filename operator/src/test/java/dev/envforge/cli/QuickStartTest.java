package dev.envforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.cli.CliRunner.Result;
import dev.envforge.testing.Corpus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * hash and resolve give the same output, errors and exit code whether their arguments are read by the quick start or
 * by picocli; plain arguments do take the quick start.
 */
class QuickStartTest {
  private static final String POETRY = Corpus.dir("poetry-python-poetry-poetry").toString();
  private static final String UV = Corpus.dir("uv-langchain-ai-langgraph").toString();

  @TempDir static Path tmp;

  /** Arguments after the command name, and whether the quick start takes them itself. */
  record Case(List<String> args, boolean quick) {}

  static Stream<Case> cases() throws Exception {
    String manifest = ManifestAndLockDiscoveryTest.inlineManifest(tmp, "").toString();
    List<Case> cases = new ArrayList<>(List.of(
        new Case(List.of(POETRY), true),
        new Case(List.of(POETRY, "--json"), true),
        new Case(List.of("--groups", "dev,test", POETRY, "--python", "3.11", "--platform", "linux/arm64"), true),
        new Case(List.of(UV, "--groups", "lint", "--groups", "test", "--installer", "pip"), true),
        new Case(List.of(POETRY, "--builder", "kaniko"), true),
        new Case(List.of(POETRY, "--builder", "assemble", "--json"), true),
        new Case(List.of(UV, "--base-image", "docker.io/library/python:3.12-slim", "--variant", "gpu"), true),
        new Case(List.of(POETRY, "--format", "poetry", "--lock", "poetry.lock", "--debug"), true),
        new Case(List.of("-f", manifest, "--variant", "dev"), true),
        new Case(List.of("--filename", manifest, "--json"), true),
        new Case(List.of(POETRY, "--format", "nope"), false),
        new Case(List.of(POETRY, "--python", "x"), false),
        new Case(List.of(POETRY, "--groups"), false),
        new Case(List.of(POETRY, "--groups=dev"), false),
        new Case(List.of(POETRY, "--python", "3.11", "--python", "3.12"), false),
        new Case(List.of(POETRY, "--json", "--json"), false),
        new Case(List.of(POETRY, UV), false),
        new Case(List.of(POETRY, "--extras", "a,,b"), false),
        new Case(List.of(POETRY, "--lock", "../poetry.lock"), false),
        new Case(List.of(POETRY, "--unknown"), false),
        new Case(List.of(POETRY, "-h"), false),
        new Case(List.of("--help"), false),
        new Case(List.of(), false),
        new Case(List.of(tmp.resolve("missing").toString()), false),
        new Case(List.of("-f", manifest, "--python", "3.11"), true),
        new Case(List.of(POETRY, "--groups", "no-such-group"), true)));
    List<Case> both = new ArrayList<>();
    for (Case c : cases) {
      both.add(c);
    }
    return both.stream();
  }

  @ParameterizedTest
  @MethodSource("cases")
  void hashAndResolveAnswerAsPicocliDoes(Case c) {
    for (String command : List.of("hash", "resolve")) {
      List<String> args = new ArrayList<>(List.of(command));
      args.addAll(c.args());
      String[] argv = args.toArray(String[]::new);
      Result picocli = CliRunner.run(argv);
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code = Main.run(new PrintWriter(out), new PrintWriter(err), argv);
      assertThat(code).as("exit code of %s", args).isEqualTo(picocli.exitCode());
      assertThat(out.toString()).as("output of %s", args).isEqualTo(picocli.out());
      assertThat(err.toString()).as("errors of %s", args).isEqualTo(picocli.err());

      Integer quick = QuickStart.run(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), argv);
      assertThat(quick != null).as("the quick start takes %s", args).isEqualTo(c.quick());
    }
  }
}
