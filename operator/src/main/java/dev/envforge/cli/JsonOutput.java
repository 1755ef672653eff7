package dev.envforge.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.envforge.core.planner.VariantPlan;
import java.util.Collection;

/** The JSON objects of --json (docs/cli.md has their schemas); loaded only when asked for. */
final class JsonOutput {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private JsonOutput() {}

  static String plan(ProjectOptions project, RecipeOptions recipe) throws JsonProcessingException {
    ObjectNode node = JSON.createObjectNode();
    if (project.manifest != null) {
      ProjectOptions.ManifestVariant variant = project.fromManifest(recipe);
      put(node, variant.plan());
      node.put("image", variant.image());
    } else {
      put(node, project.plan(recipe));
    }
    return JSON.writeValueAsString(node);
  }

  static String render(VariantPlan plan, Collection<String> files) throws JsonProcessingException {
    ObjectNode node = JSON.createObjectNode();
    put(node, plan);
    files.stream().sorted().forEach(node.putArray("files")::add);
    return JSON.writeValueAsString(node);
  }

  /** Any document of maps, lists, strings, numbers, booleans and nulls, indented as the other commands print. */
  static String write(Object document) throws JsonProcessingException {
    return JSON.writeValueAsString(document);
  }

  private static void put(ObjectNode node, VariantPlan plan) {
    node.put("variant", plan.variant());
    node.put("tag", plan.hash().tag());
    node.put("hash", plan.hash().hex());
  }
}
