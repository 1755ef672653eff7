package dev.envforge.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The chart grants exactly what the operator uses: every Kubernetes API call the operator made in the operator
 * tests (recorded in target/envforge-api-calls.txt) is allowed by the chart's rules, and every rule is used, except
 * the few that a real API server demands for calls the test server cannot show (listed with their reason).
 *
 * <p>It runs after the other tests, in its own failsafe execution (see operator/pom.xml).
 */
class ChartRbacIT {
  static final Path REPO = Path.of(System.getProperty("envforge.repoRoot", ".."));
  static final Path CALLS = REPO.resolve("operator/target/envforge-api-calls.txt");
  static final Path RBAC_TEMPLATE = REPO.resolve("helm/envforge/templates/rbac.yaml");

  /** Permissions a real cluster requires that no request to the test server shows. */
  static final Map<String, String> REQUIRED_WITHOUT_A_CALL = Map.of(
      "update envforge.dev pythonenvironments/finalizers",
      "the OwnerReferencesPermissionEnforcement admission plugin: a build Job's owner reference to its"
          + " PythonEnvironment sets blockOwnerDeletion",
      "get envforge.dev pythonenvironments",
      "JOSDK reads the resource again when a status patch failed (a patch computed against a cached copy older"
          + " than the last write); the tests provoke it only some of the time");

  /** Calls every authenticated user may make: the default system:basic-user ClusterRole allows them. */
  static final Set<String> ALLOWED_TO_EVERYONE = Set.of("create authorization.k8s.io selfsubjectrulesreviews");

  static Set<String> granted() throws IOException {
    Set<String> granted = new TreeSet<>();
    // the namespaced-or-cluster rules, and the cluster-scoped reads of policies and namespaces
    for (String block : new String[] {"envforge.rules", "envforge.clusterRules"}) {
      granted.addAll(granted(block));
    }
    return granted;
  }

  static Set<String> granted(String block) throws IOException {
    String template = Files.readString(RBAC_TEMPLATE);
    int start = template.indexOf("{{- define \"" + block + "\" -}}");
    int end = template.indexOf("{{- end }}", start);
    assertThat(start).as("the rules block %s of %s", block, RBAC_TEMPLATE).isNotNegative();
    String rulesYaml = template.substring(template.indexOf('\n', start) + 1, end);
    JsonNode rules = new ObjectMapper(new YAMLFactory()).readTree(rulesYaml);
    Set<String> granted = new TreeSet<>();
    for (JsonNode rule : rules) {
      for (JsonNode group : rule.get("apiGroups")) {
        for (JsonNode resource : rule.get("resources")) {
          for (JsonNode verb : rule.get("verbs")) {
            String g = group.asText().isEmpty() ? "core" : group.asText();
            granted.add(verb.asText() + " " + g + " " + resource.asText());
          }
        }
      }
    }
    return granted;
  }

  static Set<String> used() throws IOException {
    assertThat(CALLS).as("the operator tests record their API calls; run mvn verify").exists();
    Set<String> used = new TreeSet<>();
    for (String line : Files.readAllLines(CALLS)) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split(" ");
      assertThat(f[0]).as("the operator calls only resource APIs: %s", line).isNotEqualTo("nonresource");
      used.add(f[0] + " " + f[2] + " " + f[3]);
    }
    return used;
  }

  @Test
  void everyCallTheOperatorMakesIsGranted() throws IOException {
    Set<String> missing = new TreeSet<>(used());
    missing.removeAll(granted());
    missing.removeAll(ALLOWED_TO_EVERYONE);
    assertThat(missing).as("API calls the chart does not allow").isEmpty();
  }

  @Test
  void theChartGrantsNothingTheOperatorDoesNotUse() throws IOException {
    Set<String> unused = new TreeSet<>(granted());
    unused.removeAll(used());
    unused.removeAll(REQUIRED_WITHOUT_A_CALL.keySet());
    assertThat(unused).as("permissions no operator call needs").isEmpty();
  }

  @Test
  void leaderElectionAndTheBuildLifecycleWereExercised() throws IOException {
    // guards against a call log from a partial test run, which would make the checks above too lenient
    assertThat(used()).contains("create batch jobs", "watch envforge.dev pythonenvironments",
        "update envforge.dev pythonenvironments/status", "create core events", "get coordination.k8s.io leases",
        "watch envforge.dev environmentpolicies", "patch envforge.dev environmentpolicies/status",
        "watch core namespaces", "get core pods/log");
  }
}
