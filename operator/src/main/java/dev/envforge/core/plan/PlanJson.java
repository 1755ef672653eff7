package dev.envforge.core.plan;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * The JSON form of an install plan, as {@code envforge resolve --json} prints it. {@code packages} and
 * {@code local_skipped} follow the reference-answer schema exactly: Python packages as
 * {@code {name, version, source: {type, url, commit?}}}, conda records as {@code {name, version, manager, url}},
 * requirements pins as {@code {name, version}}. {@code requested} lists the packages the project asks for itself
 * (null where the format does not say); it sits beside {@code packages} so that their schema stays the reference's.
 */
public final class PlanJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private PlanJson() {}

  public static ObjectNode toJson(InstallPlan plan) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("format", plan.format().id());
    ObjectNode selection = root.putObject("selection");
    plan.selection().groups().forEach(selection.putArray("groups")::add);
    plan.selection().extras().forEach(selection.putArray("extras")::add);
    ObjectNode env = root.putObject("environment");
    for (Map.Entry<String, String> e : plan.environment().asMap().entrySet()) {
      env.put(e.getKey(), e.getValue());
    }
    root.set("packages", packages(plan));
    if (plan.marksRequested()) {
      ArrayNode requested = root.putArray("requested");
      plan.packages().stream().filter(plan::isRequested).forEach(p -> requested.add(p.name()));
    } else {
      root.putNull("requested");
    }
    ArrayNode skipped = root.putArray("local_skipped");
    plan.localSkipped().forEach(skipped::add);
    if (!plan.indexes().isEmpty()) {
      plan.indexes().forEach(root.putArray("indexes")::add);
    }
    return root;
  }

  public static ArrayNode packages(InstallPlan plan) {
    ArrayNode array = MAPPER.createArrayNode();
    for (PlannedPackage p : plan.packages()) {
      ObjectNode node = array.addObject();
      node.put("name", p.name());
      node.put("version", p.version());
      if (p.manager() != null) {
        node.put("manager", p.manager());
        node.put("url", p.source() == null ? null : p.source().url());
      } else if (p.source() != null) {
        ObjectNode source = node.putObject("source");
        source.put("type", p.source().type().jsonName());
        source.put("url", p.source().url());
        if (p.source().commit() != null) {
          source.put("commit", p.source().commit());
        }
      }
    }
    return array;
  }
}
