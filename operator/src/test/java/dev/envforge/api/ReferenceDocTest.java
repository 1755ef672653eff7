package dev.envforge.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.api.v1alpha1.EnvforgeApi;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * docs/reference.md and docs/troubleshooting.md cover the API: every field of the CRD, every condition type and
 * every reason the operator can write.
 */
class ReferenceDocTest {

  /** Fields of Kubernetes' own types, documented by Kubernetes; their own row is enough. */
  static final Set<String> FOREIGN = Set.of("spec.builder.resources", "spec.builder.affinity",
      "spec.builder.tolerations", "spec.builder.env", "spec.builder.imagePullSecrets");

  /** Reasons that say all is well or that work goes on; the troubleshooting page need not explain them. */
  static final Set<String> NOT_PROBLEMS = Set.of(EnvforgeApi.Reasons.BUILT, EnvforgeApi.Reasons.CACHED,
      EnvforgeApi.Reasons.SPEC_VALID, EnvforgeApi.Reasons.NO_FAILURE, EnvforgeApi.Reasons.IDLE,
      EnvforgeApi.Reasons.REGISTRY_REACHABLE, EnvforgeApi.Reasons.RECONCILED, EnvforgeApi.Reasons.PROGRESSING,
      EnvforgeApi.Reasons.CHECKING_REGISTRY, EnvforgeApi.Reasons.BUILD_RUNNING,
      EnvforgeApi.Reasons.POLICY_COMPLIANT, EnvforgeApi.Reasons.ROLLED_BACK);

  @Test
  void everyFieldHasARowInTheReference() throws IOException {
    String reference = read("docs/reference.md");
    JSONSchemaProps root = GeneratedCrd.parsed().getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
    List<String> paths = new ArrayList<>();
    collect(Map.of("spec", root.getProperties().get("spec"), "status", root.getProperties().get("status")), "",
        paths);
    assertThat(paths).hasSizeGreaterThan(50);
    assertThat(paths).filteredOn(path -> !reference.contains("| `" + path + "` |")).as("fields without a row")
        .isEmpty();
  }

  @Test
  void everyConditionTypeAndReasonIsInTheReference() throws Exception {
    String reference = read("docs/reference.md");
    assertThat(constants(EnvforgeApi.Conditions.class)).filteredOn(type -> !reference.contains("| `" + type + "` |"))
        .as("condition types without a row").isEmpty();
    assertThat(constants(EnvforgeApi.Reasons.class)).filteredOn(reason -> !reference.contains("`" + reason + "`"))
        .as("reasons not in docs/reference.md").isEmpty();
  }

  @Test
  void everyProblemReasonIsExplainedInTroubleshooting() throws Exception {
    String troubleshooting = read("docs/troubleshooting.md");
    assertThat(constants(EnvforgeApi.Reasons.class)).filteredOn(reason -> !NOT_PROBLEMS.contains(reason))
        .filteredOn(reason -> !troubleshooting.contains("`" + reason + "`"))
        .as("reasons not in docs/troubleshooting.md").isEmpty();
  }

  private static List<String> constants(Class<?> holder) throws IllegalAccessException {
    List<String> values = new ArrayList<>();
    for (Field f : holder.getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        values.add((String) f.get(null));
      }
    }
    return values;
  }

  private static void collect(Map<String, JSONSchemaProps> properties, String prefix, List<String> paths) {
    if (properties == null) {
      return;
    }
    properties.forEach((name, property) -> {
      String path = prefix + name;
      paths.add(path);
      if (FOREIGN.contains(path)) {
        return;
      }
      collect(property.getProperties(), path + ".", paths);
      if (property.getItems() != null && property.getItems().getSchema() != null) {
        collect(property.getItems().getSchema().getProperties(), path + "[].", paths);
      }
    });
  }

  private static String read(String path) throws IOException {
    return Files.readString(GeneratedCrd.repoRoot().resolve(path));
  }
}
