package dev.envforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.api.GeneratedCrd;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's usage lines and docs/cli.md say what {@code --help} says. */
class CommandLineDocsTest {
  private static final Pattern FLAG = Pattern.compile("(?<![\\w-])(--?[a-zA-Z][a-zA-Z-]*)");
  /** An option's row in picocli's usage: its long name. */
  private static final Pattern OPTION_ROW = Pattern.compile("(?m)^\\s+(?:-\\w, )?(--[a-z][a-z-]*)");
  private static final Pattern COMMAND_ROW = Pattern.compile("(?m)^  ([a-z][a-z-]*)  +\\S");

  @Test
  void readmeUsageLinesUseOnlyFlagsTheCommandHas() throws Exception {
    List<String> usage = readmeUsageLines();
    assertThat(usage).isNotEmpty();
    for (String line : usage) {
      String command = line.split("\\s+")[1];
      CliRunner.Result help = CliRunner.run(command, "--help");
      assertThat(help.exitCode()).as("envforge %s --help", command).isZero();
      Matcher flag = FLAG.matcher(line.replace("[same selection flags]", "").replace("[same flags]", ""));
      while (flag.find()) {
        assertThat(help.out()).as("README line '%s': envforge %s --help lists %s", line, command, flag.group(1))
            .containsPattern("(?<![\\w-])" + Pattern.quote(flag.group(1)) + "(?![\\w-])");
      }
    }
  }

  @Test
  void everyCommandIsInTheReadmeAndEveryOptionInTheReference() throws Exception {
    String cliDoc = Files.readString(GeneratedCrd.repoRoot().resolve("docs/cli.md"), StandardCharsets.UTF_8);
    List<String> usage = readmeUsageLines();
    for (String command : commands()) {
      assertThat(usage).as("README usage line of %s", command).anyMatch(l -> l.startsWith("envforge " + command + " "));
      assertThat(cliDoc).as("docs/cli.md has a section on %s", command).contains("## `envforge " + command + "`");
      if (command.equals("run")) {
        continue; // the operator's options: docs/reference.md
      }
      Matcher option = OPTION_ROW.matcher(CliRunner.run(command, "--help").out());
      int options = 0;
      while (option.find()) {
        options++;
        assertThat(cliDoc).as("docs/cli.md names option %s of %s", option.group(1), command)
            .contains("`" + option.group(1));
      }
      assertThat(options).as("options of %s", command).isPositive();
    }
  }

  private static List<String> commands() {
    List<String> commands = new ArrayList<>();
    Matcher row = COMMAND_ROW.matcher(CliRunner.run("--help").out());
    while (row.find()) {
      if (!row.group(1).equals("help")) {
        commands.add(row.group(1));
      }
    }
    assertThat(commands).contains("hash", "tags", "run");
    return commands;
  }

  private static List<String> readmeUsageLines() throws Exception {
    String readme = Files.readString(GeneratedCrd.repoRoot().resolve("README.md"), StandardCharsets.UTF_8);
    int section = readme.indexOf("## The command line");
    int start = readme.indexOf("```text\n", section) + "```text\n".length();
    int end = readme.indexOf("```", start);
    return readme.substring(start, end).lines().filter(l -> l.startsWith("envforge ")).toList();
  }
}
