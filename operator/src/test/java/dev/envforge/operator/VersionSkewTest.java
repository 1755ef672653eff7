package dev.envforge.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.api.v1alpha1.EnvforgeApi;
import dev.envforge.api.v1alpha1.EnvforgeApi.Conditions;
import dev.envforge.api.v1alpha1.Reason;
import dev.envforge.api.v1alpha1.PythonEnvironment;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A CRD newer (or older) than the operator: resources with fields this build does not know, and with a field of
 * the wrong type. Among 50 resources, the one with unknown fields is reconciled as if they were absent and gets one
 * warning Event naming them; the one that cannot be read gets one warning Event naming the field and is skipped;
 * the other 48 become Ready and the operator stays up. The unknown fields stay on the server, also in the status the
 * operator writes. A watch that cannot be kept fails the health checks with its reason instead of ending the JVM.
 */
class VersionSkewTest extends OperatorWithRegistry {
  static final String REPOSITORY = "skew/env";
  static final int RESOURCES = 50;
  static final String UNKNOWN_FIELDS = "env-unknown-fields";
  static final String WRONG_TYPE = "env-wrong-type";

  /** The 50 resources: where they live and their names, the two special ones among the good ones. */
  record World(List<String[]> good, String[] unknownFields, String[] wrongType) {}

  @Test
  void unknownFieldsAreIgnoredAndAnUnreadableResourceIsSkippedWhileTheOthersBecomeReady() {
    World world = create(k8s.client, registry.hostPort());

    for (String[] ns : world.good()) {
      k8s.awaitCondition(ns[0], ns[1], Conditions.READY, "True", Reason.CACHED.wire());
    }
    PythonEnvironment unknown = k8s.awaitCondition(world.unknownFields()[0], UNKNOWN_FIELDS, Conditions.READY,
        "True", Reason.CACHED.wire());
    assertThat(unknown.getSpec().getVariants()).extracting(v -> v.getName()).containsExactly("default");
    assertThat(k8s.operator.live()).isTrue();
    assertThat(k8s.operator.notReady()).isEmpty();

    awaitEvent(k8s, world.unknownFields()[0], UNKNOWN_FIELDS, ReadProblemReporter.IGNORED_FIELDS,
        "spec.futureField, spec.variants[0].color are not known to this version of envforge and ignored");
    awaitEvent(k8s, world.wrongType()[0], WRONG_TYPE, ReadProblemReporter.UNREADABLE_SPEC,
        "spec.variants: expected a list, found the string 'x'; the resource is skipped");
    // skipped: no finalizer, no status, nothing written
    GenericKubernetesResource skipped = raw(k8s.client, world.wrongType()[0], WRONG_TYPE);
    assertThat(skipped.getMetadata().getFinalizers()).isEmpty();
    assertThat(skipped.getAdditionalProperties()).doesNotContainKey("status");
    // the unknown fields are still on the server after the operator added its finalizer and wrote the status
    Map<String, Object> spec = map(raw(k8s.client, world.unknownFields()[0], UNKNOWN_FIELDS), "spec");
    assertThat(spec).containsEntry("futureField", Map.of("x", 1));
    assertThat(spec.get("variants")).isEqualTo(List.of(Map.of("name", "default", "color", "blue")));

    // more events of the same resources: still one report each
    for (String name : List.of(UNKNOWN_FIELDS, WRONG_TYPE)) {
      String ns = name.equals(UNKNOWN_FIELDS) ? world.unknownFields()[0] : world.wrongType()[0];
      k8s.client.genericKubernetesResources(EnvforgeApi.API_VERSION, EnvforgeApi.KIND).inNamespace(ns)
          .withName(name).edit(r -> {
            r.getMetadata().setLabels(Map.of("example.com/touched", "yes"));
            return r;
          });
    }
    k8s.stopOperator();
    k8s.start();
    for (String[] ns : world.good()) {
      k8s.awaitCondition(ns[0], ns[1], Conditions.READY, "True", Reason.CACHED.wire());
    }
    assertThat(events(k8s, world.unknownFields()[0], UNKNOWN_FIELDS, ReadProblemReporter.IGNORED_FIELDS))
        .hasSize(1);
    assertThat(events(k8s, world.wrongType()[0], WRONG_TYPE, ReadProblemReporter.UNREADABLE_SPEC)).hasSize(1);
    assertThat(k8s.operator.notReady()).isEmpty();
  }

