package dev.envforge.cli;

import dev.envforge.core.lock.LockInputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code envforge} command line: the same core the operator runs, without a cluster. */
@Command(name = "envforge", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Resolves Python lock files into exact install plans, hashes them into image tags, renders their"
        + " build recipes, and runs the envforge operator.",
    subcommands = {ResolveCommand.class, HashCommand.class, RenderCommand.class, CheckCommand.class,
        DiffCommand.class, CommandLine.HelpCommand.class})
public final class Main {
  /** Bad input (a lock, a flag): the message names what is wrong. */
  public static final int EXIT_BAD_INPUT = 2;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code; used by tests too. */
  public static int run(String... args) {
    CommandLine cli = commandLine();
    return cli.execute(args);
  }

  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      if (ex instanceof LockInputException || ex instanceof IllegalArgumentException) {
        commandLine.getErr().println(ex.getMessage());
        return EXIT_BAD_INPUT;
      }
      throw ex;
    });
    cli.setParameterExceptionHandler((ex, args) -> {
      CommandLine c = ex.getCommandLine();
      c.getErr().println(ex.getMessage());
      c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
      return EXIT_BAD_INPUT;
    });
    cli.setExitCodeExceptionMapper(ex -> EXIT_BAD_INPUT);
    RunCommandHook.register(cli);
    return cli;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"envforge " + (v == null ? "development build" : v)};
    }
  }
}
