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
  void everyCommandIsInTheReadmeAndEveryOptionInItsSectionOfTheReference() throws Exception {
    String cliDoc = Files.readString(GeneratedCrd.repoRoot().resolve("docs/cli.md"), StandardCharsets.UTF_8);
    String everyCommand = section(cliDoc, "Options of every command");
    String selection = section(cliDoc, "Project selection (resolve, hash, render)");
    List<String> usage = readmeUsageLines();
    for (String command : commands()) {
      assertThat(usage).as("README usage line of %s", command).anyMatch(l -> l.startsWith("envforge " + command + " "));
      assertThat(cliDoc).as("docs/cli.md has a section on %s", command).contains("## `envforge " + command + "`");
      if (command.equals("run")) {
        continue; // the operator's options: docs/reference.md
      }
      String own = section(cliDoc, "`envforge " + command + "`");
      // resolve, hash and render share the selection section; another command that uses it links to it
      boolean sharesSelection = List.of("resolve", "hash", "render").contains(command)
          || own.contains("](#project-selection-resolve-hash-render)");
      String help = CliRunner.run(command, "--help").out();
      Matcher option = OPTION_ROW.matcher(help);
      int options = 0;
      while (option.find()) {
        options++;
        String name = "`" + option.group(1);
        assertThat(own.contains(name) || everyCommand.contains(name) || sharesSelection && selection.contains(name))
            .as("the section of %s in docs/cli.md (or a section it shares) names option %s", command, option.group(1))
            .isTrue();
      }
      assertThat(options).as("options of %s", command).isPositive();
      // and the section names no flag the command does not have: its tables' first column and its usage lines
      for (String line : own.lines().toList()) {
        String documented = line.startsWith("| `") ? line.split("\\|")[1] : line.startsWith("envforge ") ? line : "";
        Matcher flag = FLAG.matcher(documented);
        while (flag.find()) {
          assertThat(help).as("docs/cli.md documents %s for %s: envforge %s --help lists it", flag.group(1), command,
              command).containsPattern("(?<![\\w-])" + Pattern.quote(flag.group(1)) + "(?![\\w-])");
        }
      }
    }
  }

  /** A level-2 section of docs/cli.md: from its title to the next level-2 title. */
  private static String section(String doc, String title) {
    int start = doc.indexOf("\n## " + title + "\n");
    assertThat(start).as("docs/cli.md has a section '%s'", title).isNotNegative();
    int end = doc.indexOf("\n## ", start + 1);
    return doc.substring(start, end < 0 ? doc.length() : end);
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
