package dev.envforge.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.envforge.api.v1alpha1.ApiSerialization;
import dev.envforge.api.v1alpha1.EnvforgeApi;
import dev.envforge.api.v1alpha1.EnvforgeResource;
import dev.envforge.api.v1alpha1.PythonEnvironment;
import dev.envforge.api.v1alpha1.ReadProblem;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every object of the schema, as the build's CRD declares it, read by a plain fabric8 client: a field this build
 * does not know is ignored (and named, in the spec), and a field of the wrong type makes the resource carry a
 * problem that names the field instead of throwing. The cases come from walking the generated schema, so API types
 * added later are covered without a change here.
 */
class UnknownAndMistypedFieldsTest {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final ObjectMapper PLAIN = new ObjectMapper();
  /** What any fabric8 client reads with: the mapper that fails on unknown properties. */
  private final KubernetesSerialization client = new KubernetesSerialization();

  /** A field of the schema: where it is (as a message names it), its JSON pointer and its schema. */
  record Field(String path, List<Object> pointer, JsonNode schema) {}

  @Test
  void everyResourceKindOfTheApiIsReadLeniently() throws Exception {
    Path classes = Path.of(PythonEnvironment.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .resolve(PythonEnvironment.class.getPackageName().replace('.', '/'));
    List<Class<?>> kinds = new ArrayList<>();
    try (var files = Files.list(classes)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        String name = file.getFileName().toString().replaceFirst("\\.class$", "");
        Class<?> type = Class.forName(PythonEnvironment.class.getPackageName() + "." + name);
        if (CustomResource.class.isAssignableFrom(type) && !Modifier.isAbstract(type.getModifiers())) {
          kinds.add(type);
        }
      }
    }
    assertThat(kinds).contains(PythonEnvironment.class);
    for (Class<?> kind : kinds) {
      assertThat(EnvforgeResource.class).as(kind + " extends EnvforgeResource").isAssignableFrom(kind);
      String json = JSON.objectNode().put("apiVersion", HasMetadata.getApiVersion(kind.asSubclass(HasMetadata.class)))
          .put("kind", HasMetadata.getKind(kind.asSubclass(HasMetadata.class)))
          .<ObjectNode>set("metadata", JSON.objectNode().put("name", "x"))
          .<ObjectNode>set("spec", JSON.objectNode().put("futureField", 1)).toString();
      EnvforgeResource<?, ?> read = (EnvforgeResource<?, ?>) client.unmarshal(json, kind);
      assertThat(read.ignoredSpecFields()).as(kind.getName()).containsExactly("spec.futureField");
    }
  }

  @Test
  void theSampleOfTheWholeSchemaReadsWithoutProblems() throws IOException {
    ObjectNode sample = sample();
    PythonEnvironment read = client.unmarshal(sample.toString(), PythonEnvironment.class);
    assertThat(read.readProblem()).isEmpty();
    assertThat(read.ignoredSpecFields()).isEmpty();
    // every field of the sample is known: writing it again gives the same document
    assertThat(PLAIN.readTree(client.asJson(read)).get("spec")).isEqualTo(sample.get("spec"));
    assertThat(PLAIN.readTree(client.asJson(read)).get("status")).isEqualTo(sample.get("status"));
  }

  @Test
  void everyObjectToleratesAFieldItDoesNotKnow() throws IOException {
    List<Field> objects = fields().stream().filter(f -> isBean(f.schema())).toList();
    assertThat(objects).extracting(Field::path)
        .contains("spec", "spec.variants[0]", "spec.image.caConfigMapRef", "status", "status.variants[0]");
    for (Field object : objects) {
      ObjectNode doc = sample();
      ObjectNode target = (ObjectNode) at(doc, object.pointer());
      target.set("futureField", JSON.objectNode().put("x", 1));
      target.put("futureFlag", true);
      PythonEnvironment read = client.unmarshal(doc.toString(), PythonEnvironment.class);
      assertThat(read.readProblem()).as(object.path()).isEmpty();
      assertThat(read.getSpec()).as(object.path()).isNotNull();
      assertThat(read.getStatus()).as(object.path()).isNotNull();
      JsonNode written = at((ObjectNode) PLAIN.readTree(client.asJson(read)), object.pointer());
      boolean kept = written.has("futureField");
      if (object.path().startsWith("spec") && !kept) {
        assertThat(read.ignoredSpecFields()).as(object.path())
            .containsExactly(object.path() + ".futureField", object.path() + ".futureFlag");
      } else if (!kept) {
        assertThat(read.ignoredSpecFields()).as(object.path()).isEmpty();
      }
      // the copies JOSDK and fabric8 make read the same way
      assertThat(client.clone(read).getSpec()).as(object.path()).isEqualTo(read.getSpec());
    }
  }

