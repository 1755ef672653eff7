package dev.envforge.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.envforge.api.v1alpha1.PythonEnvironment;
import dev.envforge.api.v1alpha1.PythonEnvironmentStatus;
import dev.envforge.api.v1alpha1.VariantPhase;
import dev.envforge.api.v1alpha1.VariantStatus;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Status is written whole: a copy of the resource that is older than the stored one can neither make the write fail
 * nor leave fields of the stored status behind, and a conflict is retried against the newest version.
 */
class StatusWriterTest {
  static final String NS = "team-a";
  static final String NAME = "env";
  static final String STATUS_PATH = "/apis/envforge.dev/v1alpha1/namespaces/" + NS + "/pythonenvironments/" + NAME
      + "/status";

  @RegisterExtension
  static final OperatorExtension OPERATOR = OperatorExtension.apiServerOnly();

  OperatorHarness k8s;

  @Test
  void staleCopyReplacesTheWholeStatusWithoutLeftovers() {
    PythonEnvironment stale = k8s.apply(OperatorHarness.environment(NS, NAME, null, "x", "registry.example/a"));
    // meanwhile the stored status gained variants and fields the stale copy knows nothing of
    storeStatus(status(variant("default", VariantPhase.Failed, "2030-01-01T00:05:00Z"),
        variant("gpu", VariantPhase.Building, null)));

    PythonEnvironmentStatus wanted = status(variant("default", VariantPhase.Cached, null));
    PythonEnvironment stored = new StatusWriter(k8s.operatorClient).replaceStatus(stale, wanted, null);

    assertThat(stored.getStatus()).isEqualTo(wanted);
    assertThat(k8s.get(NS, NAME).getStatus()).as("no field of the older status is left").isEqualTo(wanted);
  }

  @Test
  void conflictIsRetriedAgainstTheNewestVersion() {
    PythonEnvironment resource = k8s.apply(OperatorHarness.environment(NS, NAME, null, "x", "registry.example/a"));
    k8s.server.expect().put().withPath(STATUS_PATH).andReturn(409, new StatusBuilder().withCode(409)
        .withReason("Conflict").withMessage("the object has been modified").build()).times(StatusWriter.ATTEMPTS - 1);

    PythonEnvironmentStatus wanted = status(variant("default", VariantPhase.Cached, null));
    new StatusWriter(k8s.operatorClient).replaceStatus(resource, wanted, null);

    assertThat(k8s.get(NS, NAME).getStatus()).isEqualTo(wanted);
  }

  @Test
  void conflictsBeyondTheAttemptsAndServerErrorsAreThrownForTheReconcileRetry() {
    PythonEnvironment resource = k8s.apply(OperatorHarness.environment(NS, NAME, null, "x", "registry.example/a"));
    k8s.server.expect().put().withPath(STATUS_PATH).andReturn(409, new StatusBuilder().withCode(409).build())
        .times(StatusWriter.ATTEMPTS);
    PythonEnvironmentStatus wanted = status(variant("default", VariantPhase.Cached, null));

    assertThatThrownBy(() -> new StatusWriter(k8s.operatorClient).replaceStatus(resource, wanted, null))
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));

    k8s.server.expect().put().withPath(STATUS_PATH).andReturn(500, new StatusBuilder().withCode(500).build())
        .times(ApiClientSettings.RETRIES + 1);
    assertThatThrownBy(() -> new StatusWriter(k8s.operatorClient).replaceStatus(resource, wanted, null))
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(500));
  }

  @Test
  void deletedResourceIsNoError() {
    PythonEnvironment resource = k8s.apply(OperatorHarness.environment(NS, NAME, null, "x", "registry.example/a"));
    k8s.client.resource(resource).delete();

    assertThat(new StatusWriter(k8s.operatorClient).replaceStatus(resource, status(), null)).isNull();
  }

  private void storeStatus(PythonEnvironmentStatus status) {
    PythonEnvironment current = k8s.get(NS, NAME);
    current.setStatus(status);
    k8s.client.resource(current).updateStatus();
  }

  static PythonEnvironmentStatus status(VariantStatus... variants) {
    PythonEnvironmentStatus status = new PythonEnvironmentStatus();
    status.setObservedGeneration(1L);
    status.setVariants(new ArrayList<>(List.of(variants)));
    status.setVariantsReady("0/" + variants.length);
    return status;
  }

  static VariantStatus variant(String name, VariantPhase phase, String completionTime) {
    VariantStatus v = new VariantStatus(name);
    v.setPhase(phase);
    v.setMessage(phase + " message");
    v.setCompletionTime(completionTime);
    return v;
  }
}
