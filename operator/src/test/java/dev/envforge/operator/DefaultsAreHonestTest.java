package dev.envforge.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.envforge.api.v1alpha1.Reason;
import dev.envforge.api.v1alpha1.LockSourceFormat;
import dev.envforge.api.v1alpha1.PythonEnvironmentSpec;
import dev.envforge.core.lock.LockFormat;
import dev.envforge.core.plan.PythonTargets;
import dev.envforge.core.plan.Target;
import dev.envforge.core.recipe.BuildRecipe;
import dev.envforge.core.recipe.Installer;
import dev.envforge.core.recipe.RenderOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * What the CRD's descriptions, the chart's values and the operator's flags say a default is, is what the code uses:
 * each stated default is tied to the constant the code reads. And no DEFAULT_* constant is left that nothing uses.
 */
class DefaultsAreHonestTest {
  static final Path REPO = Path.of(System.getProperty("envforge.repoRoot", ".."));
  static final JsonNode SPEC = read(REPO.resolve("crds/pythonenvironments.envforge.dev-v1.yml"))
      .at("/spec/versions/0/schema/openAPIV3Schema/properties/spec");
  static final JsonNode VALUES = read(REPO.resolve("helm/envforge/values.yaml"));
  static final CommandLine.Model.CommandSpec RUN = new CommandLine(new RunCommand()).getCommandSpec();

