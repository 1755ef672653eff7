package dev.envforge.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.api.v1alpha1.CaBundleReference;
import dev.envforge.api.v1alpha1.EnvforgeApi.Conditions;
import dev.envforge.api.v1alpha1.Reason;
import dev.envforge.api.v1alpha1.PythonEnvironment;
import dev.envforge.api.v1alpha1.VariantPhase;
import dev.envforge.testing.RegistryProxy;
import dev.envforge.testing.RegistryServer;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The registry check against real registries: Basic auth with good, wrong and no credentials, a server error, a
 * timeout and TLS with a custom CA. When the registry gives no answer the resource says why (RegistryUnavailable)
 * and nothing is built: an unknown answer never means that the image is absent.
 */
class RegistryAccessTest {
  static final String NS = "team-a";
  static final String NAME = "env";
  static final String LOCK = BuildFailureTest.LOCK;
  static final Duration REGISTRY_TIMEOUT = Duration.ofMillis(700);

  RegistryServer registry;
  RegistryProxy proxy;
  OperatorHarness k8s;

  void start(RegistryServer.Options options) {
    registry = RegistryServer.start(options);
    OperatorSettings defaults = OperatorSettings.defaults();
    k8s = new OperatorHarness().start(new OperatorSettings(Set.of(), defaults.builder(), defaults.registryCacheTtl(),
        REGISTRY_TIMEOUT, defaults.reconcileThreads(), false, defaults.leaseName(), null), null);
  }

