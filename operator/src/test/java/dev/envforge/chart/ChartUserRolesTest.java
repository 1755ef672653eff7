package dev.envforge.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The roles the chart aggregates into the built-in view, edit and admin roles: viewers read, editors also write
 * PythonEnvironments, nobody writes their status or EnvironmentPolicies. .ci/helm-check.sh checks the rendering.
 */
class ChartUserRolesTest {
  static final Path TEMPLATE = Path.of(System.getProperty("envforge.repoRoot", ".."))
      .resolve("helm/envforge/templates/aggregated-roles.yaml");

  static Set<String> rules(String define) throws IOException {
    String template = Files.readString(TEMPLATE);
    int start = template.indexOf("{{- define \"" + define + "\" -}}");
    assertThat(start).as("the %s block of %s", define, TEMPLATE).isNotNegative();
    int end = template.indexOf("{{- end }}", start);
    JsonNode rules = new ObjectMapper(new YAMLFactory())
        .readTree(template.substring(template.indexOf('\n', start) + 1, end));
    Set<String> granted = new TreeSet<>();
    for (JsonNode rule : rules) {
      for (JsonNode group : rule.get("apiGroups")) {
        for (JsonNode resource : rule.get("resources")) {
          for (JsonNode verb : rule.get("verbs")) {
            granted.add(verb.asText() + " " + group.asText() + " " + resource.asText());
          }
        }
      }
    }
    return granted;
  }

  static Set<String> permissions(Set<String> verbs, Set<String> resources) {
    Set<String> out = new TreeSet<>();
    verbs.forEach(v -> resources.forEach(r -> out.add(v + " envforge.dev " + r)));
    return out;
  }

  @Test
  void viewReadsResourcesPoliciesAndTheirStatus() throws IOException {
    assertThat(rules("envforge.viewRules")).isEqualTo(permissions(Set.of("get", "list", "watch"),
        Set.of("pythonenvironments", "pythonenvironments/status", "environmentpolicies",
            "environmentpolicies/status")));
  }

  @Test
  void editWritesPythonEnvironmentsOnly() throws IOException {
    assertThat(rules("envforge.editRules")).isEqualTo(permissions(
        Set.of("create", "update", "patch", "delete", "deletecollection"), Set.of("pythonenvironments")));
  }

  @Test
  void viewAggregatesIntoAllThreeAndEditIntoEditAndAdmin() throws IOException {
    String template = Files.readString(TEMPLATE);
    String view = template.substring(template.indexOf("name: {{ $fullname }}-view"),
        template.indexOf("name: {{ $fullname }}-edit"));
    String edit = template.substring(template.indexOf("name: {{ $fullname }}-edit"));
    for (String role : Set.of("view", "edit", "admin")) {
      assertThat(view).contains("rbac.authorization.k8s.io/aggregate-to-" + role + ": \"true\"");
    }
    assertThat(edit).contains("rbac.authorization.k8s.io/aggregate-to-edit: \"true\"",
        "rbac.authorization.k8s.io/aggregate-to-admin: \"true\"")
        .doesNotContain("aggregate-to-view");
    assertThat(template).contains("{{- if and .Values.rbac.create .Values.rbac.aggregateToDefaultRoles }}");
  }
}
