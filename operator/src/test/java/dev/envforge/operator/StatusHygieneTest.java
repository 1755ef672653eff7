package dev.envforge.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.envforge.api.v1alpha1.BuilderSpec;
import dev.envforge.api.v1alpha1.EnvforgeApi.Conditions;
import dev.envforge.api.v1alpha1.Reason;
import dev.envforge.api.v1alpha1.PythonEnvironment;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The status is written only when it changes, says which generation it describes, keeps a condition's
 * lastTransitionTime while the condition's status stays, and fills the fields the printer columns show.
 */
class StatusHygieneTest extends OperatorWithRegistry {
  static final String NS = "team-a";
  static final String NAME = "env";
  static final String LOCK = BuildFailureTest.LOCK;
  static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");


  @Override
  public void beforeOperatorStarts(OperatorHarness harness) {
    harness.clock.set(T0);
  }

  String cachedImage(String repository) {
    return registry.pushRandomImage(repository, OperatorHarness.tagOf(Map.of("requirements.txt", LOCK), List.of()));
  }

  @Test
  void conditionKeepsItsTransitionTimeWhileItsStatusStays() {
    cachedImage("hygiene/env");
    k8s.apply(OperatorHarness.environment(NS, NAME, null, LOCK, registry.hostPort() + "/hygiene/env"));
    PythonEnvironment ready = k8s.awaitCondition(NS, NAME, Conditions.READY, "True", Reason.CACHED.wire());
    assertThat(transitionTimes(ready)).containsOnly(Map.entry(Conditions.READY, T0.toString()),
        Map.entry(Conditions.BUILDING, T0.toString()), Map.entry(Conditions.FAILED, T0.toString()),
        Map.entry(Conditions.INVALID_SPEC, T0.toString()), Map.entry(Conditions.REGISTRY_UNAVAILABLE, T0.toString()),
        Map.entry(Conditions.RECONCILING, T0.toString()), Map.entry(Conditions.STALLED, T0.toString()));
    assertThat(ready.getStatus().getObservedGeneration()).isEqualTo(1L);

    // a spec change that leaves every condition as it was: new observedGeneration, same transition times
    k8s.clock.advance(Duration.ofHours(1));
    PythonEnvironment edited = editAndAwaitObserved(pe -> {
      BuilderSpec builder = new BuilderSpec();
      builder.setActiveDeadlineSeconds(1200L);
      pe.getSpec().setBuilder(builder);
    });
    assertThat(edited.getStatus().getObservedGeneration()).isEqualTo(2L);
    assertThat(edited.getStatus().getConditions()).allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(2L));
    assertThat(transitionTimes(edited)).isEqualTo(transitionTimes(ready));