  @Test
  void theStatusKeepsFieldsAndConditionsTheOperatorDidNotWrite() {
    String ns = "team-a";
    String lock = BuildFailureTest.LOCK;
    registry.pushRandomImage(REPOSITORY, OperatorHarness.tagOf(Map.of("requirements.txt", lock), List.of()));
    k8s.client.genericKubernetesResources(EnvforgeApi.API_VERSION, EnvforgeApi.KIND).inNamespace(ns)
        .resource(unknownFieldsResource(ns, UNKNOWN_FIELDS, registry.hostPort() + "/" + REPOSITORY)).create();
    PythonEnvironment ready = k8s.awaitCondition(ns, UNKNOWN_FIELDS, Conditions.READY, "True", Reason.CACHED.wire());
    long generation = ready.getMetadata().getGeneration();

    // what a newer envforge and another controller wrote into the status
    k8s.client.genericKubernetesResources(EnvforgeApi.API_VERSION, EnvforgeApi.KIND).inNamespace(ns)
        .withName(UNKNOWN_FIELDS).editStatus(r -> {
          Map<String, Object> status = map(r, "status");
          status.put("futureStatus", Map.of("layers", 12));
          @SuppressWarnings("unchecked")
          Map<String, Object> variant = (Map<String, Object>) ((List<?>) status.get("variants")).get(0);
          variant.put("futureVariantField", "kept");
          @SuppressWarnings("unchecked")
          List<Object> conditions = (List<Object>) status.get("conditions");
          conditions.add(Map.of("type", "example.com/Reviewed", "status", "True", "reason", "Approved",
              "message", "reviewed by another controller", "lastTransitionTime", "2026-01-01T00:00:00Z"));
          return r;
        });
    // a spec change the operator answers with a new status (observedGeneration)
    k8s.client.genericKubernetesResources(EnvforgeApi.API_VERSION, EnvforgeApi.KIND).inNamespace(ns)
        .withName(UNKNOWN_FIELDS).edit(r -> {
          map(r, "spec").put("futureField", Map.of("x", 2));
          return r;
        });
    k8s.awaitOrDescribe("a status for the next generation", () -> {
      PythonEnvironment pe = k8s.get(ns, UNKNOWN_FIELDS);
      return pe.getStatus().getObservedGeneration() > generation;
    });

    Map<String, Object> status = map(raw(k8s.client, ns, UNKNOWN_FIELDS), "status");
    assertThat(status).containsEntry("futureStatus", Map.of("layers", 12));
    Map<?, ?> variant = (Map<?, ?>) ((List<?>) status.get("variants")).get(0);
    assertThat(variant.get("futureVariantField")).isEqualTo("kept");
    assertThat(variant.get("phase")).isEqualTo("Cached");
    assertThat(((List<?>) status.get("conditions")).stream().map(c -> String.valueOf(((Map<?, ?>) c).get("type"))).toList())
        .containsExactly(Conditions.READY, Conditions.BUILDING, Conditions.FAILED, Conditions.INVALID_SPEC,
            Conditions.REGISTRY_UNAVAILABLE, Conditions.RECONCILING, Conditions.STALLED, "example.com/Reviewed");
    // read back, the operator's own view is complete and its next reconcile writes nothing
    PythonEnvironment read = k8s.get(ns, UNKNOWN_FIELDS);
    assertThat(read.readProblem()).isEmpty();
    assertThat(read.getStatus().condition("example.com/Reviewed")).isPresent();
  }

  @Test
  void aStatusThatCannotBeReadIsReportedAndWrittenAfresh() {
    String ns = "team-b";
    String lock = BuildFailureTest.LOCK;
    registry.pushRandomImage(REPOSITORY, OperatorHarness.tagOf(Map.of("requirements.txt", lock), List.of()));
    GenericKubernetesResource resource = unknownFieldsResource(ns, "env-old-status",
        registry.hostPort() + "/" + REPOSITORY);
    k8s.client.genericKubernetesResources(EnvforgeApi.API_VERSION, EnvforgeApi.KIND).inNamespace(ns)
        .resource(resource).create();
    k8s.awaitCondition(ns, "env-old-status", Conditions.READY, "True", Reason.CACHED.wire());
    // a phase a newer envforge knows and this one does not
    k8s.client.genericKubernetesResources(EnvforgeApi.API_VERSION, EnvforgeApi.KIND).inNamespace(ns)
        .withName("env-old-status").editStatus(r -> {
          @SuppressWarnings("unchecked")
          Map<String, Object> variant = (Map<String, Object>) ((List<?>) map(r, "status").get("variants")).get(0);
          variant.put("phase", "Verifying");
          return r;
        });
    k8s.client.genericKubernetesResources(EnvforgeApi.API_VERSION, EnvforgeApi.KIND).inNamespace(ns)
        .withName("env-old-status").edit(r -> {
          map(r, "spec").put("rebuildToken", null);
          map(r, "spec").put("futureField", Map.of("x", 3));
          return r;
        });
    awaitEvent(k8s, ns, "env-old-status", ReadProblemReporter.UNREADABLE_STATUS,
        "status.variants[0].phase: expected one of Pending, Checking, Cached, Building, Succeeded, Failed, found"
            + " the string 'Verifying'; the status is computed afresh");
    k8s.awaitOrDescribe("the status written afresh", () -> {
      Map<String, Object> status = map(raw(k8s.client, ns, "env-old-status"), "status");
      return "Cached".equals(((Map<?, ?>) ((List<?>) status.get("variants")).get(0)).get("phase"));
    });
  }

