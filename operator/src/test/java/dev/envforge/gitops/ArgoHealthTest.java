package dev.envforge.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.envforge.api.GeneratedCrd;
import dev.envforge.gitops.OperatorStatuses.Case;
import dev.envforge.gitops.OperatorStatuses.Health;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the Argo CD health check (integrations/argocd/.../health.lua) with Debian's lua5.1, which has the Lua 5.1
 * semantics of the gopher-lua that Argo CD embeds: against its testdata cases as health_test.yaml declares them,
 * and against every status the operator writes. The testdata files are statuses made by the operator's own status
 * functions; {@code -Denvforge.updateArgoTestdata=true} rewrites them.
 */
class ArgoHealthTest {

  static final Path CUSTOMIZATION = GeneratedCrd.repoRoot()
      .resolve("integrations/argocd/resource_customizations/envforge.dev/PythonEnvironment");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The testdata files and the operator statuses they hold; the rest of health_test.yaml is written by hand. */
  private static final Map<String, String> TESTDATA = new LinkedHashMap<>();

  static {
    TESTDATA.put("healthy-cached.yaml", "Cached-Cached");
    TESTDATA.put("healthy-built-two-variants.yaml", "Cached-Cached+Succeeded-Built");
    TESTDATA.put("progressing-checking-registry.yaml", "Checking-CheckingRegistry");
    TESTDATA.put("progressing-building.yaml", "Building-BuildRunning");
    TESTDATA.put("progressing-registry-unavailable.yaml", "Checking-CheckingRegistry-RegistryUnauthorized");
    TESTDATA.put("progressing-reconcile-error.yaml", "Cached-Cached-ReconcileError");
    TESTDATA.put("progressing-newer-generation.yaml", "Cached-Cached-newerGeneration");
    TESTDATA.put("degraded-build-failed.yaml", "Failed-OOMKilled");
    TESTDATA.put("degraded-invalid-lock.yaml", "Checking-CheckingRegistry-InvalidLock");
    TESTDATA.put("suspended.yaml", "Building-BuildRunning-suspended");
  }

  @TempDir
  static Path work;

  @BeforeAll
  static void writeTestdataWhenAsked() throws IOException {
    if (!Boolean.getBoolean("envforge.updateArgoTestdata")) {
      return;
    }
    Map<String, Case> byName = new LinkedHashMap<>();
    OperatorStatuses.all().forEach(c -> byName.put(c.name(), c));
    for (Map.Entry<String, String> file : TESTDATA.entrySet()) {
      Case c = byName.get(file.getValue());
      assertThat(c).as(file.getValue()).isNotNull();
      Files.writeString(CUSTOMIZATION.resolve("testdata").resolve(file.getKey()), Serialization.asYaml(c.resource()));
    }
  }

  /** Each case of health_test.yaml, in Argo's format: inputPath and the expected status and message. */
  @Test
  void theTestdataCasesGiveTheDeclaredHealth() throws Exception {
    JsonNode tests = YAML.readTree(CUSTOMIZATION.resolve("health_test.yaml").toFile()).path("tests");
    assertThat(tests.size()).isGreaterThanOrEqualTo(TESTDATA.size() + 1);
    List<JsonNode> objects = new ArrayList<>();
    for (JsonNode test : tests) {
      objects.add(YAML.readTree(CUSTOMIZATION.resolve(test.path("inputPath").asText()).toFile()));
    }
    List<String[]> results = runHealth(objects);
    for (int i = 0; i < tests.size(); i++) {
      JsonNode expected = tests.get(i).path("healthStatus");
      assertThat(results.get(i)).as(tests.get(i).path("inputPath").asText())
          .containsExactly(expected.path("status").asText(), expected.path("message").asText());
    }
  }

  @Test
  void everyTestdataFileIsInHealthTestYamlAndWasWrittenByTheOperator() throws Exception {
    JsonNode tests = YAML.readTree(CUSTOMIZATION.resolve("health_test.yaml").toFile()).path("tests");
    List<String> listed = new ArrayList<>();
    tests.forEach(t -> listed.add(t.path("inputPath").asText()));
    try (var files = Files.list(CUSTOMIZATION.resolve("testdata"))) {
      assertThat(files.map(f -> "testdata/" + f.getFileName())).containsExactlyInAnyOrderElementsOf(listed);
    }
    Map<String, Case> byName = new LinkedHashMap<>();
    OperatorStatuses.all().forEach(c -> byName.put(c.name(), c));
    for (Map.Entry<String, String> file : TESTDATA.entrySet()) {
      JsonNode committed = YAML.readTree(CUSTOMIZATION.resolve("testdata").resolve(file.getKey()).toFile());
      JsonNode current = JSON.readTree(Serialization.asJson(byName.get(file.getValue()).resource()));
      assertThat(committed).as(file.getKey() + " (rewrite with -Denvforge.updateArgoTestdata=true)")
          .isEqualTo(current);
    }
  }