  @Test
  void everyFieldOfTheWrongTypeIsNamedAndNothingThrows() throws IOException {
    List<Field> all = fields();
    assertThat(all.size()).isGreaterThan(40);
    List<String> accepted = new ArrayList<>();
    for (Field field : all) {
      ObjectNode doc = sample();
      JsonNode wrong = wrongValueFor(field.schema());
      set(doc, field.pointer(), wrong);
      PythonEnvironment read = client.unmarshal(doc.toString(), PythonEnvironment.class);
      if (read.readProblem().isEmpty()) {
        accepted.add(field.path());
        continue;
      }
      ReadProblem problem = read.readProblem().get();
      assertThat(problem.field()).as(field.path()).isEqualTo(field.path());
      assertThat(problem.part()).as(field.path()).isEqualTo(field.path().startsWith("spec") ? "spec" : "status");
      assertThat(problem.message()).as(field.path()).contains(", found ");
      if (problem.part().equals("spec")) {
        assertThat(read.getSpec()).isNull();
        assertThat(read.getStatus()).isNotNull();
      } else {
        assertThat(read.getStatus()).isNull();
        assertThat(read.getSpec()).isNotNull();
      }
    }
    assertThat(accepted).as("fields that accepted a value of the wrong type").isEmpty();
  }

  @Test
  void theMessagesSayWhatWasExpectedAndFound() {
    assertThat(problemOf("spec", "variants", JSON.textNode("x")))
        .isEqualTo(new ReadProblem("spec", "spec.variants", "expected a list, found the string 'x'"));
    assertThat(problemOf("spec", "platform", JSON.textNode("linux/riscv64")))
        .isEqualTo(new ReadProblem("spec", "spec.platform",
            "expected one of linux/amd64, linux/arm64, found the string 'linux/riscv64'"));
    assertThat(problemOf("spec", "builder", JSON.objectNode().put("activeDeadlineSeconds", "soon")))
        .isEqualTo(new ReadProblem("spec", "spec.builder.activeDeadlineSeconds",
            "expected an integer, found the string 'soon'"));
    assertThat(problemOf("status", "variants", JSON.arrayNode().add(JSON.objectNode().put("phase", "Verifying"))))
        .isEqualTo(new ReadProblem("status", "status.variants[0].phase",
            "expected one of Pending, Checking, Cached, Building, Succeeded, Failed, found the string 'Verifying'"));
    assertThat(problemOf("status", "conditions", JSON.objectNode()))
        .isEqualTo(new ReadProblem("status", "status.conditions", "expected a list, found an object"));
    ObjectNode noSpec = sample();
    noSpec.remove("spec");
    assertThat(client.unmarshal(noSpec.toString(), PythonEnvironment.class).readProblem())
        .contains(new ReadProblem("spec", "spec", "expected an object, found nothing"));
    // text from the resource is quoted with its control characters escaped
    assertThat(problemOf("spec", "variants", JSON.textNode("a\nb")).message())
        .isEqualTo("expected a list, found the string 'a\\nb'");
  }