  @Test
  void aResourceThatCannotBeReadCanStillBeDeleted() {
    String ns = "team-c";
    String lock = BuildFailureTest.LOCK;
    registry.pushRandomImage(REPOSITORY, OperatorHarness.tagOf(Map.of("requirements.txt", lock), List.of()));
    String repository = registry.hostPort() + "/" + REPOSITORY;
    k8s.apply(OperatorHarness.environment(ns, "env-was-fine", null, lock, repository));
    PythonEnvironment ready = k8s.awaitCondition(ns, "env-was-fine", Conditions.READY, "True", Reason.CACHED.wire());
    assertThat(ready.getMetadata().getFinalizers()).isNotEmpty();
    // rewritten under a CRD this operator cannot read, then deleted: the finalizer still comes off
    k8s.client.genericKubernetesResources(EnvforgeApi.API_VERSION, EnvforgeApi.KIND).inNamespace(ns)
        .withName("env-was-fine").edit(r -> {
          map(r, "spec").put("variants", "x");
          return r;
        });
    awaitEvent(k8s, ns, "env-was-fine", ReadProblemReporter.UNREADABLE_SPEC, "spec.variants: expected a list");
    k8s.client.genericKubernetesResources(EnvforgeApi.API_VERSION, EnvforgeApi.KIND).inNamespace(ns)
        .withName("env-was-fine").delete();
    k8s.awaitOrDescribe("the unreadable resource gone", () -> raw(k8s.client, ns, "env-was-fine") == null);
    // one that was never readable has no finalizer: the API server deletes it at once
    k8s.client.genericKubernetesResources(EnvforgeApi.API_VERSION, EnvforgeApi.KIND).inNamespace(ns)
        .resource(wrongTypeResource(ns, WRONG_TYPE, repository)).create();
    awaitEvent(k8s, ns, WRONG_TYPE, ReadProblemReporter.UNREADABLE_SPEC, "spec.variants: expected a list");
    k8s.client.genericKubernetesResources(EnvforgeApi.API_VERSION, EnvforgeApi.KIND).inNamespace(ns)
        .withName(WRONG_TYPE).delete();
    k8s.awaitOrDescribe("the never readable resource gone", () -> raw(k8s.client, ns, WRONG_TYPE) == null);
    assertThat(k8s.operator.notReady()).isEmpty();
  }

  @Test
  void aWatchThatCannotBeKeptFailsTheHealthChecksWithItsReason() {
    assertThat(k8s.operator.notReady()).isEmpty();
    // a build Job this client's types cannot read: the Job informer's watch fails on it and fabric8 stops it
    GenericKubernetesResource job = new GenericKubernetesResource();
    job.setApiVersion("batch/v1");
    job.setKind("Job");
    job.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("envforge-build-broken")
        .withNamespace("team-a").withLabels(Map.of(dev.envforge.operator.Labels.MANAGED_BY,
            dev.envforge.operator.Labels.MANAGED_BY_VALUE, dev.envforge.operator.Labels.COMPONENT,
            dev.envforge.operator.Labels.COMPONENT_BUILD)).build());
    job.setAdditionalProperty("spec", Map.of("parallelism", "many"));
    k8s.client.genericKubernetesResources("batch/v1", "Job").inNamespace("team-a").resource(job).create();

