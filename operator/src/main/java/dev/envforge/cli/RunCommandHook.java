package dev.envforge.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Adds the operator's {@code run} command when the operator is on the class path. The operator's classes (JOSDK,
 * fabric8, Micrometer, logging) load only when {@code run} is the command: the other commands start without them.
 */
final class RunCommandHook {
  static final String RUN_COMMAND = "dev.envforge.operator.RunCommand";
  static final String RUN = "run";

  private RunCommandHook() {}

  static void register(CommandLine cli) {
    if (RunCommandHook.class.getClassLoader().getResource(RUN_COMMAND.replace('.', '/') + ".class") == null) {
      return; // command line only
    }
    List<String> args = new ArrayList<>();
    CommandSpec run = CommandSpec.wrapWithoutInspection((Callable<Integer>) () -> {
      CommandLine real = new CommandLine(operatorRunCommand());
      real.setCommandName(cli.getCommandName() + " run");
      real.setOut(cli.getOut());
      real.setErr(cli.getErr());
      real.setExecutionExceptionHandler(cli.getExecutionExceptionHandler());
      real.setParameterExceptionHandler(cli.getParameterExceptionHandler());
      real.setExitCodeExceptionMapper(cli.getExitCodeExceptionMapper());
      return real.execute(args.toArray(String[]::new));
    });
    run.name("run");
    run.usageMessage().description(operatorDescription());
    run.parser().unmatchedOptionsArePositionalParams(true);
    run.addPositional(PositionalParamSpec.builder().paramLabel("OPTIONS").arity("0..*").type(List.class)
        .auxiliaryTypes(String.class).setter(new CommandLine.Model.ISetter() {
          @Override
          @SuppressWarnings("unchecked")
          public <T> T set(T value) {
            args.clear();
            if (value != null) {
              args.addAll((List<String>) value);
            }
            return null;
          }
        }).description("The operator's options; see 'run --help'.").build());
    cli.addSubcommand("run", run);
  }

  /** The description on the operator's command, read without initialising it. */
  private static String[] operatorDescription() {
    try {
      Class<?> type = Class.forName(RUN_COMMAND, false, RunCommandHook.class.getClassLoader());
      return type.getAnnotation(Command.class).description();
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("cannot read the run command", e);
    }
  }

  private static Object operatorRunCommand() {
    try {
      return Class.forName(RUN_COMMAND).getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create the run command", e);
    }
  }
}
