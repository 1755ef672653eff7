package dev.envforge.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Golden files under {@code src/test/resources/golden/}: a test renders something and compares it with the file.
 * With {@code -Denvforge.updateGolden=true} the files are rewritten instead; review their diff like code.
 */
final class Golden {
  static final String UPDATE_PROPERTY = "envforge.updateGolden";
  private static final ObjectMapper JSON = new ObjectMapper();

  private Golden() {}

  static Path directory() {
    return OperatorHarness.repoRoot().resolve("operator/src/test/resources/golden");
  }

  static boolean updating() {
    return Boolean.getBoolean(UPDATE_PROPERTY);
  }

  /** Compares {@code actual} with the golden file at {@code relativePath}, or rewrites the file when updating. */
  static void assertMatches(String relativePath, String actual) {
    Path file = directory().resolve(relativePath);
    try {
      if (updating()) {
        Files.createDirectories(file.getParent());
        Files.writeString(file, actual, StandardCharsets.UTF_8);
        return;
      }
      assertThat(file).as("golden file %s (create it with -D%s=true, then review it)", file, UPDATE_PROPERTY)
          .exists();
      String expected = Files.readString(file, StandardCharsets.UTF_8);
      assertThat(actual).as("%s differs from its golden file; if the change is intended, run the test with -D%s=true"
          + " and review the diff", relativePath, UPDATE_PROPERTY).isEqualTo(expected);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * An object as stable YAML: server-assigned fields (uid, creationTimestamp, resourceVersion, generation,
   * managedFields) left
   * out, the given UIDs replaced by placeholders wherever they occur, object keys sorted; list order is kept.
   *
   * @param uidPlaceholders UID to placeholder, e.g. the owner's UID to {@code <uid of PythonEnvironment>}
   */
  static String normalizedYaml(KubernetesSerialization serialization, HasMetadata object,
      Map<String, String> uidPlaceholders) {
    try {
      JsonNode tree = JSON.readTree(serialization.asJson(object));
      ObjectNode metadata = (ObjectNode) tree.get("metadata");
      metadata.remove(List.of("uid", "creationTimestamp", "resourceVersion", "generation", "managedFields"));
      String json = JSON.writeValueAsString(sorted(tree));
      for (Map.Entry<String, String> e : uidPlaceholders.entrySet()) {
        json = json.replace(e.getKey(), e.getValue());
      }
      Object plain = JSON.readValue(json, Object.class);
      return serialization.asYaml(plain);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode sorted(JsonNode node) {
    if (node instanceof ObjectNode object) {
      ObjectNode copy = JSON.createObjectNode();
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      names.sort(null);
      for (String name : names) {
        copy.set(name, sorted(object.get(name)));
      }
      return copy;
    }
    if (node instanceof ArrayNode array) {
      ArrayNode copy = JSON.createArrayNode();
      array.forEach(element -> copy.add(sorted(element)));
      return copy;
    }
    return node;
  }
}
