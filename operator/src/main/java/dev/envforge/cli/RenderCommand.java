package dev.envforge.cli;

import dev.envforge.core.planner.VariantPlan;
import dev.envforge.core.recipe.BuildContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "render", mixinStandardHelpOptions = true,
    description = "Writes the build context (Dockerfile and pinned requirements with hashes) of a variant.")
final class RenderCommand implements Callable<Integer> {
  @Mixin ProjectOptions project;
  @Mixin RecipeOptions recipe;

  @Option(names = "--out", required = true, paramLabel = "CONTEXT_DIR", description = "Folder to write the context to.")
  Path out;

  @Option(names = "--json", description = "Print one JSON object: {\"variant\", \"tag\", \"hash\", \"files\"}, files"
      + " being the names written to CONTEXT_DIR.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    VariantPlan plan = project.plan(recipe);
    BuildContext context = plan.render();
    Files.createDirectories(out);
    for (Map.Entry<String, String> file : context.files().entrySet()) {
      Files.writeString(out.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
    }
    if (json) {
      spec.commandLine().getOut().println(JsonOutput.render(plan, context.files().keySet()));
    } else {
      spec.commandLine().getOut().println(plan.hash().tag());
    }
    spec.commandLine().getOut().flush();
    return 0;
  }
}
