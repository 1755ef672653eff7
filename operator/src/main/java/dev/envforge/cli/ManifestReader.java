package dev.envforge.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import dev.envforge.api.v1alpha1.Patterns;
import dev.envforge.api.v1alpha1.PythonEnvironment;
import dev.envforge.api.v1alpha1.PythonEnvironmentSpec;
import dev.envforge.api.v1alpha1.ReadProblem;
import dev.envforge.api.v1alpha1.Variant;
import dev.envforge.core.lock.LockInputException;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads PythonEnvironment manifests (and ConfigMaps next to them) from YAML files, as the API server would hand them
 * to the operator: fields this version does not know are ignored, as the operator ignores them.
 */
final class ManifestReader {
  static final String KIND = "PythonEnvironment";
  static final String API_VERSION = "envforge.dev/v1alpha1";

  /** One object of a file, and where its document starts. */
  record Document(JsonNode object, int line, int column, Map<String, int[]> places) {
    String kind() {
      return object.path("kind").asText("");
    }

    String name() {
      return object.at("/metadata/name").asText("");
    }

    /** Line and column of a field or item, else of the nearest enclosing one that has a place, else the document's. */
    int[] place(String path) {
      String p = path;
      while (!p.isEmpty()) {
        int[] at = places.get(p);
        if (at != null) {
          return at;
        }
        int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
        p = cut < 0 ? "" : p.substring(0, cut);
      }
      return new int[] {line, column};
    }
  }

  /** A PythonEnvironment read from a file, the file's ConfigMaps by name, and where the resource starts. */
  record Manifest(Path file, PythonEnvironment resource, Map<String, ConfigMap> configMaps, int line, int column,
      Document document) {
    String name() {
      return resource.getMetadata() == null ? "" : resource.getMetadata().getName();
    }

    String namespace() {
      String ns = resource.getMetadata() == null ? null : resource.getMetadata().getNamespace();
      return ns == null ? "default" : ns;
    }

    /** An input error about this resource, at its place in the file. */
    LockInputException error(String problem) {
      return new LockInputException(file.toString(), line, column, problem);
    }

    /** An input error about a field of this resource ({@code spec.python}), at the field when the file has it. */
    LockInputException errorAt(String field, String problem) {
      int[] at = document.place(field);
      return new LockInputException(file.toString(), at[0], at[1], problem);
    }
  }

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private ManifestReader() {}