    // a change that needs a build: Ready and Building move, the others keep their time
    k8s.clock.advance(Duration.ofHours(1));
    Instant t2 = T0.plus(Duration.ofHours(2));
    PythonEnvironment building = editAndAwaitObserved(pe -> pe.getSpec().getSource().getInline()
        .setLock(LOCK + "idna==3.18 \\\n    --hash=sha256:7f952cbe720b688055e3f87de14f5c3e5fdaa8bc3928985c4077ca689de849a2\n"));
    assertThat(building.getStatus().condition(Conditions.READY).get().getStatus()).isEqualTo("False");
    assertThat(transitionTimes(building)).containsOnly(Map.entry(Conditions.READY, t2.toString()),
        Map.entry(Conditions.BUILDING, t2.toString()), Map.entry(Conditions.FAILED, T0.toString()),
        Map.entry(Conditions.INVALID_SPEC, T0.toString()), Map.entry(Conditions.REGISTRY_UNAVAILABLE, T0.toString()),
        Map.entry(Conditions.RECONCILING, t2.toString()), Map.entry(Conditions.STALLED, T0.toString()));
  }

  @Test
  void statusIsWrittenOnlyWhenItChanges() {
    cachedImage("writes/env");
    k8s.apply(OperatorHarness.environment(NS, NAME, null, LOCK, registry.hostPort() + "/writes/env"));
    k8s.awaitCondition(NS, NAME, Conditions.READY, "True", Reason.CACHED.wire());
    k8s.restartOperator();
    assertThat(k8s.calls.statusWrites()).as("a cache hit writes its status once").isEqualTo(1);

    k8s.reconcileWithoutChange(NS, NAME);
    k8s.reconcileWithoutChange(NS, NAME);

    assertThat(k8s.calls.statusWrites()).isEqualTo(1);
  }

  @Test
  void buildThatMakesNoProgressWritesNoStatus() {
    k8s.apply(OperatorHarness.environment(NS, NAME, null, LOCK, registry.hostPort() + "/running/env"));
    var job = k8s.awaitJob();
    k8s.markJobRunning(job);
    k8s.awaitCondition(NS, NAME, Conditions.BUILDING, "True", Reason.BUILD_RUNNING.wire());
    k8s.restartOperator();
    long writes = k8s.calls.statusWrites();

    k8s.reconcileWithoutChange(NS, NAME);

    assertThat(k8s.calls.statusWrites()).isEqualTo(writes);
  }

  @Test
  void printerColumnsShowReadinessVariantsAndImage() throws IOException {
    String digest = cachedImage("columns/env");
    k8s.apply(OperatorHarness.environment(NS, NAME, null, LOCK, registry.hostPort() + "/columns/env"));
    PythonEnvironment ready = k8s.awaitCondition(NS, NAME, Conditions.READY, "True", Reason.CACHED.wire());

    Map<String, String> columns = printerColumns(ready);

    assertThat(columns).containsEntry("Ready", "True").containsEntry("Variants", "1/1")
        .containsEntry("Reason", Reason.CACHED.wire()).containsEntry("Status", "all 1 variant images exist")
        .containsEntry("Image", registry.hostPort() + "/columns/env:"
            + OperatorHarness.tagOf(Map.of("requirements.txt", LOCK), List.of()) + "@" + digest)
        .containsKey("Age");
  }

  private PythonEnvironment editAndAwaitObserved(java.util.function.Consumer<PythonEnvironment> change) {
    long generation = k8s.edit(NS, NAME, pe -> {
      change.accept(pe);
      return pe;
    }).getMetadata().getGeneration();
    k8s.awaitOrDescribe("observedGeneration " + generation,
        () -> k8s.get(NS, NAME).getStatus().getObservedGeneration() == generation);
    return k8s.get(NS, NAME);
  }

  private static Map<String, String> transitionTimes(PythonEnvironment pe) {
    Map<String, String> times = new LinkedHashMap<>();
    for (Condition c : pe.getStatus().getConditions()) {
      times.put(c.getType(), c.getLastTransitionTime());
    }
    return times;
  }

  /** What {@code kubectl get pyenv -o wide} shows: each printer column of the installed CRD, evaluated. */
  private Map<String, String> printerColumns(PythonEnvironment pe) throws IOException {
    CustomResourceDefinition crd;
    try (InputStream in = getClass().getResourceAsStream("/META-INF/fabric8/pythonenvironments.envforge.dev-v1.yml")) {
      crd = k8s.client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
    }
    ObjectMapper json = new ObjectMapper();
    JsonNode tree = json.readTree(k8s.client.getKubernetesSerialization().asJson(pe));
    Map<String, String> values = new LinkedHashMap<>();
    for (CustomResourceColumnDefinition column : crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns()) {
      JsonNode value = evaluate(tree, column.getJsonPath());
      values.put(column.getName(), value == null || value.isMissingNode() ? null : value.asText());
    }
    return values;
  }

  private static final Pattern FILTER = Pattern.compile("^(.*)\\[\\?\\(@\\.(\\w+)==\"([^\"]+)\"\\)\\](.*)$");

  /** The JSONPath subset printer columns use: {@code .a.b} and {@code .a[?(@.k=="v")].b}. */
  private static JsonNode evaluate(JsonNode root, String path) {
    Matcher filter = FILTER.matcher(path);
    if (filter.matches()) {
      JsonNode list = evaluate(root, filter.group(1));
      if (list == null || !list.isArray()) {
        return null;
      }
      for (JsonNode element : list) {
        if (filter.group(3).equals(element.path(filter.group(2)).asText())) {
          return evaluate(element, filter.group(4));
        }
      }
      return null;
    }
    JsonNode node = root;
    for (String part : path.split("\\.")) {
      if (!part.isEmpty()) {
        node = node.path(part);
      }
    }
    return node;
  }
}
