package dev.envforge.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;
import com.networknt.schema.path.NodePath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * Validates resources against a CRD's openAPIV3Schema the way the API server would, as far as can be done without
 * one: the structural keywords through a JSON-schema validator (OpenAPI 3.0 dialect), unknown fields rejected as
 * {@code kubectl}'s strict field validation does, and messages worded like the API server's.
 *
 * <p>CEL rules ({@code x-kubernetes-validations}) are enforced by the API server. Only the rule shapes this CRD
 * uses are emulated here, by {@link CelRules}; any other rule makes validation fail loudly rather than pass.
 */
public final class CrdSchemaValidator {

  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final JsonNode openApiSchema;
  private final Schema schema;

  private CrdSchemaValidator(JsonNode openApiSchema) {
    this.openApiSchema = openApiSchema;
    Dialect kubernetesOpenApi = Dialect.builder(Dialects.getOpenApi30())
        .keyword(new NonValidationKeyword("x-kubernetes-validations"))
        .keyword(new NonValidationKeyword("x-kubernetes-int-or-string"))
        .keyword(new NonValidationKeyword("x-kubernetes-preserve-unknown-fields"))
        .keyword(new NonValidationKeyword("x-kubernetes-embedded-resource"))
        .keyword(new NonValidationKeyword("x-kubernetes-list-type"))
        .keyword(new NonValidationKeyword("x-kubernetes-list-map-keys"))
        .keyword(new NonValidationKeyword("x-kubernetes-map-type"))
        .build();
    this.schema = SchemaRegistry.withDefaultDialect(kubernetesOpenApi).getSchema(asServerSees(openApiSchema));
  }

