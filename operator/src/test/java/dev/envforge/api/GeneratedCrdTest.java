package dev.envforge.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.api.v1alpha1.EnvforgeApi;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the generated CRD must contain for kubectl, the API server and the operator to work as documented. */
class GeneratedCrdTest {

  private final CustomResourceDefinition crd = GeneratedCrd.parsed();
  private final CustomResourceDefinitionVersion version = crd.getSpec().getVersions().get(0);
  private final JSONSchemaProps schema = version.getSchema().getOpenAPIV3Schema();

  @Test
  void namesTheResourceAsTheApiConstantsDo() {
    assertThat(crd.getMetadata().getName()).isEqualTo(EnvforgeApi.CRD_NAME);
    assertThat(crd.getSpec().getGroup()).isEqualTo(EnvforgeApi.GROUP);
    assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
    assertThat(crd.getSpec().getNames().getKind()).isEqualTo(EnvforgeApi.KIND);
    assertThat(crd.getSpec().getNames().getPlural()).isEqualTo(EnvforgeApi.PLURAL);
    assertThat(crd.getSpec().getNames().getShortNames()).containsExactly(EnvforgeApi.SHORT_NAME);
    assertThat(crd.getSpec().getVersions()).hasSize(1);
    assertThat(version.getName()).isEqualTo(EnvforgeApi.VERSION);
    assertThat(version.getServed()).isTrue();
    assertThat(version.getStorage()).isTrue();
  }

  @Test
  void hasTheStatusSubresource() {
    assertThat(version.getSubresources()).isNotNull();
    assertThat(version.getSubresources().getStatus()).isNotNull();
  }

  /** kubectl shows the columns in this order; the wide output adds Reason before Age. */
  @Test
  void hasThePrinterColumnsInOrderWithAgeLast() {
    assertThat(version.getAdditionalPrinterColumns())
        .extracting(c -> c.getName() + " " + c.getType() + " " + c.getPriority() + " " + c.getJsonPath())
        .containsExactly(
            "Ready string 0 .status.conditions[?(@.type==\"Ready\")].status",
            "Variants string 0 .status.variantsReady",
            "Image string 0 .status.image",
            "Status string 0 .status.conditions[?(@.type==\"Ready\")].message",
            "Reason string 1 .status.conditions[?(@.type==\"Ready\")].reason",
            "Builder string 1 .status.variants[0].builder",
            "Age date 0 .metadata.creationTimestamp");
  }

  @Test
  void isInTheEnvforgeCategoryAndDescribedForKubectlExplain() {
    assertThat(crd.getSpec().getNames().getCategories()).containsExactly(EnvforgeApi.CATEGORY);
    assertThat(schema.getDescription()).startsWith("A Python environment built from a lock file");
  }

  /** The shape Kubernetes' own conditions have: a list map keyed by type, a status enum, every field described. */
  @Test
  void describesConditionsAsKubernetesDoes() {
    JSONSchemaProps conditions = at("status.conditions");
    assertThat(conditions.getXKubernetesListType()).isEqualTo("map");
    assertThat(conditions.getXKubernetesListMapKeys()).containsExactly("type");
    JSONSchemaProps item = conditions.getItems().getSchema();
    assertThat(item.getRequired()).containsExactlyInAnyOrder("type", "status");
    assertThat(item.getProperties().get("status").getEnum()).extracting(Object::toString)
        .containsExactly("\"True\"", "\"False\"", "\"Unknown\"");
    assertThat(item.getProperties()).containsOnlyKeys("type", "status", "reason", "message", "lastTransitionTime",
        "observedGeneration");
    assertThat(item.getProperties().values()).allSatisfy(p -> {
      assertThat(p.getDescription()).isNotBlank();
      assertThat(p.getType()).isIn("string", "integer");
    });
    for (String type : List.of(EnvforgeApi.Conditions.READY, EnvforgeApi.Conditions.RECONCILING,
        EnvforgeApi.Conditions.STALLED, EnvforgeApi.Conditions.BUILDING, EnvforgeApi.Conditions.FAILED,
        EnvforgeApi.Conditions.INVALID_SPEC, EnvforgeApi.Conditions.REGISTRY_UNAVAILABLE)) {
      assertThat(item.getProperties().get("type").getDescription()).contains(type);
    }
  }

