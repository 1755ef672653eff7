package dev.envforge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.envforge.core.lock.ProjectFiles;
import dev.envforge.core.plan.PlanJson;
import dev.envforge.core.plan.PlannedPackage;
import dev.envforge.core.planner.EnvironmentPlanner;
import dev.envforge.core.planner.PlanningRequest;
import dev.envforge.core.planner.VariantPlan;
import dev.envforge.core.planner.VariantRequest;
import dev.envforge.core.runtime.RuntimePlan;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
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

  @Option(names = "--runtime-groups", split = ",", paramLabel = "GROUP",
      description = "Runtime groups: also print, separately, the packages they add on top of the image, as a Pod"
          + " installs them at start-up (they are not in the image or its tag). With -f: the manifest's.")
  List<String> runtimeGroups = new ArrayList<>();

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    return print(spec.commandLine().getOut(), project, recipe, json, runtimeGroups);
  }

  static int print(PrintWriter out, ProjectOptions project, RecipeOptions recipe, boolean json) throws Exception {
    return print(out, project, recipe, json, List.of());
  }

  static int print(PrintWriter out, ProjectOptions project, RecipeOptions recipe, boolean json,
      List<String> runtimeGroups) throws Exception {
    VariantPlan plan;
    RuntimePlan runtime;
    if (project.manifest != null) {
      if (!runtimeGroups.isEmpty()) {
        throw new IllegalArgumentException("-f reads these from the manifest; do not give --runtime-groups");
      }
      ProjectOptions.ManifestVariant chosen = project.fromManifest(recipe);
      plan = chosen.plan();
      runtime = chosen.planning().runtime(chosen.planning().variant(project.variant), plan);
    } else {
      ProjectFiles files = project.files();
      PlanningRequest request = project.planningRequest(recipe);
      VariantRequest base = project.variantRequest();
      VariantRequest variant = new VariantRequest(base.name(), base.selection(), runtimeGroups);
      plan = EnvironmentPlanner.plan(files, request, variant, project.lockFile);
      runtime = EnvironmentPlanner.runtime(files, request, variant, project.lockFile, plan);
    }
    if (json) {
      ObjectNode node = PlanJson.toJson(plan.plan());
      node.put("hash", plan.hash().hex());
      node.put("tag", plan.hash().tag());
      if (runtime.present()) {
        ObjectNode r = node.putObject("runtime");
        ArrayNode groups = r.putArray("groups");
        runtime.groups().forEach(groups::add);
        ArrayNode packages = r.putArray("packages");
        for (PlannedPackage p : runtime.packages()) {
          ObjectNode o = packages.addObject();
          o.put("name", p.name());
          o.put("version", p.version());
          if (p.source() != null) {
            o.put("source", p.source().url());
          }
        }
        r.put("requirements", runtime.requirements());
      }
      out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(node));
    } else {
      for (PlannedPackage p : plan.plan().packages()) {
        out.println(line(p) + (plan.plan().isRequested(p) ? "  # requested" : ""));
      }
      int requested = plan.plan().requestedCount();
      out.println("# " + plan.plan().packages().size() + " packages"
          + (requested < 0 ? "" : " (" + requested + " requested)") + " for Python "
          + plan.plan().environment().pythonFullVersion() + " on " + plan.recipe().platform() + "; tag "
          + plan.hash().tag());
      if (runtime.present()) {
        out.println("# runtime groups " + String.join(", ", runtime.groups()) + ": installed when a container"
            + " starts, not in the image or its tag");
        for (PlannedPackage p : runtime.packages()) {
          out.println(line(p) + "  # runtime");
        }
        out.println("# " + runtime.packages().size() + " runtime package" + (runtime.packages().size() == 1 ? ""
            : "s"));
      }
    }
    out.flush();
    return 0;
  }

  private static String line(PlannedPackage p) {
    String source = p.source() == null ? "" : "  " + p.source().type().jsonName() + " " + p.source().url()
        + (p.source().commit() == null ? "" : "@" + p.source().commit());
    return p.name() + "==" + p.version() + source;
  }
}
