package dev.envforge.core.policy;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.envforge.core.lock.LockInputException;
import dev.envforge.core.text.Texts;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads EnvironmentPolicy documents: the manifests applied to a cluster, read the same way by the command line
 * (from a file, with {@code FILE:LINE:COLUMN} errors) and by the operator (from the resource's rules). Unknown fields
 * are errors, so a misspelt rule never silently allows everything.
 */
public final class PolicyReader {
  public static final String KIND = "EnvironmentPolicy";
  private static final Set<String> RULE_FIELDS = Set.of(PolicyEngine.ALLOWED_SOURCES,
      PolicyEngine.ALLOWED_BASE_IMAGES, PolicyEngine.ALLOWED_IMAGE_REPOSITORIES, PolicyEngine.REQUIRED_PACKAGES,
      PolicyEngine.DENIED_PACKAGES, PolicyEngine.FORBIDDEN_GROUPS, PolicyEngine.FORBIDDEN_EXTRAS,
      PolicyEngine.MAX_PACKAGES_PER_VARIANT, PolicyEngine.MAX_VARIANTS_PER_RESOURCE,
      PolicyEngine.FORBID_RUNTIME_GROUPS);

  /** Where each field of a tree was written; "" when not from a file. */
  private interface Places {
    LockInputException error(String path, String problem);
  }

  private PolicyReader() {}

  /**
   * The policies of a YAML file with one or more documents; documents of another kind are skipped, so a file may
   * hold a whole kustomization's worth of manifests.
   *
   * @throws LockInputException naming file, line and column of what is wrong
   */
  public static List<Policy> readYaml(String file, String text) {
    List<Policy> policies = new ArrayList<>();
    try (JsonParser parser = new YAMLFactory().createParser(text)) {
      while (true) {
        Map<String, JsonLocation> locations = new HashMap<>();
        JsonToken first = parser.nextToken();
        if (first == null) {
          break;
        }
        JsonNode doc = readValue(parser, "", locations);
        Places places = (path, problem) -> {
          JsonLocation at = locations.getOrDefault(path, parser.currentLocation());
          return new LockInputException(file, at.getLineNr(), at.getColumnNr(), path + ": " + problem);
        };
        if (!doc.isObject() || !KIND.equals(doc.path("kind").asText())) {
          continue;
        }
        String name = doc.path("metadata").path("name").asText(null);
        if (name == null || name.isBlank()) {
          throw places.error("metadata.name", "required");
        }
        policies.add(new Policy(name, rules(doc.path("spec").path("rules"), "spec.rules", places)));
      }
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new LockInputException(file, at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr(),
          "not valid YAML: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new LockInputException(file, 0, 0, "cannot read: " + e.getMessage());
    }
    return policies;
  }

  /**
   * The rules of a policy given as a tree (the operator's resource, serialized); {@code origin} names the resource
   * in messages.
   *
   * @throws IllegalArgumentException naming the field that is wrong
   */
  public static PolicyRules rules(JsonNode rules, String origin) {
    try {
      return rules(rules, "spec.rules", (path, problem) -> new LockInputException(origin, 0, 0, path + ": "
          + problem));
    } catch (LockInputException e) {
      throw new IllegalArgumentException(origin + ": " + e.problem(), e);
    }
  }

  private static PolicyRules rules(JsonNode node, String path, Places places) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return PolicyRules.NONE;
    }
    requireObject(node, path, places);
    node.fieldNames().forEachRemaining(f -> {
      if (!RULE_FIELDS.contains(f)) {
        throw places.error(path + "." + f, "unknown rule (known: " + String.join(", ", RULE_FIELDS.stream()
            .sorted().toList()) + ")");
      }
    });
    PolicyRules.Sources sources = null;
    JsonNode s = node.get(PolicyEngine.ALLOWED_SOURCES);
    String sp = path + "." + PolicyEngine.ALLOWED_SOURCES;
    if (s != null && !s.isNull()) {
      requireObject(s, sp, places);
      onlyFields(s, sp, places, "indexUrls", "gitHosts", "urlHosts");
      sources = new PolicyRules.Sources(strings(s.get("indexUrls"), sp + ".indexUrls", places),
          strings(s.get("gitHosts"), sp + ".gitHosts", places), strings(s.get("urlHosts"), sp + ".urlHosts", places));
    }
    PolicyRules.BaseImages baseImages = null;
    JsonNode b = node.get(PolicyEngine.ALLOWED_BASE_IMAGES);
    String bp = path + "." + PolicyEngine.ALLOWED_BASE_IMAGES;
    if (b != null && !b.isNull()) {
      requireObject(b, bp, places);
      onlyFields(b, bp, places, "prefixes", "requireDigest");
      JsonNode digest = b.get("requireDigest");
      if (digest != null && !digest.isNull() && !digest.isBoolean()) {
        throw places.error(bp + ".requireDigest", "expected true or false");
      }
      baseImages = new PolicyRules.BaseImages(strings(b.get("prefixes"), bp + ".prefixes", places),
          digest != null && digest.asBoolean());
    }
    JsonNode forbidRuntime = node.get(PolicyEngine.FORBID_RUNTIME_GROUPS);
    if (forbidRuntime != null && !forbidRuntime.isNull() && !forbidRuntime.isBoolean()) {
      throw places.error(path + "." + PolicyEngine.FORBID_RUNTIME_GROUPS, "expected true or false");
    }
    return new PolicyRules(sources, baseImages,
        strings(node.get(PolicyEngine.ALLOWED_IMAGE_REPOSITORIES), path + "." + PolicyEngine.ALLOWED_IMAGE_REPOSITORIES,
            places),
        packages(node.get(PolicyEngine.REQUIRED_PACKAGES), path + "." + PolicyEngine.REQUIRED_PACKAGES, places),
        packages(node.get(PolicyEngine.DENIED_PACKAGES), path + "." + PolicyEngine.DENIED_PACKAGES, places),
        strings(node.get(PolicyEngine.FORBIDDEN_GROUPS), path + "." + PolicyEngine.FORBIDDEN_GROUPS, places),
        strings(node.get(PolicyEngine.FORBIDDEN_EXTRAS), path + "." + PolicyEngine.FORBIDDEN_EXTRAS, places),
        count(node.get(PolicyEngine.MAX_PACKAGES_PER_VARIANT), path + "." + PolicyEngine.MAX_PACKAGES_PER_VARIANT,
            places),
        count(node.get(PolicyEngine.MAX_VARIANTS_PER_RESOURCE), path + "." + PolicyEngine.MAX_VARIANTS_PER_RESOURCE,
            places),
        forbidRuntime != null && forbidRuntime.asBoolean());
  }

  private static List<PackageRule> packages(JsonNode node, String path, Places places) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw places.error(path, "expected a list of {name, version}");
    }
    List<PackageRule> rules = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode p = node.get(i);
      String at = path + "[" + i + "]";
      requireObject(p, at, places);
      onlyFields(p, at, places, "name", "version");
      JsonNode name = p.get("name");
      if (name == null || !name.isTextual()) {
        throw places.error(at + ".name", "required: a package name");
      }
      JsonNode version = p.get("version");
      if (version != null && !version.isNull() && !version.isTextual()) {
        throw places.error(at + ".version", "expected a PEP 440 specifier such as \"<5.4\"");
      }
      try {
        rules.add(PackageRule.of(name.asText(), version == null || version.isNull() ? null : version.asText()));
      } catch (IllegalArgumentException e) {
        throw places.error(version != null && !version.isNull() ? at + ".version" : at + ".name", e.getMessage());
      }
    }
    return rules;
  }

  private static List<String> strings(JsonNode node, String path, Places places) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isArray()) {
      throw places.error(path, "expected a list of strings");
    }
    List<String> values = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      if (!node.get(i).isTextual() || node.get(i).asText().isBlank()) {
        throw places.error(path + "[" + i + "]", "expected a non-empty string");
      }
      values.add(node.get(i).asText().strip());
    }
    return values;
  }

  private static Integer count(JsonNode node, String path, Places places) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() < 0) {
      throw places.error(path, "expected a whole number of 0 or more");
    }
    return node.asInt();
  }

  private static void requireObject(JsonNode node, String path, Places places) {
    if (!node.isObject()) {
      throw places.error(path, "expected a mapping");
    }
  }

  private static void onlyFields(JsonNode node, String path, Places places, String... known) {
    Set<String> allowed = Set.of(known);
    node.fieldNames().forEachRemaining(f -> {
      if (!allowed.contains(f)) {
        throw places.error(path + "." + f, "unknown field (known: " + String.join(", ", known) + ")");
      }
    });
  }

  /** A tree of the value at the parser's current token, noting where each field path was written. */
  private static JsonNode readValue(JsonParser parser, String path, Map<String, JsonLocation> locations)
      throws IOException {
    JsonToken token = parser.currentToken();
    locations.putIfAbsent(path, parser.currentTokenLocation());
    JsonNodeFactory f = JsonNodeFactory.instance;
    switch (token) {
      case START_OBJECT -> {
        ObjectNode object = f.objectNode();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String field = parser.currentName();
          String child = path.isEmpty() ? field : path + "." + field;
          locations.put(child, parser.currentTokenLocation());
          parser.nextToken();
          object.set(field, readValue(parser, child, locations));
        }
        return object;
      }
      case START_ARRAY -> {
        ArrayNode array = f.arrayNode();
        int i = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          array.add(readValue(parser, path + "[" + i++ + "]", locations));
        }
        return array;
      }
      case VALUE_STRING -> {
        return f.textNode(parser.getText());
      }
      case VALUE_NUMBER_INT -> {
        return f.numberNode(parser.getLongValue());
      }
      case VALUE_NUMBER_FLOAT -> {
        return f.numberNode(parser.getDoubleValue());
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return f.booleanNode(token == JsonToken.VALUE_TRUE);
      }
      case VALUE_NULL -> {
        return f.nullNode();
      }
      default -> throw new LockInputException("", 0, 0, "unexpected " + Texts.quote(String.valueOf(token)));
    }
  }
}
