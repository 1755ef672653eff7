package dev.envforge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.envforge.core.planner.VariantPlan;
import dev.envforge.core.planner.VariantRequest;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "tags", mixinStandardHelpOptions = true,
    description = "Prints every variant of a PythonEnvironment manifest with the tag and image reference the operator"
        + " computes for it.")
final class TagsCommand implements Callable<Integer> {
  @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE",
      description = "The PythonEnvironment manifest (YAML; other documents in the file are ignored, ConfigMaps are"
          + " read when the resource's source names them).")
  Path manifest;

  @Option(names = "--project", paramLabel = "DIR",
      description = "The project folder of a resource whose source is a ConfigMap (default: the ConfigMaps in the"
          + " same file).")
  Path project;

  @Option(names = "--name", paramLabel = "NAME", description = "The PythonEnvironment of that name, when the file"
      + " holds several.")
  String name;

  @Option(names = "--json", description = "Print one JSON object: {\"name\", \"namespace\", \"variants\": [{\"name\","
      + " \"tag\", \"image\", \"packages\"}]}.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ManifestPlanning planning = ManifestPlanning.of(ManifestReader.read(manifest, name), project);
    PrintWriter out = spec.commandLine().getOut();
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = mapper.createObjectNode();
    root.put("name", planning.manifest().name());
    root.put("namespace", planning.manifest().namespace());
    ArrayNode variants = root.putArray("variants");
    for (VariantRequest variant : planning.variants()) {
      VariantPlan plan = planning.plan(variant);
      String image = planning.image(plan.hash().tag()).toString();
      if (json) {
        variants.addObject().put("name", variant.name()).put("tag", plan.hash().tag()).put("image", image)
            .put("packages", plan.plan().packages().size());
      } else {
        out.println(variant.name() + "\t" + plan.hash().tag() + "\t" + image);
      }
    }
    if (json) {
      out.println(mapper.writeValueAsString(root));
    }
    out.flush();
    return 0;
  }
}