  @Test
  void everyWrittenStatusGivesTheHealthItMeans() throws Exception {
    List<Case> cases = OperatorStatuses.all();
    List<JsonNode> objects = new ArrayList<>();
    for (Case c : cases) {
      objects.add(JSON.readTree(Serialization.asJson(c.resource())));
    }
    List<String[]> results = runHealth(objects);
    StringBuilder wrong = new StringBuilder();
    for (int i = 0; i < cases.size(); i++) {
      Case c = cases.get(i);
      String expected = c.resource().getSpec().suspended() ? "Suspended" : argoName(c.expected());
      if (!expected.equals(results.get(i)[0]) || results.get(i)[1].isBlank()) {
        wrong.append(c.name()).append(": expected ").append(expected).append(", got ")
            .append(String.join(" / ", results.get(i))).append('\n');
      }
    }
    assertThat(wrong.toString()).isEmpty();
  }

  /** The argocd-cm patch that the docs tell users to apply carries exactly health.lua. */
  @Test
  void theArgocdCmPatchCarriesTheHealthScript() throws Exception {
    JsonNode patch = YAML.readTree(CUSTOMIZATION.resolve("../../../argocd-cm-patch.yaml").normalize().toFile());
    assertThat(patch.path("metadata").path("name").asText()).isEqualTo("argocd-cm");
    assertThat(patch.path("data").path("resource.customizations.health.envforge.dev_PythonEnvironment").asText())
        .isEqualTo(Files.readString(CUSTOMIZATION.resolve("health.lua")));
  }

  private static String argoName(Health health) {
    return switch (health) {
      case CURRENT -> "Healthy";
      case IN_PROGRESS -> "Progressing";
      case FAILED -> "Degraded";
    };
  }

  /** Runs health.lua once per object in one lua5.1 process; returns status and message per object. */
  static List<String[]> runHealth(List<JsonNode> objects) throws Exception {
    StringBuilder driver = new StringBuilder();
    driver.append("local check = assert(loadfile(").append(lua(CUSTOMIZATION.resolve("health.lua").toString()))
        .append("))\nlocal objects = {\n");
    for (JsonNode object : objects) {
      driver.append(lua(object)).append(",\n");
    }
    driver.append("}\nfor _, o in ipairs(objects) do\n  obj = o\n  local hs = check()\n")
        .append("  io.write(hs.status, \"\\t\", string.gsub(hs.message or \"\", \"\\n\", \" \"), \"\\n\")\nend\n");
    Path script = Files.createTempFile(work, "driver", ".lua");
    Files.writeString(script, driver, StandardCharsets.UTF_8);
    Process lua = new ProcessBuilder("lua5.1", script.toString()).redirectErrorStream(true).start();
    byte[] out = lua.getInputStream().readAllBytes();
    assertThat(lua.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = new String(out, StandardCharsets.UTF_8);
    assertThat(lua.exitValue()).as(output).isZero();
    List<String[]> results = new ArrayList<>();
    for (String line : output.split("\n", -1)) {
      if (!line.isEmpty()) {
        results.add(line.split("\t", 2));
      }
    }
    assertThat(results).hasSize(objects.size());
    return results;
  }

  /** The object as a Lua table constructor, as Argo CD hands it to the script (nulls left out). */
  static String lua(JsonNode node) {
    if (node.isObject()) {
      StringBuilder table = new StringBuilder("{");
      for (Iterator<Map.Entry<String, JsonNode>> it = ((ObjectNode) node).fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (!field.getValue().isNull()) {
          table.append('[').append(lua(field.getKey())).append("]=").append(lua(field.getValue())).append(',');
        }
      }
      return table.append('}').toString();
    }
    if (node.isArray()) {
      StringBuilder table = new StringBuilder("{");
      node.forEach(item -> table.append(lua(item)).append(','));
      return table.append('}').toString();
    }
    if (node.isNumber() || node.isBoolean()) {
      return node.asText();
    }
    return lua(node.asText());
  }

  /** A Lua string literal: every byte outside printable ASCII, quotes and backslashes as a decimal escape. */
  static String lua(String text) {
    StringBuilder literal = new StringBuilder("\"");
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
        literal.append((char) c);
      } else {
        literal.append('\\').append(String.format("%03d", c));
      }
    }
    return literal.append('"').toString();
  }
}
