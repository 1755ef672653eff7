package dev.envforge.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "hash", mixinStandardHelpOptions = true,
    description = "Prints the image tag of a variant, and nothing else.")
final class HashCommand implements Callable<Integer> {
  @Mixin ProjectOptions project;
  @Mixin RecipeOptions recipe;
  @picocli.CommandLine.Option(names = "--json",
      description = "Print one JSON object: {\"variant\", \"tag\", \"hash\"}, and with -f also \"image\".")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (json) {
      spec.commandLine().getOut().println(JsonOutput.plan(project, recipe));
      spec.commandLine().getOut().flush();
      return 0;
    }
    String tag = project.plan(recipe).hash().tag();
    spec.commandLine().getOut().println(tag);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
