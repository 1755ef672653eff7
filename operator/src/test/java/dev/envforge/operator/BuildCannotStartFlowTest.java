package dev.envforge.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.api.v1alpha1.EnvforgeApi.Conditions;
import dev.envforge.api.v1alpha1.Reason;
import dev.envforge.api.v1alpha1.PythonEnvironment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import org.junit.jupiter.api.Test;

/**
 * Through the operator: the Job controller's FailedCreate event reaches the status as a reason; a Pod Security
 * rejection fails the build and removes its Job, a ResourceQuota keeps it waiting with the quota's message.
 */
class BuildCannotStartFlowTest extends OperatorWithRegistry {
  static final String NS = "team-q";
  static final String NAME = "env";
  static final String LOCK = BuildFailureTest.LOCK;

  @Test
  void aQuotaRefusalIsShownWhileTheBuildWaits() {
    k8s.apply(OperatorHarness.environment(NS, NAME, null, LOCK, registry.hostPort() + "/quota/env"));
    Job job = k8s.awaitJob();
    k8s.awaitCondition(NS, NAME, Conditions.BUILDING, "True", Reason.BUILD_PENDING.wire());
    record(job, BuildCannotStartTest.QUOTA);
    k8s.reconcileWithoutChange(NS, NAME);

    PythonEnvironment waiting = k8s.awaitCondition(NS, NAME, Conditions.READY, "False", Reason.QUOTA_EXCEEDED.wire());
    assertThat(waiting.getStatus().condition(Conditions.READY).get().getMessage())
        .contains("limited: limits.memory=4Gi");
    assertThat(waiting.getStatus().condition(Conditions.RECONCILING).get().getStatus()).isEqualTo("True");
    assertThat(k8s.jobs()).hasSize(1);
  }

  @Test
  void aPodSecurityRejectionFailsTheBuildAndRemovesItsJob() {
    k8s.apply(OperatorHarness.environment(NS, NAME, null, LOCK, registry.hostPort() + "/psa/env"));
    Job job = k8s.awaitJob();
    k8s.awaitCondition(NS, NAME, Conditions.BUILDING, "True", Reason.BUILD_PENDING.wire());
    record(job, BuildCannotStartTest.POD_SECURITY);
    k8s.reconcileWithoutChange(NS, NAME);

    PythonEnvironment failed = k8s.awaitCondition(NS, NAME, Conditions.STALLED, "True",
        Reason.POD_SECURITY_REJECTED.wire());
    assertThat(failed.getStatus().condition(Conditions.FAILED).get().getMessage()).contains("baseline");
    k8s.awaitOrDescribe("the rejected Job is removed", () -> k8s.jobs().isEmpty());
  }

  private void record(Job job, String message) {
    k8s.client.v1().events().inNamespace(job.getMetadata().getNamespace()).resource(
        new io.fabric8.kubernetes.api.model.EventBuilder(BuildCannotStartTest.failedCreate(message,
            "2030-01-01T00:00:05Z"))
            .editMetadata().withNamespace(job.getMetadata().getNamespace()).endMetadata()
            .editInvolvedObject().withName(job.getMetadata().getName()).withUid(job.getMetadata().getUid())
            .withNamespace(job.getMetadata().getNamespace()).endInvolvedObject().build()).create();
  }
}
