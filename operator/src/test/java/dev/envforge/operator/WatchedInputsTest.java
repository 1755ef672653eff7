package dev.envforge.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.api.v1alpha1.ConfigMapSource;
import dev.envforge.api.v1alpha1.EnvforgeApi.Conditions;
import dev.envforge.api.v1alpha1.Reason;
import dev.envforge.api.v1alpha1.LockSource;
import dev.envforge.api.v1alpha1.PythonEnvironment;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Referenced ConfigMaps and Secrets are watched: an edit, a creation or a deletion reaches every resource that
 * references them at once, without a poll, and reconciles read them from the informer caches, not the API.
 */
class WatchedInputsTest extends OperatorWithRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(WatchedInputsTest.class);
  static final String NS = "team-a";
  static final String PYPROJECT = LockChangeTest.PYPROJECT;
  static final String LOCK = LockChangeTest.LOCK;
  /** Far below the resync (10 minutes) and the old poll of missing inputs (1 minute); generous for a busy machine. */
  static final Duration PROMPT = Duration.ofSeconds(20);

  @Test
  void configMapEditedInPlaceStartsTheRightBuildPromptly() {
    String repo = registry.hostPort() + "/watched/env";
    registry.pushRandomImage("watched/env", LockChangeTest.tagOf(LOCK, List.of()));
    createProject("project", LOCK);
    k8s.apply(fromConfigMap("env", "project", repo));
    k8s.awaitCondition(NS, "env", Conditions.READY, "True", Reason.CACHED.wire());
    // a change to what the default variant installs
    String changed = changeDefaultVariant(LOCK);
    assertThat(LockChangeTest.tagOf(changed, List.of())).isNotEqualTo(LockChangeTest.tagOf(LOCK, List.of()));
    int callsBefore = configMapReads();

    long edit = System.nanoTime();
    k8s.client.configMaps().inNamespace(NS).withName("project").edit(cm -> {
      cm.getData().put("uv.lock", changed);
      return cm;
    });
    Job job = awaitPromptly("the build of the edited lock", () -> !k8s.jobs().isEmpty());
    Duration took = Duration.ofNanos(System.nanoTime() - edit);
    LOG.info("in-place ConfigMap edit to build Job: {} ms", took.toMillis());
    System.out.println("WatchedInputsTest: in-place ConfigMap edit to build Job: " + took.toMillis() + " ms");

    assertThat(job.getMetadata().getAnnotations().get(Labels.IMAGE_ANNOTATION))
        .isEqualTo(repo + ":" + LockChangeTest.tagOf(changed, List.of()));
    assertThat(configMapReads()).as("inputs are read from the cache, not the API").isEqualTo(callsBefore);
  }

  @Test
  void missingConfigMapAndSecretAreNoticedWhenTheyAppear() {
    String repo = registry.hostPort() + "/appears/env";
    registry.pushRandomImage("appears/env", LockChangeTest.tagOf(LOCK, List.of()));
    PythonEnvironment pe = fromConfigMap("env", "later", repo);
    pe.getSpec().getImage().setPushSecretRef(OperatorHarness.secretRef("push"));
    k8s.apply(pe);
    k8s.awaitCondition(NS, "env", Conditions.INVALID_SPEC, "True", Reason.SECRET_NOT_FOUND.wire());

    k8s.createPushSecret(NS, "push", "{\"auths\":{}}");
    awaitPromptly("ConfigMapNotFound once the Secret exists", () -> k8s.condition(NS, "env", Conditions.INVALID_SPEC)
        .filter(c -> Reason.CONFIG_MAP_NOT_FOUND.wire().equals(c.getReason())).isPresent());
    createProject("later", LOCK);
    awaitPromptly("Ready once the ConfigMap exists", () -> k8s.condition(NS, "env", Conditions.READY)
        .filter(c -> "True".equals(c.getStatus())).isPresent());

    k8s.client.configMaps().inNamespace(NS).withName("later").delete();
    awaitPromptly("ConfigMapNotFound once the ConfigMap is deleted", () -> k8s.condition(NS, "env",
        Conditions.INVALID_SPEC).filter(c -> Reason.CONFIG_MAP_NOT_FOUND.wire().equals(c.getReason())).isPresent());
  }

  /** Edits the first artifact hash of langchain-core, a main dependency. */
  static String changeDefaultVariant(String lock) {
    int wheel = lock.indexOf("hash = \"sha256:", lock.indexOf("\nname = \"langchain-core\""));
    String hash = lock.substring(wheel + 15, wheel + 15 + 64);
    return lock.replace(hash, new StringBuilder(hash).reverse().toString());
  }

  private Job awaitPromptly(String what, java.util.concurrent.Callable<Boolean> done) {
    try {
      org.awaitility.Awaitility.await().atMost(PROMPT).pollInterval(Duration.ofMillis(20)).until(done);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("not within " + PROMPT + ": " + what + "; resources now:\n"
          + k8s.describeResources(), e);
    }
    return k8s.jobs().isEmpty() ? null : k8s.jobs().get(0);
  }

  /** GETs of one ConfigMap or Secret that is not a build context (those the operator writes itself). */
  private int configMapReads() {
    return (int) k8s.calls.operatorCalls().stream().filter(c -> "GET".equals(c.method())
        && c.path().matches("/api/v1/namespaces/[^/]+/(configmaps|secrets)/(?!envforge-build-)[^/?]+")).count();
  }

  private void createProject(String name, String lock) {
    k8s.client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName(name)
        .endMetadata().withData(new java.util.HashMap<>(Map.of("pyproject.toml", PYPROJECT, "uv.lock", lock)))
        .build()).create();
  }

  private static PythonEnvironment fromConfigMap(String name, String configMap, String repository) {
    PythonEnvironment pe = OperatorHarness.environment(NS, name, null, "", repository);
    LockSource source = new LockSource();
    source.setConfigMapRef(new ConfigMapSource(configMap));
    pe.getSpec().setSource(source);
    return pe;
  }
}
