package dev.envforge.cli;

import dev.envforge.core.lock.IoMessages;
import dev.envforge.core.lock.LockInputException;
import dev.envforge.core.text.Texts;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code envforge} command line: the same core the operator runs, without a cluster.
 *
 * <p>Exit codes: {@value #EXIT_OK} done; {@value #EXIT_CHECK_FAILED} a check failed; {@value #EXIT_BAD_INPUT} bad
 * input (a project file, with {@code FILE:LINE:COLUMN}, or a flag); {@value #EXIT_ERROR} an I/O or internal error.
 * Every error is one line on standard error, credentials redacted and control characters escaped; the stack trace
 * is printed only with {@code --debug}.
 */
@Command(name = "envforge", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Resolves Python lock files into exact install plans, hashes them into image tags, renders their"
        + " build recipes, and runs the envforge operator.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:done", "1:a check failed", "2:bad input (FILE:LINE:COLUMN: problem, or a flag)",
        "3:I/O or internal error (stack trace with --debug)",
        "4:assemble: the plan or base image cannot be assembled; build with the Kaniko recipe"})
public final class Main {
  public static final int EXIT_OK = 0;
  /** A check the command makes found a problem (the command ran correctly). */
  public static final int EXIT_CHECK_FAILED = 1;
  /** Bad input (a lock, a flag): the message names what is wrong and where. */
  public static final int EXIT_BAD_INPUT = 2;
  /** An I/O error or a defect of envforge. */
  public static final int EXIT_ERROR = 3;

  static final String DEBUG = "--debug";

  /**
   * The commands in the order of the usage help. picocli reads a command's annotations by reflection when it is
   * added, which costs more than a short command's work, so a run adds only the command it runs.
   */
  private static final Map<String, Supplier<Object>> COMMANDS = new LinkedHashMap<>();

  static {
    COMMANDS.put("resolve", ResolveCommand::new);
    COMMANDS.put("hash", HashCommand::new);
    COMMANDS.put("render", RenderCommand::new);
    COMMANDS.put("tags", TagsCommand::new);
    COMMANDS.put("check-lock", CheckLockCommand::new);
    COMMANDS.put("sync", SyncCommand::new);
    COMMANDS.put("check", CheckCommand::new);
    COMMANDS.put("diff", DiffCommand::new);
    COMMANDS.put("exists", ExistsCommand::new);
    COMMANDS.put("logs", LogsCommand::new);
    COMMANDS.put("assemble", AssembleCommand::new);
  }

  @Option(names = DEBUG, scope = ScopeType.INHERIT,
      description = "On an error, print the stack trace too.")
  boolean debug;

  /** The JDK's property for the common fork-join pool's parallelism (read once, when the pool is made). */
  static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

  public static void main(String[] args) {
    keepAsyncStagesOnThePool();
    System.exit(run(args));
  }

  /**
   * With 2 CPUs or fewer (most Pods) the common pool has one thread, and then every {@code CompletableFuture} stage
   * without an executor, such as the one the JDK's HttpClient adds to each {@code sendAsync}, starts a thread of its
   * own: one thread per registry request. Two threads keep those stages on the shared pool. A value the user set is
   * kept. Must run before anything uses the pool.
   */
  static void keepAsyncStagesOnThePool() {
    if (System.getProperty(COMMON_POOL_PARALLELISM) == null && Runtime.getRuntime().availableProcessors() <= 2) {
      System.setProperty(COMMON_POOL_PARALLELISM, "2");
    }
  }

  /** Runs the command line and returns its exit code; used by tests too. */
  public static int run(String... args) {
    return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /** Runs the command line with its own output and error streams, as tests do. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    Integer quick = QuickStart.run(out, err, args);
    if (quick != null) {
      return quick;
    }
    CommandLine cli = commandLine(commandName(args));
    cli.setOut(out);
    cli.setErr(err);
    try {
      return cli.execute(args);
    } catch (StackOverflowError | OutOfMemoryError e) {
      // a defect: every reader bounds its depth and size, so this must not happen on any input
      return report(err, e, Arrays.asList(args).contains(DEBUG));
    } finally {
      out.flush();
      err.flush();
    }
  }

  /** The command line with every command. */
  static CommandLine commandLine() {
    return commandLine(null);
  }

  /** The first argument that is not an option: the command's name, or null. */
  private static String commandName(String[] args) {
    for (String arg : args) {
      if (!arg.startsWith("-")) {
        return arg;
      }
    }
    return null;
  }

  /** The command line with only {@code command} when it is one of envforge's, else with every command. */
  static CommandLine commandLine(String command) {
    CommandLine cli = new CommandLine(new Main());
    boolean one = command != null && (COMMANDS.containsKey(command) || command.equals(RunCommandHook.RUN));
    for (Map.Entry<String, Supplier<Object>> entry : COMMANDS.entrySet()) {
      if (!one || entry.getKey().equals(command)) {
        cli.addSubcommand(entry.getKey(), entry.getValue().get());
      }
    }
    if (!one) {
      cli.addSubcommand("help", new CommandLine.HelpCommand());
    }
    // a command's --version says what envforge's says (picocli does not pass the provider on to subcommands)
    for (CommandLine sub : cli.getSubcommands().values()) {
      sub.getCommandSpec().versionProvider(new Version());
    }
    cli.setExecutionExceptionHandler((ex, commandLine, parseResult) ->
        report(commandLine.getErr(), ex, parseResult.originalArgs().contains(DEBUG)));
    cli.setParameterExceptionHandler((ex, args) -> {
      CommandLine c = ex.getCommandLine();
      c.getErr().println(Texts.oneLine(ex.getMessage()));
      c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
      c.getErr().flush();
      return EXIT_BAD_INPUT;
    });
    cli.setExitCodeExceptionMapper(Main::exitCode);
    if (!one || command.equals(RunCommandHook.RUN)) {
      RunCommandHook.register(cli);
    }
    return cli;
  }

  /** Prints one line for the error, and its stack trace when asked for; returns the exit code. */
  static int report(PrintWriter err, Throwable e, boolean debug) {
    int code = exitCode(e);
    err.println(Texts.oneLine(message(e, code)));
    if (debug) {
      e.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  static int exitCode(Throwable e) {
    if (e instanceof LockInputException || e instanceof IllegalArgumentException
        || e instanceof CommandLine.ParameterException) {
      return EXIT_BAD_INPUT;
    }
    return EXIT_ERROR;
  }

  private static String message(Throwable e, int code) {
    if (code == EXIT_BAD_INPUT) {
      return String.valueOf(e.getMessage());
    }
    if (e instanceof UncheckedIOException io) {
      return "envforge: I/O error: " + io.getMessage();
    }
    if (e instanceof IOException io) {
      return "envforge: I/O error: " + IoMessages.reason(io);
    }
    return "envforge: internal error (" + e.getClass().getSimpleName() + (e.getMessage() == null ? ""
        : ": " + e.getMessage()) + "); run again with " + DEBUG + " for the stack trace";
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws java.io.IOException {
      java.util.Properties build = new java.util.Properties();
      try (java.io.InputStream in = Main.class.getResourceAsStream("build.properties")) {
        if (in != null) {
          build.load(in);
        }
      }
      return new String[] {"envforge " + build.getProperty("version", "development build") + " (commit "
          + build.getProperty("commit", "unknown") + ")"};
    }
  }
}
