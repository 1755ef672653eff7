package dev.envforge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.envforge.core.plan.PlanJson;
import dev.envforge.core.plan.PlannedPackage;
import dev.envforge.core.planner.VariantPlan;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "resolve", mixinStandardHelpOptions = true,
    description = "Prints the exact packages a variant installs on the target.")
final class ResolveCommand implements Callable<Integer> {
  @Mixin ProjectOptions project;
  @Mixin RecipeOptions recipe;

  @Option(names = "--json", description = "Print one JSON object (packages, local_skipped, environment, hash).")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    return print(spec.commandLine().getOut(), project, recipe, json);
  }

  static int print(PrintWriter out, ProjectOptions project, RecipeOptions recipe, boolean json) throws Exception {
    VariantPlan plan = project.plan(recipe);
    if (json) {
      ObjectNode node = PlanJson.toJson(plan.plan());
      node.put("hash", plan.hash().hex());
      node.put("tag", plan.hash().tag());
      out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(node));
    } else {
      for (PlannedPackage p : plan.plan().packages()) {
        String source = p.source() == null ? "" : "  " + p.source().type().jsonName() + " " + p.source().url()
            + (p.source().commit() == null ? "" : "@" + p.source().commit());
        out.println(p.name() + "==" + p.version() + source + (plan.plan().isRequested(p) ? "  # requested" : ""));
      }
      int requested = plan.plan().requestedCount();
      out.println("# " + plan.plan().packages().size() + " packages"
          + (requested < 0 ? "" : " (" + requested + " requested)") + " for Python "
          + plan.plan().environment().pythonFullVersion() + " on " + plan.recipe().platform() + "; tag "
          + plan.hash().tag());
    }
    out.flush();
    return 0;
  }
}
