package dev.envforge.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An API server that does not answer cannot hold the operator's calls: each fails within its time limit. */
class ApiClientSettingsTest {
  private static final Logger LOG = LoggerFactory.getLogger(ApiClientSettingsTest.class);
  static final Duration CONNECT = Duration.ofSeconds(1);
  static final Duration REQUEST = Duration.ofSeconds(1);

  KubernetesMockServer server;

  @BeforeEach
  void start() {
    server = new KubernetesMockServer(false);
    server.init();
  }

  @AfterEach
  void stop() {
    server.destroy();
  }

  @Test
  void hungApiServerFailsTheCallWithinItsTimeLimit() {
    // answers after a minute: as good as never, for a reconcile thread
    server.expect().put().delay(60, TimeUnit.SECONDS).withPath("/api/v1/namespaces/team-a/configmaps/stuck")
        .andReturn(200, new ConfigMapBuilder().withNewMetadata().withName("stuck").endMetadata().build())
        .always();
    Config config = ApiClientSettings.apply(new ConfigBuilder(Config.empty())
        .withMasterUrl(server.url("/")).build(), CONNECT, REQUEST);

    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      long started = System.nanoTime();
      assertThatThrownBy(() -> client.configMaps().inNamespace("team-a").resource(new ConfigMapBuilder()
          .withNewMetadata().withName("stuck").withNamespace("team-a").withResourceVersion("1").endMetadata()
          .build()).update()).isInstanceOf(KubernetesClientException.class);
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      LOG.info("a call to a hung API server failed after {} ms (limit {} ms)", took.toMillis(),
          ApiClientSettings.longestCall(CONNECT, REQUEST).toMillis());
      // generous: the bound is what matters, not the speed
      assertThat(took).isLessThan(ApiClientSettings.longestCall(CONNECT, REQUEST).plusSeconds(10));
    }
  }

  @Test
  void productionLimitsAreFiniteAndSmall() {
    Config config = ApiClientSettings.apply(Config.empty());

    assertThat(config.getRequestTimeout()).isEqualTo(10_000);
    assertThat(config.getConnectionTimeout()).isEqualTo(5_000);
    assertThat(config.getRequestRetryBackoffLimit()).isEqualTo(ApiClientSettings.RETRIES);
    assertThat(ApiClientSettings.longestCall()).isLessThanOrEqualTo(Duration.ofSeconds(31));
  }
}
