package dev.envforge.cli;

import picocli.CommandLine;

/** Adds the operator's {@code run} command when the operator is on the class path. */
final class RunCommandHook {
  private RunCommandHook() {}

  static void register(CommandLine cli) {
    try {
      Class<?> run = Class.forName("dev.envforge.operator.RunCommand");
      cli.addSubcommand(run.getDeclaredConstructor().newInstance());
    } catch (ClassNotFoundException e) {
      // command line only
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create the run command", e);
    }
  }
}
