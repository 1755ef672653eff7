package dev.envforge.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A resource can reference ConfigMaps and Secrets only in its own namespace: no field of the generated schema can
 * name another namespace, and every reference is read in the resource's namespace.
 */
class SameNamespaceReferencesTest {
  @Test
  void noSpecFieldNamesANamespace() throws IOException {
    JsonNode crd;
    try (InputStream in = getClass().getResourceAsStream("/META-INF/fabric8/pythonenvironments.envforge.dev-v1.yml")) {
      crd = new ObjectMapper(new YAMLFactory()).readTree(in);
    }
    JsonNode spec = crd.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec");
    assertThat(spec.isMissingNode()).isFalse();

    List<String> namespaceFields = new ArrayList<>();
    collect(spec, "spec", namespaceFields);
    // Kubernetes' own scheduling terms, passed to the build Pod as they are: they select Pods for (anti-)affinity
    // and are never read by the operator to fetch an object
    namespaceFields.removeIf(path -> path.startsWith("spec.builder.affinity."));

    assertThat(namespaceFields).isEmpty();
  }

  private static void collect(JsonNode schema, String path, List<String> found) {
    JsonNode properties = schema.path("properties");
    for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> property = it.next();
      if (property.getKey().toLowerCase().contains("namespace")) {
        found.add(path + "." + property.getKey());
      }
      collect(property.getValue(), path + "." + property.getKey(), found);
    }
    if (schema.has("items")) {
      collect(schema.get("items"), path + "[]", found);
    }
  }

  @Test
  void referencesAreLookedUpInTheResourcesNamespace() {
    var pe = OperatorHarness.environment("team-a", "env", null, "x", "registry.example/a");
    pe.getSpec().getImage().setPushSecretRef(OperatorHarness.secretRef("push"));
    pe.getSpec().getSource().setInline(null);
    pe.getSpec().getSource().setConfigMapRef(new dev.envforge.api.v1alpha1.ConfigMapSource("project"));

    assertThat(InputInformers.referencedSecrets(pe)).containsExactly("team-a/push");
    assertThat(InputInformers.referencedConfigMaps(pe)).containsExactly("team-a/project");
  }
}