  @Test
  void requiresTheFieldsWithoutWhichNothingCanBeBuilt() {
    JSONSchemaProps spec = schema.getProperties().get("spec");
    assertThat(schema.getRequired()).containsExactly("spec");
    assertThat(spec.getRequired()).containsExactlyInAnyOrder("source", "image");
    assertThat(at("spec.image").getRequired()).containsExactly("repository");
    assertThat(at("spec.source.configMapRef").getRequired()).containsExactly("name");
    assertThat(at("spec.source.inline").getRequired()).containsExactly("lock");
    assertThat(at("spec.variants").getItems().getSchema().getRequired()).containsExactly("name");
  }

  @Test
  void validatesValuesInTheSchema() {
    assertThat(at("spec.platform").getEnum()).extracting(Object::toString)
        .containsExactlyInAnyOrder("\"linux/amd64\"", "\"linux/arm64\"");
    assertThat(at("spec.installer").getEnum()).extracting(Object::toString)
        .containsExactlyInAnyOrder("\"uv\"", "\"pip\"");
    assertThat(at("spec.source.format").getEnum()).hasSize(4);
    assertThat(at("spec.variants").getMaxItems()).isEqualTo(16L);
    assertThat(at("spec.variants").getItems().getSchema().getProperties().get("name").getPattern())
        .isEqualTo("^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$");
    assertThat(at("spec.python").getPattern()).isEqualTo("^3\\.[0-9]+(\\.[0-9]+)?$");
    assertThat(at("spec.rebuildToken").getMaxLength()).isEqualTo(63L);
    assertThat(at("spec.builder.activeDeadlineSeconds").getMinimum()).isEqualTo(60.0);
    assertThat(at("spec.image.repository").getPattern()).isNotBlank();
  }

  @Test
  void declaresTheDefaults() {
    assertThat(at("spec.platform").getDefault().asText()).isEqualTo("linux/amd64");
    assertThat(at("spec.installer").getDefault().asText()).isEqualTo("uv");
    assertThat(at("spec.image.insecure").getDefault().asBoolean()).isFalse();
    assertThat(at("spec.builder.activeDeadlineSeconds").getDefault())
        .as("no schema default: it would override the operator's deadline whenever spec.builder is set").isNull();
    assertThat(at("spec.suspend").getDefault().asBoolean()).isFalse();
    assertThat(at("spec.source.configMapRef.pyprojectKey").getDefault().asText()).isEqualTo("pyproject.toml");
    assertThat(at("spec.image.caConfigMapRef.key").getDefault().asText()).isEqualTo("ca.crt");
    assertThat(at("spec.indexCredentialsSecretRef.key").getDefault().asText()).isEqualTo("netrc");
    assertThat(at("spec.variants").getDefault().toString()).isEqualTo("[{\"name\":\"default\"}]");
  }

  /**
   * Fields of Kubernetes' own types (resources, affinity, tolerations, env, image pull secrets) carry no
   * descriptions inside; every envforge field does, and so do the fields of conditions.
   */
  @Test
  void documentsEveryEnvforgeField() {
    List<String> undocumented = new ArrayList<>();
    collectUndocumented(schema.getProperties(), "", Set.of("spec.builder.resources", "spec.builder.affinity",
        "spec.builder.tolerations", "spec.builder.env", "spec.builder.imagePullSecrets", "status.conditions"),
        undocumented);
    assertThat(undocumented).isEmpty();
  }

  private static void collectUndocumented(Map<String, JSONSchemaProps> properties, String prefix,
      Set<String> foreign, List<String> undocumented) {
    if (properties == null) {
      return;
    }
    properties.forEach((name, property) -> {
      String path = prefix.isEmpty() ? name : prefix + "." + name;
      if (property.getDescription() == null || property.getDescription().isBlank()) {
        undocumented.add(path);
      }
      if (foreign.contains(path)) {
        return;
      }
      collectUndocumented(property.getProperties(), path, foreign, undocumented);
      if (property.getItems() != null && property.getItems().getSchema() != null) {
        collectUndocumented(property.getItems().getSchema().getProperties(), path + "[]", foreign, undocumented);
      }
    });
  }

  private JSONSchemaProps at(String dottedPath) {
    JSONSchemaProps node = schema;
    for (String name : dottedPath.split("\\.")) {
      node = node.getProperties().get(name);
      assertThat(node).as("schema property %s", dottedPath).isNotNull();
    }
    return node;
  }
}
