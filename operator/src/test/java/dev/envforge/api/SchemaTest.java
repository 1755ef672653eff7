package dev.envforge.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.envforge.api.v1alpha1.PythonEnvironment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The schema tests: every {@code api/valid-*.yaml} is accepted by the generated CRD's schema, every
 * {@code api/invalid-*.yaml} is rejected with exactly the messages named in its {@code # expect:} lines.
 */
class SchemaTest {

  private static final String EXPECT = "# expect: ";
  private static final CrdSchemaValidator VALIDATOR = CrdSchemaValidator.of(GeneratedCrd.bytes());
  /** Reads like the operator's client, but refuses fields the Java types do not know. */
  private static final ObjectMapper STRICT_YAML =
      new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  static Stream<Path> validResources() throws IOException, URISyntaxException {
    return resources("valid-");
  }

  static Stream<Path> invalidResources() throws IOException, URISyntaxException {
    return resources("invalid-");
  }

  private static Stream<Path> resources(String prefix) throws IOException, URISyntaxException {
    Path dir = Path.of(SchemaTest.class.getClassLoader().getResource("api").toURI());
    List<Path> files;
    try (Stream<Path> listing = Files.list(dir)) {
      files = listing.filter(p -> p.getFileName().toString().startsWith(prefix))
          .filter(p -> p.getFileName().toString().endsWith(".yaml"))
          .sorted()
          .toList();
    }
    assertThat(files).as("%s*.yaml files in %s", prefix, dir).isNotEmpty();
    return files.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validResources")
  void validResourceIsAccepted(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    assertThat(expectations(text)).as("a valid resource expects no error").isEmpty();

    assertThat(VALIDATOR.validate(CrdSchemaValidator.YAML.readTree(text))).isEmpty();
    // and the Java types read every field of it
    PythonEnvironment env = STRICT_YAML.readValue(text, PythonEnvironment.class);
    assertThat(env.getSpec().getSource()).isNotNull();
    assertThat(env.getSpec().getImage().getRepository()).isNotBlank();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidResources")
  void invalidResourceIsRejectedWithTheExpectedMessages(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    List<String> expected = expectations(text);
    assertThat(expected).as("%s needs at least one '%s' line", file.getFileName(), EXPECT.trim()).isNotEmpty();

    List<String> errors = VALIDATOR.validate(CrdSchemaValidator.YAML.readTree(text));

    assertThat(errors).as("errors of %s", file.getFileName()).hasSameSizeAs(expected);
    for (String message : expected) {
      assertThat(errors).as("errors of %s", file.getFileName()).anySatisfy(e -> assertThat(e).startsWith(message));
    }
  }

  private static List<String> expectations(String text) {
    List<String> expected = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.startsWith(EXPECT)) {
        expected.add(line.substring(EXPECT.length()).strip());
      }
    }
    return expected;
  }

  /**
   * CEL rules cannot be evaluated without an API server. Each one must be present where the API relies on it,
   * with its message; the files above exercise the emulation of each.
   */
  @Test
  void celRulesArePresentWhereTheApiReliesOnThem() {
    List<Map.Entry<String, JsonNode>> rules = CrdSchemaValidator.CelRules.rules(VALIDATOR.openApiSchema());

    assertThat(rules).extracting(r -> r.getKey() + " | " + r.getValue().path("rule").asText() + " | "
            + r.getValue().path("message").asText())
        .containsExactlyInAnyOrder(
            "spec.source | has(self.inline) != has(self.configMapRef)"
                + " | exactly one of inline or configMapRef must be set",
            "spec.source.configMapRef.files | self.all(f, self.exists_one(g, g.path == f.path))"
                + " | file paths must be unique",
            "spec.variants | self.all(v, self.exists_one(w, w.name == v.name))"
                + " | variant names must be unique");
  }

  @Test
  void aRuleShapeThatIsNotEmulatedFailsInsteadOfPassing() {
    assertThatThrownBy(() -> CrdSchemaValidator.CelRules.holds("self.size() > 1",
            CrdSchemaValidator.YAML.readTree("[1]")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("self.size() > 1");
  }

  /**
   * The Java types start with the same values the schema defaults to, so a resource read from a server that did
   * not apply defaults (the test mock server) behaves like one that did.
   */
  @Test
  void javaDefaultsEqualTheSchemaDefaults() throws IOException {
    String withEveryDefaultedParent = String.join("\n",
        "apiVersion: envforge.dev/v1alpha1",
        "kind: PythonEnvironment",
        "metadata: {name: defaults}",
        "spec:",
        "  source: {configMapRef: {name: project}}",
        "  image: {repository: registry.example.com/env, caConfigMapRef: {name: ca}}",
        "  indexCredentialsSecretRef: {name: netrc}",
        "  builder: {}",
        "");
    JsonNode resource = CrdSchemaValidator.YAML.readTree(withEveryDefaultedParent);
    JsonNode defaultedByServer = VALIDATOR.withDefaults(resource);

    for (String pointer : defaultPointers(VALIDATOR.openApiSchema(), "")) {
      assertThat(defaultedByServer.at(pointer).isMissingNode())
          .as("the test resource must reach the default at %s", pointer).isFalse();
    }
    PythonEnvironment read = Serialization.unmarshal(withEveryDefaultedParent, PythonEnvironment.class);
    JsonNode javaSpec = normalized(Serialization.jsonMapper().valueToTree(read.getSpec()));
    assertThat(javaSpec).isEqualTo(normalized(defaultedByServer.get("spec")));
  }

  private static List<String> defaultPointers(JsonNode schemaNode, String pointer) {
    List<String> pointers = new ArrayList<>();
    if (schemaNode.has("default")) {
      pointers.add(pointer);
    }
    Iterator<Map.Entry<String, JsonNode>> properties = schemaNode.path("properties").fields();
    while (properties.hasNext()) {
      Map.Entry<String, JsonNode> property = properties.next();
      pointers.addAll(defaultPointers(property.getValue(), pointer + "/" + property.getKey()));
    }
    if (schemaNode.has("items")) {
      pointers.addAll(defaultPointers(schemaNode.get("items"), pointer + "/0"));
    }
    return pointers;
  }

  /** Same numbers compare equal whatever Java type produced them. */
  private static JsonNode normalized(JsonNode node) throws IOException {
    ObjectMapper json = new ObjectMapper();
    return json.readTree(json.writeValueAsString(node));
  }
}