  public static CrdSchemaValidator of(byte[] crdYaml) {
    try {
      JsonNode crd = YAML.readTree(crdYaml);
      JsonNode versions = crd.at("/spec/versions");
      if (versions.size() != 1) {
        throw new IllegalArgumentException("expected one version in the CRD, found " + versions.size());
      }
      return new CrdSchemaValidator(versions.get(0).at("/schema/openAPIV3Schema"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The openAPIV3Schema as found in the CRD. */
  JsonNode openApiSchema() {
    return openApiSchema;
  }

  /** Messages for everything wrong with the resource; empty when the API server would accept it. */
  public List<String> validate(JsonNode resource) {
    List<String> messages = new ArrayList<>();
    for (Error error : schema.validate(resource)) {
      messages.add(describe(error));
    }
    messages.addAll(CelRules.check(openApiSchema, resource));
    return messages;
  }

  /**
   * The schema as the API server applies it: apiVersion, kind and metadata are always allowed at the root, and a
   * field the schema does not declare is an error (strict field validation, kubectl's default since 1.27) unless
   * the schema keeps unknown fields.
   */
  private static JsonNode asServerSees(JsonNode openApiSchema) {
    ObjectNode copy = openApiSchema.deepCopy();
    ObjectNode properties = (ObjectNode) copy.get("properties");
    properties.putObject("apiVersion").put("type", "string");
    properties.putObject("kind").put("type", "string");
    properties.putObject("metadata").put("type", "object");
    forbidUndeclaredFields(copy);
    return copy;
  }

  private static void forbidUndeclaredFields(JsonNode schemaNode) {
    if (!schemaNode.isObject()) {
      return;
    }
    ObjectNode node = (ObjectNode) schemaNode;
    if (node.has("properties")
        && !node.has("additionalProperties")
        && !node.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
      node.put("additionalProperties", false);
    }
    node.path("properties").forEach(CrdSchemaValidator::forbidUndeclaredFields);
    forbidUndeclaredFields(node.path("items"));
    forbidUndeclaredFields(node.path("additionalProperties"));
    node.path("anyOf").forEach(CrdSchemaValidator::forbidUndeclaredFields);
    node.path("allOf").forEach(CrdSchemaValidator::forbidUndeclaredFields);
    node.path("oneOf").forEach(CrdSchemaValidator::forbidUndeclaredFields);
  }

  private static String describe(Error error) {
    String path = fieldPath(error.getInstanceLocation());
    JsonNode value = error.getInstanceNode();
    JsonNode rule = error.getSchemaNode();
    switch (error.getKeyword()) {
      case "required":
        return join(path, error.getProperty()) + ": Required value";
      case "additionalProperties":
        return "unknown field \"" + join(path, error.getProperty()) + "\"";
      case "pattern":
        return path + ": Invalid value: " + quoted(value) + ": " + path + " in body should match '" + rule.asText()
            + "'";
      case "enum":
        return path + ": Unsupported value: " + quoted(value) + ": supported values: "
            + StreamSupport.stream(rule.spliterator(), false).map(CrdSchemaValidator::quoted)
                .collect(Collectors.joining(", "));
      case "maxItems":
        return path + ": Too many: " + value.size() + ": must have at most " + number(rule) + " items";
      case "minItems":
        return path + ": Invalid value: " + value.size() + ": " + path + " in body should have at least "
            + number(rule) + " items";
      case "maxLength":
        return path + ": Too long: may not be more than " + number(rule) + " bytes";
      case "minLength":
        return path + ": Invalid value: " + quoted(value) + ": " + path + " in body should be at least "
            + number(rule) + " chars long";
      case "minimum":
        return path + ": Invalid value: " + value + ": " + path + " in body should be greater than or equal to "
            + number(rule);
      case "maximum":
        return path + ": Invalid value: " + value + ": " + path + " in body should be less than or equal to "
            + number(rule);
      case "type":
        String actual = jsonType(value);
        return path + ": Invalid value: \"" + actual + "\": " + path + " in body must be of type " + rule.asText()
            + ": \"" + actual + "\"";
      default:
        return path + ": " + error.getMessage();
    }
  }

  /** A path in the API server's notation: {@code spec.variants[0].name}. */
  static String fieldPath(NodePath location) {
    StringBuilder path = new StringBuilder();
    for (int i = 0; i < location.getNameCount(); i++) {
      Object element = location.getElement(i);
      if (element instanceof Integer) {
        path.append('[').append(element).append(']');
      } else {
        if (path.length() > 0) {
          path.append('.');
        }
        path.append(element);
      }
    }
    return path.toString();
  }

  static String join(String path, String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  private static String quoted(JsonNode value) {
    return value.isTextual() ? "\"" + value.asText() + "\"" : value.toString();
  }

  private static String number(JsonNode value) {
    BigDecimal decimal = value.decimalValue().stripTrailingZeros();
    return decimal.scale() <= 0 ? decimal.toBigInteger().toString() : decimal.toPlainString();
  }

  static String jsonType(JsonNode value) {
    if (value.isTextual()) {
      return "string";
    } else if (value.isIntegralNumber()) {
      return "integer";
    } else if (value.isNumber()) {
      return "number";
    } else if (value.isBoolean()) {
      return "boolean";
    } else if (value.isArray()) {
      return "array";
    } else if (value.isNull()) {
      return "null";
    }
    return "object";
  }

  /**
   * The CEL rules of this CRD, emulated for the shapes it uses. Each supported shape is matched exactly; the API
   * server evaluates the real rules.
   */
  static final class CelRules {

    /** {@code has(self.a) != has(self.b)}: exactly one of two fields is set. */
    static final Pattern EXACTLY_ONE_OF =
        Pattern.compile("has\\(self\\.(\\w+)\\) != has\\(self\\.(\\w+)\\)");
    /** {@code self.all(x, self.exists_one(y, y.f == x.f))}: the list's items differ in field f. */
    static final Pattern UNIQUE_FIELD =
        Pattern.compile("self\\.all\\((\\w+), self\\.exists_one\\((\\w+), \\2\\.(\\w+) == \\1\\.\\3\\)\\)");

    private CelRules() {}

    /** Every rule of the schema with the field path it applies to, in schema order. */
    static List<Map.Entry<String, JsonNode>> rules(JsonNode schemaNode) {
      List<Map.Entry<String, JsonNode>> found = new ArrayList<>();
      collect(schemaNode, "", found);
      return found;
    }

    private static void collect(JsonNode schemaNode, String path, List<Map.Entry<String, JsonNode>> found) {
      schemaNode.path("x-kubernetes-validations").forEach(rule -> found.add(Map.entry(path, rule)));
      Iterator<Map.Entry<String, JsonNode>> properties = schemaNode.path("properties").fields();
      while (properties.hasNext()) {
        Map.Entry<String, JsonNode> property = properties.next();
        collect(property.getValue(), join(path, property.getKey()), found);
      }
      if (schemaNode.has("items")) {
        collect(schemaNode.get("items"), path + "[*]", found);
      }
    }

    static List<String> check(JsonNode schemaNode, JsonNode resource) {
      List<String> messages = new ArrayList<>();
      walk(schemaNode, resource, "", messages);
      return messages;
    }

    private static void walk(JsonNode schemaNode, JsonNode value, String path, List<String> messages) {
      if (value == null || value.isMissingNode() || value.isNull()) {
        return;
      }
      for (JsonNode rule : schemaNode.path("x-kubernetes-validations")) {
        if (!holds(rule.path("rule").asText(), value)) {
          messages.add(path + ": Invalid value: \"" + jsonType(value) + "\": " + rule.path("message").asText());
        }
      }
      if (value.isObject()) {
        Iterator<Map.Entry<String, JsonNode>> properties = schemaNode.path("properties").fields();
        while (properties.hasNext()) {
          Map.Entry<String, JsonNode> property = properties.next();
          walk(property.getValue(), value.get(property.getKey()), join(path, property.getKey()), messages);
        }
      } else if (value.isArray() && schemaNode.has("items")) {
        for (int i = 0; i < value.size(); i++) {
          walk(schemaNode.get("items"), value.get(i), path + "[" + i + "]", messages);
        }
      }
    }

    /** Whether the rule holds for the value; throws for a rule shape that is not emulated. */
    static boolean holds(String rule, JsonNode self) {
      Matcher exactlyOne = EXACTLY_ONE_OF.matcher(rule);
      if (exactlyOne.matches()) {
        return self.has(exactlyOne.group(1)) != self.has(exactlyOne.group(2));
      }
      Matcher unique = UNIQUE_FIELD.matcher(rule);
      if (unique.matches()) {
        String field = unique.group(3);
        for (JsonNode item : self) {
          long same = StreamSupport.stream(self.spliterator(), false)
              .filter(other -> other.path(field).equals(item.path(field)))
              .count();
          if (same != 1) {
            return false;
          }
        }
        return true;
      }
      throw new IllegalStateException("CEL rule is not emulated by the schema tests; add its shape to CelRules: "
          + rule);
    }
  }

  /** Applies the schema's defaults to a copy of the resource, as the API server does before storing it. */
  public JsonNode withDefaults(JsonNode resource) {
    JsonNode copy = resource.deepCopy();
    applyDefaults(openApiSchema, copy);
    return copy;
  }

  private static void applyDefaults(JsonNode schemaNode, JsonNode value) {
    if (value.isObject()) {
      ObjectNode object = (ObjectNode) value;
      Iterator<Map.Entry<String, JsonNode>> properties = schemaNode.path("properties").fields();
      while (properties.hasNext()) {
        Map.Entry<String, JsonNode> property = properties.next();
        JsonNode defaultValue = property.getValue().get("default");
        if (!object.has(property.getKey()) && defaultValue != null) {
          object.set(property.getKey(), defaultValue.deepCopy());
        }
        if (object.has(property.getKey())) {
          applyDefaults(property.getValue(), object.get(property.getKey()));
        }
      }
    } else if (value.isArray() && schemaNode.has("items")) {
      value.forEach(item -> applyDefaults(schemaNode.get("items"), item));
    }
  }
}
