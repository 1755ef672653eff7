package dev.envforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of the bad-input corpus (src/test/resources/bad-inputs, written by its make_cases.py) through the
 * command line, in process: the exact exit code and standard error of expected.txt, and for every case the rules of
 * a clean refusal (one line naming file, line and column or the flag; no stack trace, control character or secret).
 * Run with {@code -Dbad-inputs.record=true} to write expected.txt after a deliberate change, then review the diff.
 */
class BadInputCorpusTest {
  static final Path CORPUS = Path.of("src/test/resources/bad-inputs");
  private static final boolean RECORD = Boolean.getBoolean("bad-inputs.record");
  private static final List<String> SECRETS = List.of("s3cret", "t0ken", "hunter2", "u:pw", "bob:", "alice:");
  private static final Pattern LOCATED = Pattern.compile("[^\\s:][^:]*:[1-9][0-9]*:[1-9][0-9]*: \\S.*");
  private static final Pattern WHOLE_FILE = Pattern.compile("[^\\s:][^:]*: \\S.*");
  private static final Pattern FLAG = Pattern.compile("(--[a-z-]+[: ]|DIR '|Unknown option|Missing required).*");

  static Stream<String> cases() throws IOException {
    try (Stream<Path> list = Files.list(CORPUS)) {
      return list.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList().stream();
    }
  }

  @Test
  void theCorpusHasAtLeastOneHundredCases() throws IOException {
    assertThat(cases().count()).isGreaterThanOrEqualTo(100);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void isRefusedCleanlyWithTheExpectedMessage(String name) throws IOException {
    Path folder = CORPUS.resolve(name);
    Path project = folder.resolve("project").toAbsolutePath();
    Files.createDirectories(project); // git keeps no empty folders
    List<String> args = new ArrayList<>();
    for (String line : Files.readAllLines(folder.resolve("args.txt"), StandardCharsets.UTF_8)) {
      args.add(unescape(line).replace("{dir}", project.toString()));
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
    String stderr = err.toString().replace(project.toString(), "{dir}");
    String actual = "exit " + code + "\n" + stderr;

    Path expectedFile = folder.resolve("expected.txt");
    if (RECORD) {
      Files.writeString(expectedFile, actual, StandardCharsets.UTF_8);
    }
    assertThat(actual).isEqualTo(Files.readString(expectedFile, StandardCharsets.UTF_8));

    assertThat(out.toString()).as("nothing on standard output").isEmpty();
    assertThat(code).isIn(Main.EXIT_BAD_INPUT, Main.EXIT_ERROR);
    List<String> lines = stderr.lines().toList();
    assertThat(lines).isNotEmpty();
    String first = lines.get(0);
    if (code == Main.EXIT_BAD_INPUT && FLAG.matcher(first).matches()) {
      assertThat(lines).hasSize(2);
      assertThat(lines.get(1)).startsWith("Try 'envforge ");
    } else if (code == Main.EXIT_BAD_INPUT) {
      assertThat(lines).hasSize(1);
      assertThat(LOCATED.matcher(first).matches() || WHOLE_FILE.matcher(first).matches())
          .as("FILE:LINE:COLUMN: problem, or FILE: problem for a whole file: %s", first).isTrue();
      assertThat(first).doesNotContain(":0:0").startsWith("{dir}");
    } else {
      assertThat(lines).hasSize(1);
      assertThat(first).startsWith("envforge: I/O error: ");
    }
    assertThat(stderr).doesNotContain("\tat ").doesNotContain("Exception").doesNotContain("Error:");
    assertThat(stderr.replace("\n", "")).doesNotContainPattern("[\\x00-\\x1f\\x7f\\u2028\\u2029\\u200b-\\u200f]");
    for (String secret : SECRETS) {
      assertThat(stderr).doesNotContain(secret);
    }
  }

  @Test
  void withDebugTheStackTraceFollowsTheMessage() {
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "render",
        CORPUS.resolve("flag-out-under-file/project").toAbsolutePath().toString(), "--out",
        CORPUS.resolve("flag-out-under-file/project/pyproject.toml/context").toAbsolutePath().toString(), "--debug");
    assertThat(code).isEqualTo(Main.EXIT_ERROR);
    assertThat(err.toString().lines().toList().get(0)).startsWith("envforge: I/O error: ");
    assertThat(err.toString()).contains("\tat ");
  }

  private static String unescape(String line) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\\' && i + 1 < line.length()) {
        char next = line.charAt(++i);
        sb.append(next == 'n' ? '\n' : next == 'r' ? '\r' : next);
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