  static JsonNode read(Path file) {
    try {
      return new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static JsonNode field(String path) {
    JsonNode node = SPEC;
    for (String part : path.split("\\.")) {
      node = node.path("properties").path(part);
    }
    assertThat(node.isMissingNode()).as("spec.%s in the CRD", path).isFalse();
    return node;
  }

  static String description(String path) {
    return field(path).path("description").asText();
  }

  static String flagDefault(String name) {
    return RUN.findOption(name).defaultValue();
  }

  /** Every schema default is stated in its field's description, as the value the API server fills in. */
  @Test
  void everySchemaDefaultIsTheOneTheDescriptionStates() {
    List<String> checked = new ArrayList<>();
    walk(SPEC, "spec", (path, node) -> {
      JsonNode value = node.get("default");
      if (value == null) {
        return;
      }
      String text = node.path("description").asText();
      if (value.isArray()) {
        assertThat(text).as(path).contains("Default: one variant named \"" + value.get(0).path("name").asText()
            + "\"");
      } else {
        assertThat(text).as(path).containsAnyOf("Default " + value.asText() + ".",
            "Default \"" + value.asText() + "\".");
      }
      checked.add(path);
    });
    assertThat(checked).contains("spec.installer", "spec.platform", "spec.suspend", "spec.variants",
        "spec.image.insecure", "spec.indexCredentialsSecretRef.key");
    assertThat(field("installer").path("default").asText()).isEqualTo(Installer.UV.id());
    assertThat(field("platform").path("default").asText()).isEqualTo(Target.DEFAULT_PLATFORM);
  }

  @Test
  void thePythonDefaultAndRuleAreTheCodes() {
    String python = description("python");
    assertThat(python).contains("Default: " + PythonTargets.DEFAULT + ",", "3.x." + PythonTargets.REFERENCE_PATCH,
        Reason.PYTHON_EXCLUDED.wire());
    for (String fallback : PythonTargets.FALLBACKS) {
      assertThat(python).contains(fallback);
    }
    assertThat(PythonTargets.FALLBACKS).allSatisfy(f -> assertThat(python.indexOf(f))
        .as("fallbacks in the order they are tried").isGreaterThan(python.indexOf(PythonTargets.DEFAULT)));
    assertThat(description("baseImage")).contains(BuildRecipe.defaultBaseImage(PythonTargets.DEFAULT)
        .replace(PythonTargets.DEFAULT, "<major.minor>"));
  }

  @Test
  void builderDefaultsAreTheOperatorsFlagsAndTheChartsValues() {
    BuilderDefaults defaults = BuilderDefaults.defaults();
    assertThat(description("builder.activeDeadlineSeconds")).contains("" + defaults.activeDeadlineSeconds());
    assertThat(Long.parseLong(flagDefault("--builder-deadline-seconds"))).isEqualTo(defaults.activeDeadlineSeconds());
    assertThat(VALUES.at("/builder/deadlineSeconds").asLong()).isEqualTo(defaults.activeDeadlineSeconds());

    assertThat(description("builder.image")).contains(BuilderDefaults.DEFAULT_IMAGE);
    assertThat(flagDefault("--builder-image")).isEqualTo(BuilderDefaults.DEFAULT_IMAGE);
    assertThat(VALUES.at("/builder/image").asText()).isEqualTo(BuilderDefaults.DEFAULT_IMAGE);

    String resources = description("builder.resources");
    Map<String, String> requests = Map.of("cpu", defaults.resources().getRequests().get("cpu").toString(),
        "memory", defaults.resources().getRequests().get("memory").toString());
    String memoryLimit = defaults.resources().getLimits().get("memory").toString();
    assertThat(defaults.resources().getLimits()).containsOnlyKeys("memory");
    assertThat(resources).contains("requests cpu " + requests.get("cpu") + " and memory " + requests.get("memory"),
        "limit memory " + memoryLimit);
    assertThat(flagDefault("--builder-cpu-request")).isEqualTo(requests.get("cpu"));
    assertThat(flagDefault("--builder-memory-request")).isEqualTo(requests.get("memory"));
    assertThat(flagDefault("--builder-memory-limit")).isEqualTo(memoryLimit);
    assertThat(flagDefault("--builder-cpu-limit")).isNull();
    assertThat(VALUES.at("/builder/resources/requests/cpu").asText()).isEqualTo(requests.get("cpu"));
    assertThat(VALUES.at("/builder/resources/requests/memory").asText()).isEqualTo(requests.get("memory"));
    assertThat(VALUES.at("/builder/resources/limits/memory").asText()).isEqualTo(memoryLimit);
    assertThat(VALUES.at("/builder/resources/limits/cpu").asText()).isEmpty();

    assertThat(Integer.parseInt(flagDefault("--build-ttl-seconds"))).isEqualTo(BuilderDefaults.DEFAULT_TTL_SECONDS);
    assertThat(description("builder.uvImage")).contains(RenderOptions.DEFAULT.uvImage(), Installer.UV_VERSION);
    assertThat(RenderOptions.DEFAULT.uvImage()).endsWith(":" + Installer.UV.pinnedVersion());
    assertThat(VALUES.at("/builder/uvImage").asText()).isEmpty();
    assertThat(VALUES.at("/builder/indexMirrors").isEmpty()).isTrue();
  }

  @Test
  void otherStatedDefaultsAreTheCodes() {
    assertThat(description("historyLimit")).contains("Default " + PythonEnvironmentSpec.DEFAULT_HISTORY_LIMIT + ".");
    String lockKey = description("source.configMapRef.lockKey");
    for (LockSourceFormat format : LockSourceFormat.values()) {
      assertThat(lockKey).contains(LockFormat.fromId(format.value()).lockFile());
    }
  }

  @Test
  void theLeaseNameIsOneName() throws IOException {
    assertThat(flagDefault("--lease-name")).isEqualTo(OperatorSettings.DEFAULT_LEASE_NAME);
    assertThat(VALUES.at("/leaderElection/leaseName").asText()).isEqualTo(OperatorSettings.DEFAULT_LEASE_NAME);
    assertThat(OperatorSettings.defaults().leaseName()).isEqualTo(OperatorSettings.DEFAULT_LEASE_NAME);
    assertThat(Files.readString(REPO.resolve("docs/reference.md")))
        .contains("| `--lease-name`, `--lease-namespace` | `" + OperatorSettings.DEFAULT_LEASE_NAME + "`");
  }

  /**
   * A DEFAULT_* constant that only its declaration names says something the code does not do. Uses in the tests
   * count: a default the tests build requests from is one.
   */
  @Test
  void everyDefaultConstantIsUsed() throws IOException {
    Path main = REPO.resolve("operator/src/main/java");
    Pattern declaration = Pattern.compile("static final [\\w<>, ]+ (DEFAULT\\w*) =");
    List<String> sources = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(main)) {
      files = walk.filter(p -> p.toString().endsWith(".java")).toList();
    }
    for (Path file : files) {
      sources.add(Files.readString(file));
    }
    List<String> all = new ArrayList<>(sources);
    try (Stream<Path> walk = Files.walk(REPO.resolve("operator/src/test/java"))) {
      for (Path file : walk.filter(p -> p.toString().endsWith(".java")).toList()) {
        all.add(Files.readString(file));
      }
    }
    List<String> unused = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      Matcher m = declaration.matcher(sources.get(i));
      while (m.find()) {
        Pattern use = Pattern.compile("\\b" + m.group(1) + "\\b");
        long uses = all.stream().mapToLong(s -> use.matcher(s).results().count()).sum();
        if (uses < 2) {
          unused.add(main.relativize(files.get(i)) + ": " + m.group(1));
        }
      }
    }
    assertThat(unused).as("DEFAULT_* constants nothing uses").isEmpty();
  }

  private interface Visitor {
    void visit(String path, JsonNode node);
  }

  private static void walk(JsonNode node, String path, Visitor visitor) {
    visitor.visit(path, node);
    for (Iterator<Map.Entry<String, JsonNode>> it = node.path("properties").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      walk(e.getValue(), path + "." + e.getKey(), visitor);
    }
    if (node.has("items")) {
      walk(node.get("items"), path + "[]", visitor);
    }
  }
}
