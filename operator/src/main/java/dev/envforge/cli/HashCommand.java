package dev.envforge.cli;

import java.io.PrintWriter;
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
    return print(spec.commandLine().getOut(), project, recipe, json);
  }

  static int print(PrintWriter out, ProjectOptions project, RecipeOptions recipe, boolean json) throws Exception {
    out.println(json ? JsonOutput.plan(project, recipe) : project.plan(recipe).hash().tag());
    out.flush();
    return 0;
  }
}