  @AfterEach
  void stop() {
    if (k8s != null) {
      k8s.close();
    }
    if (proxy != null) {
      proxy.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  static String tag() {
    return OperatorHarness.tagOf(Map.of("requirements.txt", LOCK), List.of());
  }

  @Test
  void basicAuthWithTheRightCredentialsFindsTheImage() {
    start(RegistryServer.Options.plain().withBasicAuth("envforge", "right-password"));
    String digest = registry.pushRandomImage("auth/env", tag());
    k8s.createPushSecret(NS, "push", registry.dockerConfigJson());

    k8s.apply(withPushSecret(environment(registry.hostPort(), "auth/env"), "push"));

    PythonEnvironment ready = k8s.awaitCondition(NS, NAME, Conditions.READY, "True", Reason.CACHED.wire());
    assertThat(ready.getStatus().getImage()).endsWith("@" + digest);
    assertThat(ready.getStatus().condition(Conditions.REGISTRY_UNAVAILABLE).get().getStatus()).isEqualTo("False");
  }

  @Test
  void basicAuthWithoutCredentialsIsUnauthorizedAndBuildsNothing() {
    start(RegistryServer.Options.plain().withBasicAuth("envforge", "right-password"));

    k8s.apply(environment(registry.hostPort()));

    assertUnavailableWithoutBuild(Reason.REGISTRY_UNAUTHORIZED.wire());
  }

  @Test
  void basicAuthWithWrongCredentialsIsUnauthorizedAndBuildsNothing() {
    start(RegistryServer.Options.plain().withBasicAuth("envforge", "right-password"));
    String wrong = "{\"auths\":{\"" + registry.hostPort() + "\":{\"auth\":\"" + java.util.Base64.getEncoder()
        .encodeToString("envforge:wrong-password".getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "\"}}}";
    k8s.createPushSecret(NS, "push", wrong);

    k8s.apply(withPushSecret(environment(registry.hostPort()), "push"));

    assertUnavailableWithoutBuild(Reason.REGISTRY_UNAUTHORIZED.wire());
  }

  @ParameterizedTest(name = "HTTP {0}")
  @ValueSource(ints = {500, 503, 429})
  void serverErrorIsRetriedWithoutBuildingAndRecovers(int status) {
    start(RegistryServer.Options.plain());
    String digest = registry.pushRandomImage("flaky/env", tag());
    proxy = RegistryProxy.inFrontOf(registry);
    proxy.failWith(status);

    k8s.apply(environment(proxy.hostPort(), "flaky/env"));

    assertUnavailableWithoutBuild(Reason.REGISTRY_ERROR.wire());
    proxy.behaveNormally();
    assertRecoversWithoutBuild(digest);
  }

  @Test
  void registryDownIsRetriedWithoutBuildingAndRecoversWhenItComesUp() throws java.io.IOException {
    start(RegistryServer.Options.plain());
    String digest = registry.pushRandomImage("down/env", tag());
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }

    k8s.apply(environment("127.0.0.1:" + port, "down/env"));

    PythonEnvironment down = assertUnavailableWithoutBuild(Reason.REGISTRY_ERROR.wire());
    assertThat(down.getStatus().condition(Conditions.REGISTRY_UNAVAILABLE).get().getMessage())
        .contains("127.0.0.1:" + port);
    proxy = RegistryProxy.inFrontOf(registry, port);
    assertRecoversWithoutBuild(digest);
  }

  @Test
  void slowRegistryTimesOutBuildsNothingAndRecovers() {
    start(RegistryServer.Options.plain());
    String digest = registry.pushRandomImage("slow/env", tag());
    proxy = RegistryProxy.inFrontOf(registry);
    proxy.delayAnswers(REGISTRY_TIMEOUT.multipliedBy(4));

    k8s.apply(environment(proxy.hostPort(), "slow/env"));

    assertUnavailableWithoutBuild(Reason.REGISTRY_TIMEOUT.wire());
    // each check gave up at the time limit: the registry is asked again, never waited on
    assertThat(k8s.get(NS, NAME).getStatus().condition(Conditions.REGISTRY_UNAVAILABLE).get().getMessage())
        .contains("retrying");
    proxy.behaveNormally();
    assertRecoversWithoutBuild(digest);
  }

  /** Ready with the image once the registry answers again, by the operator's own retry, and still no Job. */
  private void assertRecoversWithoutBuild(String digest) {
    // retried with backoff (5 s after the first failure): no event or edit is needed
    PythonEnvironment ready = k8s.awaitCondition(NS, NAME, Conditions.READY, "True", Reason.CACHED.wire());
    assertThat(ready.getStatus().getImage()).endsWith("@" + digest);
    assertThat(ready.getStatus().condition(Conditions.REGISTRY_UNAVAILABLE).get().getReason())
        .isEqualTo(Reason.REGISTRY_REACHABLE.wire());
    assertThat(k8s.jobs()).isEmpty();
    assertThat(k8s.events(NS)).noneMatch(e -> List.of("BuildStarted", "BuildFailed").contains(e.getReason()));
  }

  @Test
  void tlsRegistryWithItsCaFromAConfigMapFindsTheImage() {
    start(RegistryServer.Options.plain().withTls());
    String digest = registry.pushRandomImage("tls/env", tag());
    k8s.client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("registry-ca")
        .endMetadata().withData(Map.of(CaBundleReference.DEFAULT_KEY, registry.caPem())).build()).create();
    PythonEnvironment pe = environment(registry.hostPort(), "tls/env");
    pe.getSpec().getImage().setInsecure(false);
    pe.getSpec().getImage().setCaConfigMapRef(new CaBundleReference("registry-ca", null));
    pe.getSpec().getImage().getCaConfigMapRef().setKey(CaBundleReference.DEFAULT_KEY);

    k8s.apply(pe);

    PythonEnvironment ready = k8s.awaitCondition(NS, NAME, Conditions.READY, "True", Reason.CACHED.wire());
    assertThat(ready.getStatus().getImage()).endsWith("@" + digest);
  }

  @Test
  void tlsRegistryWithoutItsCaIsAnErrorAndBuildsNothing() {
    start(RegistryServer.Options.plain().withTls());
    PythonEnvironment pe = environment(registry.hostPort());
    pe.getSpec().getImage().setInsecure(false);

    k8s.apply(pe);

    PythonEnvironment failing = assertUnavailableWithoutBuild(Reason.REGISTRY_ERROR.wire());
    assertThat(failing.getStatus().condition(Conditions.REGISTRY_UNAVAILABLE).get().getMessage()).containsIgnoringCase("tls");
  }

  private PythonEnvironment environment(String registryHost) {
    return environment(registryHost, "app/env");
  }

  private PythonEnvironment environment(String registryHost, String repository) {
    return OperatorHarness.environment(NS, NAME, null, LOCK, registryHost + "/" + repository);
  }

  private static PythonEnvironment withPushSecret(PythonEnvironment pe, String secret) {
    pe.getSpec().getImage().setPushSecretRef(OperatorHarness.secretRef(secret));
    return pe;
  }

  /**
   * RegistryUnavailable=True with the reason, Ready=Unknown (nothing says whether the image exists), Reconciling=True
   * (retried), and no Job: not now, not after another reconcile.
   */
  private PythonEnvironment assertUnavailableWithoutBuild(String reason) {
    PythonEnvironment pe = k8s.awaitCondition(NS, NAME, Conditions.REGISTRY_UNAVAILABLE, "True", reason);
    assertThat(pe.getStatus().condition(Conditions.RECONCILING)).get()
        .satisfies(c -> assertThat(c.getStatus()).isEqualTo("True"));
    assertThat(pe.getStatus().condition(Conditions.READY)).get().satisfies(ready -> {
      assertThat(ready.getStatus()).isEqualTo("Unknown");
      assertThat(ready.getReason()).isEqualTo(reason);
    });
    assertThat(pe.getStatus().getVariants()).singleElement().satisfies(v -> {
      assertThat(v.getPhase()).isEqualTo(VariantPhase.Checking);
      assertThat(v.getImage()).isNull();
    });
    assertThat(pe.getStatus().getVariantsReady()).isEqualTo("0/1");
    assertThat(k8s.jobs()).isEmpty();
    k8s.restartOperator();
    assertThat(k8s.jobs()).isEmpty();
    assertThat(k8s.events(NS)).noneMatch(e -> List.of("BuildStarted", "BuildFailed").contains(e.getReason()));
    return k8s.get(NS, NAME);
  }
}