  @Test
  void manifestsReadTheSameWay() {
    String manifest = """
        apiVersion: envforge.dev/v1alpha1
        kind: PythonEnvironment
        metadata: {name: env}
        spec:
          futureField: {x: 1}
          source: {inline: {lock: "six==1.16.0"}}
          image: {repository: registry.example.com/env, futureFlag: true}
          variants: [{name: default, color: blue}]
        """;
    PythonEnvironment read = ApiSerialization.readManifest(manifest, "env.yaml");
    assertThat(read.getSpec().getImage().getRepository()).isEqualTo("registry.example.com/env");
    assertThat(read.ignoredSpecFields())
        .containsExactly("spec.futureField", "spec.image.futureFlag", "spec.variants[0].color");
    assertThatThrownBy(() -> ApiSerialization.readManifest(manifest.replace("[{name: default, color: blue}]",
        "x"), "env.yaml"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("env.yaml: spec.variants: expected a list, found the string 'x'");
  }

  private ReadProblem problemOf(String part, String field, JsonNode value) {
    ObjectNode doc = sample();
    ((ObjectNode) doc.get(part)).set(field, value);
    return client.unmarshal(doc.toString(), PythonEnvironment.class).readProblem().orElseThrow();
  }

  /** A value of another JSON type than the schema wants. */
  private static JsonNode wrongValueFor(JsonNode schema) {
    if ("array".equals(schema.path("type").asText())) {
      return JSON.textNode("x");
    }
    if ("object".equals(schema.path("type").asText())) {
      return JSON.arrayNode().add("x");
    }
    return JSON.objectNode().put("wrong", true);
  }

  private static boolean isBean(JsonNode schema) {
    return "object".equals(schema.path("type").asText()) && schema.has("properties");
  }

  /** The openAPIV3Schema of the generated CRD. */
  private static JsonNode schema() {
    try {
      JsonNode crd = CrdSchemaValidator.YAML.readTree(GeneratedCrd.bytes());
      assertThat(crd.at("/spec/names/kind").asText()).isEqualTo(EnvforgeApi.KIND);
      return crd.at("/spec/versions/0/schema/openAPIV3Schema");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every field below spec and status, depth first, spec and status included. */
  private static List<Field> fields() {
    List<Field> out = new ArrayList<>();
    JsonNode properties = schema().get("properties");
    for (String part : List.of("spec", "status")) {
      collect(part, List.of(part), properties.get(part), out);
    }
    return out;
  }

  private static void collect(String path, List<Object> pointer, JsonNode schema, List<Field> out) {
    out.add(new Field(path, pointer, schema));
    if (schema.has("properties")) {
      for (Iterator<Map.Entry<String, JsonNode>> it = schema.get("properties").fields(); it.hasNext();) {
        Map.Entry<String, JsonNode> e = it.next();
        collect(path + "." + e.getKey(), append(pointer, e.getKey()), e.getValue(), out);
      }
    } else if (schema.has("items")) {
      collect(path + "[0]", append(pointer, 0), schema.get("items"), out);
    } else if (schema.has("additionalProperties") && schema.get("additionalProperties").isObject()) {
      collect(path + ".cpu", append(pointer, "cpu"), schema.get("additionalProperties"), out);
    }
  }

  private static List<Object> append(List<Object> pointer, Object segment) {
    List<Object> next = new ArrayList<>(pointer);
    next.add(segment);
    return next;
  }

  /** A resource with every field of the schema set to a valid value of its type. */
  private static ObjectNode sample() {
    ObjectNode doc = JSON.objectNode();
    doc.put("apiVersion", EnvforgeApi.API_VERSION);
    doc.put("kind", EnvforgeApi.KIND);
    doc.set("metadata", JSON.objectNode().put("name", "env").put("namespace", "team-a"));
    JsonNode properties = schema().get("properties");
    doc.set("spec", sampleOf(properties.get("spec")));
    doc.set("status", sampleOf(properties.get("status")));
    return doc;
  }

  private static JsonNode sampleOf(JsonNode schema) {
    if (schema.path("x-kubernetes-int-or-string").asBoolean()) {
      return JSON.textNode("1");
    }
    if (schema.has("enum")) {
      return schema.get("enum").get(0);
    }
    switch (schema.path("type").asText()) {
      case "object": {
        ObjectNode node = JSON.objectNode();
        if (schema.has("properties")) {
          schema.get("properties").fields().forEachRemaining(e -> node.set(e.getKey(), sampleOf(e.getValue())));
        } else if (schema.has("additionalProperties") && schema.get("additionalProperties").isObject()) {
          node.set("cpu", sampleOf(schema.get("additionalProperties")));
        }
        return node;
      }
      case "array": {
        ArrayNode node = JSON.arrayNode();
        node.add(sampleOf(schema.get("items")));
        return node;
      }
      case "integer":
        return JSON.numberNode(1);
      case "number":
        return JSON.numberNode(1.5);
      case "boolean":
        return JSON.booleanNode(true);
      default:
        return JSON.textNode("date-time".equals(schema.path("format").asText()) ? "2024-01-01T00:00:00Z" : "x");
    }
  }

  private static JsonNode at(ObjectNode doc, List<Object> pointer) {
    JsonNode node = doc;
    for (Object segment : pointer) {
      node = segment instanceof Integer i ? node.get(i) : node.get((String) segment);
    }
    return node;
  }

  private static void set(ObjectNode doc, List<Object> pointer, JsonNode value) {
    JsonNode parent = at(doc, pointer.subList(0, pointer.size() - 1));
    Object last = pointer.get(pointer.size() - 1);
    if (last instanceof Integer i) {
      ((ArrayNode) parent).set(i, value);
    } else {
      ((ObjectNode) parent).set((String) last, value);
    }
  }
}