    k8s.awaitOrDescribe("the operator reporting the stopped watch", () -> k8s.operator.notLive().isPresent());
    assertThat(k8s.operator.notLive().get())
        .startsWith("the watch of jobs.batch stopped: an object cannot be read: spec.parallelism: ");
    assertThat(k8s.operator.notReady()).isEqualTo(k8s.operator.notLive());
    assertThat(k8s.operator.live()).isFalse();
    assertThat(k8s.operator.ready()).isFalse();
  }

  /**
   * Creates the 50 resources with the test's client, all wanting one image that exists: 10 good ones, then the two
   * bad ones, then 38 good ones, in three namespaces. The operator may already run.
   */
  static World create(KubernetesClient client, String registryHostPort) {
    return create(client, registryHostPort, null);
  }

  static World create(KubernetesClient client, String registryHostPort, RegistryPush push) {
    String lock = BuildFailureTest.LOCK;
    String tag = OperatorHarness.tagOf(Map.of("requirements.txt", lock), List.of());
    if (push != null) {
      push.push(REPOSITORY, tag);
    } else {
      registry.pushRandomImage(REPOSITORY, tag);
    }
    String repository = registryHostPort + "/" + REPOSITORY;
    List<String[]> good = new ArrayList<>();
    String[] unknownFields = null;
    String[] wrongType = null;
    for (int i = 0; good.size() < RESOURCES - 2; i++) {
      String ns = "ns-" + (i % 3);
      if (i == 10) {
        client.genericKubernetesResources(EnvforgeApi.API_VERSION, EnvforgeApi.KIND).inNamespace(ns)
            .resource(unknownFieldsResource(ns, UNKNOWN_FIELDS, repository)).create();
        unknownFields = new String[] {ns, UNKNOWN_FIELDS};
        ns = "ns-" + ((i + 1) % 3);
        client.genericKubernetesResources(EnvforgeApi.API_VERSION, EnvforgeApi.KIND).inNamespace(ns)
            .resource(wrongTypeResource(ns, WRONG_TYPE, repository)).create();
        wrongType = new String[] {ns, WRONG_TYPE};
      }
      String name = "env-" + i;
      client.resource(OperatorHarness.environment(ns, name, null, lock, repository)).create();
      good.add(new String[] {ns, name});
    }
    return new World(good, unknownFields, wrongType);
  }

  /** Pushes an image for a tag to the registry the operator looks at. */
  interface RegistryPush {
    void push(String repository, String tag);
  }

  /** A good resource plus fields a newer CRD would declare: in the spec and in a variant. */
  static GenericKubernetesResource unknownFieldsResource(String ns, String name, String repository) {
    GenericKubernetesResource r = asGeneric(OperatorHarness.environment(ns, name, null, BuildFailureTest.LOCK,
        repository));
    Map<String, Object> spec = map(r, "spec");
    spec.put("futureField", Map.of("x", 1));
    spec.put("variants", List.of(Map.of("name", "default", "color", "blue")));
    return r;
  }

  /** A resource written under a CRD where spec.variants is a string. */
  static GenericKubernetesResource wrongTypeResource(String ns, String name, String repository) {
    GenericKubernetesResource r = asGeneric(OperatorHarness.environment(ns, name, null, BuildFailureTest.LOCK,
        repository));
    map(r, "spec").put("variants", "x");
    return r;
  }

  private static GenericKubernetesResource asGeneric(PythonEnvironment pe) {
    var serialization = new io.fabric8.kubernetes.client.utils.KubernetesSerialization();
    return serialization.unmarshal(serialization.asJson(pe), GenericKubernetesResource.class);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(GenericKubernetesResource r, String key) {
    Object value = r.getAdditionalProperties().get(key);
    if (!(value instanceof HashMap)) {
      value = new HashMap<>((Map<String, Object>) value);
      r.getAdditionalProperties().put(key, value);
    }
    return (Map<String, Object>) value;
  }

  static GenericKubernetesResource raw(KubernetesClient client, String ns, String name) {
    return client.genericKubernetesResources(EnvforgeApi.API_VERSION, EnvforgeApi.KIND).inNamespace(ns)
        .withName(name).get();
  }

  static List<Event> events(OperatorHarness k8s, String ns, String name, String reason) {
    return k8s.events(ns).stream().filter(e -> name.equals(e.getInvolvedObject().getName()))
        .filter(e -> reason.equals(e.getReason())).collect(Collectors.toList());
  }

  static Event awaitEvent(OperatorHarness k8s, String ns, String name, String reason, String messageStart) {
    k8s.awaitOrDescribe("a " + reason + " Event of " + ns + "/" + name, () -> !events(k8s, ns, name, reason)
        .isEmpty());
    Event event = events(k8s, ns, name, reason).get(0);
    assertThat(event.getType()).isEqualTo("Warning");
    assertThat(event.getMessage()).startsWith(messageStart);
    return event;
  }
}