  /** Every document of a YAML file. */
  static List<Document> documents(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new LockInputException(file.toString(), 1, 1, "no such file (looked for a YAML manifest here)");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + file, e);
    }
    List<Document> documents = new ArrayList<>();
    try (JsonParser parser = YAML.getFactory().createParser(text)) {
      while (true) {
        JsonToken token = parser.nextToken();
        if (token == null) {
          break;
        }
        JsonLocation start = parser.currentTokenLocation();
        Map<String, int[]> places = new HashMap<>();
        TokenBuffer buffer = new TokenBuffer(parser);
        copyWithPlaces(parser, buffer, "", places);
        JsonNode node = YAML.readTree(buffer.asParser());
        if (node != null && !node.isNull() && !node.isMissingNode()) {
          documents.add(new Document(node, Math.max(1, start.getLineNr()), Math.max(1, start.getColumnNr()), places));
        }
      }
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new LockInputException(file.toString(), at == null ? 1 : Math.max(1, at.getLineNr()),
          at == null ? 1 : Math.max(1, at.getColumnNr()), "not valid YAML: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + file, e);
    }
    return documents;
  }

  /**
   * Copies the value at the parser's current token into {@code out}, recording where each field and item starts by
   * its path ({@code spec.variants[0].name}), so that problems found after reading point at their line and column.
   */
  private static void copyWithPlaces(JsonParser parser, TokenBuffer out, String path, Map<String, int[]> places)
      throws IOException {
    JsonToken token = parser.currentToken();
    if (token == JsonToken.START_OBJECT) {
      out.writeStartObject();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        String child = path.isEmpty() ? field : path + "." + field;
        JsonLocation at = parser.currentTokenLocation();
        places.put(child, new int[] {Math.max(1, at.getLineNr()), Math.max(1, at.getColumnNr())});
        out.writeFieldName(field);
        parser.nextToken();
        copyWithPlaces(parser, out, child, places);
      }
      out.writeEndObject();
    } else if (token == JsonToken.START_ARRAY) {
      out.writeStartArray();
      int index = 0;
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        String child = path + "[" + index++ + "]";
        JsonLocation at = parser.currentTokenLocation();
        places.put(child, new int[] {Math.max(1, at.getLineNr()), Math.max(1, at.getColumnNr())});
        copyWithPlaces(parser, out, child, places);
      }
      out.writeEndArray();
    } else {
      out.copyCurrentEvent(parser);
    }
  }

  /**
   * The PythonEnvironment of a file; {@code name} chooses one when the file holds several.
   *
   * @throws LockInputException when there is none, several without a name, or it cannot be read
   */
  static Manifest read(Path file, String name) {
    List<Document> documents = documents(file);
    List<Document> environments = documents.stream().filter(d -> d.kind().equals(KIND)).toList();
    if (name != null) {
      environments = environments.stream().filter(d -> d.name().equals(name)).toList();
    }
    if (environments.isEmpty()) {
      throw new LockInputException(file.toString(), 1, 1, "no PythonEnvironment" + (name == null ? ""
          : " named " + name) + " in this file (looked for kind: " + KIND + ")");
    }
    if (environments.size() > 1) {
      throw new LockInputException(file.toString(), environments.get(1).line(), environments.get(1).column(),
          "several PythonEnvironments in this file (" + environments.stream().map(Document::name).toList()
              + "); choose one with --name");
    }
    Document document = environments.get(0);
    String apiVersion = document.object().path("apiVersion").asText("");
    if (!apiVersion.equals(API_VERSION)) {
      throw new LockInputException(file.toString(), document.line(), document.column(),
          "apiVersion " + apiVersion + " is not read by this version of envforge (it reads " + API_VERSION + ")");
    }
    PythonEnvironment resource;
    try {
      resource = YAML.treeToValue(document.object(), PythonEnvironment.class);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      String message = e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage();
      throw new LockInputException(file.toString(), document.line(), document.column(),
          "PythonEnvironment " + document.name() + ": " + message);
    }
    if (resource.readProblem().isPresent()) {
      ReadProblem problem = resource.readProblem().get();
      int[] at = document.place(problem.field());
      throw new LockInputException(file.toString(), at[0], at[1], "PythonEnvironment " + document.name() + ": "
          + problem);
    }
    if (resource.getSpec() == null) {
      throw new LockInputException(file.toString(), document.line(), document.column(),
          "PythonEnvironment " + document.name() + ": spec is required");
    }
    checkAsTheApiServerWould(file, document, resource.getSpec());
    Map<String, ConfigMap> configMaps = new LinkedHashMap<>();
    for (Document d : documents) {
      if (d.kind().equals("ConfigMap")) {
        try {
          configMaps.put(d.name(), YAML.treeToValue(d.object(), ConfigMap.class));
        } catch (JsonProcessingException e) {
          throw new LockInputException(file.toString(), d.line(), d.column(), "ConfigMap " + d.name() + ": "
              + e.getOriginalMessage());
        }
      }
    }
    return new Manifest(file, resource, configMaps, document.line(), document.column(), document);
  }

  /**
   * The schema rules of the fields a tag depends on, which the API server enforces before the operator sees a
   * resource: the variants' names (required, a DNS label of at most 32 characters, unique), their groups and extras,
   * and spec.python. Each problem points at its field.
   */
  private static void checkAsTheApiServerWould(Path file, Document document, PythonEnvironmentSpec spec) {
    String resource = "PythonEnvironment " + document.name() + ": ";
    if (spec.getPython() != null && !spec.getPython().matches(Patterns.PYTHON_VERSION)) {
      int[] at = document.place("spec.python");
      throw new LockInputException(file.toString(), at[0], at[1], resource + "spec.python: '" + spec.getPython()
          + "' is not a CPython 3 version such as 3.12 or 3.12.7");
    }
    if (spec.getVariants() == null) {
      return;
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < spec.getVariants().size(); i++) {
      Variant variant = spec.getVariants().get(i);
      String path = "spec.variants[" + i + "]";
      if (variant == null || variant.getName() == null) {
        int[] at = document.place(path);
        throw new LockInputException(file.toString(), at[0], at[1], resource + path + ".name is required");
      }
      if (!variant.getName().matches(Patterns.VARIANT_NAME)) {
        int[] at = document.place(path + ".name");
        throw new LockInputException(file.toString(), at[0], at[1], resource + path + ".name: '" + variant.getName()
            + "' must be lower-case letters, digits and '-', start and end with a letter or digit, at most 32");
      }
      if (!names.add(variant.getName())) {
        int[] at = document.place(path + ".name");
        throw new LockInputException(file.toString(), at[0], at[1], resource + path + ".name: variant "
            + variant.getName() + " is named twice");
      }
      for (String list : List.of("groups", "extras", "runtimeGroups")) {
        List<String> values = list.equals("groups") ? variant.getGroups() : list.equals("extras") ? variant.getExtras()
            : variant.getRuntimeGroups();
        for (int j = 0; values != null && j < values.size(); j++) {
          if (values.get(j) == null || !values.get(j).matches(Patterns.GROUP_OR_EXTRA)) {
            int[] at = document.place(path + "." + list + "[" + j + "]");
            throw new LockInputException(file.toString(), at[0], at[1], resource + path + "." + list + "[" + j
                + "]: '" + values.get(j) + "' is not a group or extra name");
          }
        }
      }
    }
  }
}
