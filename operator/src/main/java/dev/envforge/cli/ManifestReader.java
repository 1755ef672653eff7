package dev.envforge.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.envforge.api.v1alpha1.PythonEnvironment;
import dev.envforge.core.lock.LockInputException;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads PythonEnvironment manifests (and ConfigMaps next to them) from YAML files, as the API server would hand them
 * to the operator: fields this version does not know are ignored, as the operator ignores them.
 */
final class ManifestReader {
  static final String KIND = "PythonEnvironment";
  static final String API_VERSION = "envforge.dev/v1alpha1";

  /** One object of a file, and where its document starts. */
  record Document(JsonNode object, int line, int column) {
    String kind() {
      return object.path("kind").asText("");
    }

    String name() {
      return object.at("/metadata/name").asText("");
    }
  }

  /** A PythonEnvironment read from a file, the file's ConfigMaps by name, and where the resource starts. */
  record Manifest(Path file, PythonEnvironment resource, Map<String, ConfigMap> configMaps, int line, int column) {
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
        JsonNode node = YAML.readTree(parser);
        if (node != null && !node.isNull() && !node.isMissingNode()) {
          documents.add(new Document(node, Math.max(1, start.getLineNr()), Math.max(1, start.getColumnNr())));
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
    if (resource.getSpec() == null) {
      throw new LockInputException(file.toString(), document.line(), document.column(),
          "PythonEnvironment " + document.name() + ": spec is required");
    }
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
    return new Manifest(file, resource, configMaps, document.line(), document.column());
  }
}
