package dev.envforge.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.api.v1alpha1.EnvforgeApi;
import dev.envforge.api.v1alpha1.Reason;
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
  static final Set<Reason> NOT_PROBLEMS = Set.of(Reason.BUILT, Reason.CACHED,
      Reason.SPEC_VALID, Reason.NO_FAILURE, Reason.IDLE,
      Reason.REGISTRY_REACHABLE, Reason.RECONCILED, Reason.PROGRESSING,
      Reason.CHECKING_REGISTRY, Reason.BUILD_RUNNING,
      Reason.POLICY_COMPLIANT, Reason.ROLLED_BACK);

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
    assertThat(Reason.values()).filteredOn(reason -> !reference.contains("`" + reason.wire() + "`"))
        .as("reasons not in docs/reference.md").isEmpty();
  }

  @Test
  void theClosedListOfReasonsIsExactlyTheReasonEnum() throws Exception {
    String reference = read("docs/reference.md");
    java.util.regex.Matcher list = java.util.regex.Pattern.compile("The closed list of reasons envforge writes[^:]*:"
        + "([^.]*)\\.").matcher(reference);
    assertThat(list.find()).as("the list of reasons in docs/reference.md").isTrue();
    List<String> listed = java.util.regex.Pattern.compile("`(\\w+)`").matcher(list.group(1)).results()
        .map(m -> m.group(1)).toList();
    assertThat(listed).containsExactlyInAnyOrder(java.util.Arrays.stream(Reason.values()).map(Reason::wire)
        .toArray(String[]::new));
  }

  @Test
  void everyProblemReasonIsExplainedInTroubleshooting() throws Exception {
    String troubleshooting = read("docs/troubleshooting.md");
    assertThat(Reason.values()).filteredOn(reason -> !NOT_PROBLEMS.contains(reason))
        .filteredOn(reason -> !troubleshooting.contains("`" + reason.wire() + "`"))
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
