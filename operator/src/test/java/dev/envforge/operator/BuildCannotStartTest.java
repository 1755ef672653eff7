package dev.envforge.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.api.v1alpha1.Reason;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A build that cannot start says why, from the Job controller's FailedCreate events and the Pod's Unschedulable
 * condition, with the API server's and the scheduler's own messages as they read in a real cluster.
 */
class BuildCannotStartTest {
  static final Job WAITING = new JobBuilder().withNewMetadata().withName("envforge-build-1").withUid("job-uid")
      .endMetadata().withNewSpec().withActiveDeadlineSeconds(3600L).endSpec().withNewStatus().endStatus().build();
  static final Job DEADLINE = new JobBuilder(WAITING).withNewStatus().addNewCondition().withType("Failed")
      .withStatus("True").withReason("DeadlineExceeded").endCondition().endStatus().build();

  static final String POD_SECURITY = "Error creating: pods \"envforge-build-1-x7k2p\" is forbidden: violates"
      + " PodSecurity \"restricted:latest\": allowPrivilegeEscalation != false (container \"build\" must set"
      + " securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container \"build\" must set"
      + " securityContext.capabilities.drop=[\"ALL\"]), runAsNonRoot != true (pod or container \"build\" must set"
      + " securityContext.runAsNonRoot=true), seccompProfile (pod or container \"build\" must set"
      + " securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")";
  static final String QUOTA = "Error creating: pods \"envforge-build-1-x7k2p\" is forbidden: exceeded quota:"
      + " compute, requested: limits.memory=8Gi, used: limits.memory=0, limited: limits.memory=4Gi";
  static final String QUOTA_NEEDS_LIMITS = "Error creating: pods \"envforge-build-1-x7k2p\" is forbidden: failed"
      + " quota: compute: must specify limits.cpu for: build";
  static final String NO_SERVICE_ACCOUNT = "Error creating: pods \"envforge-build-1-\" is forbidden: error looking"
      + " up service account team/builder: serviceaccount \"builder\" not found";
  static final String WEBHOOK = "Error creating: Internal error occurred: failed calling webhook"
      + " \"policy.example.com\": context deadline exceeded";
  static final String UNSCHEDULABLE = "0/3 nodes are available: 3 node(s) didn't match Pod's node"
      + " affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.";

  static Event failedCreate(String message, String time) {
    return new EventBuilder().withNewMetadata().withName("envforge-build-1." + time.hashCode()).endMetadata()
        .withNewInvolvedObject().withKind("Job").withName("envforge-build-1").withUid("job-uid").endInvolvedObject()
        .withType("Warning").withReason("FailedCreate").withMessage(message).withLastTimestamp(time).build();
  }

  static Pod unschedulable() {
    return new PodBuilder().withNewMetadata().withName("envforge-build-1-x7k2p").endMetadata().withNewStatus()
        .withPhase("Pending").addNewCondition().withType("PodScheduled").withStatus("False")
        .withReason("Unschedulable").withMessage(UNSCHEDULABLE).endCondition().endStatus().build();
  }

  @Test
  void podSecurityRejectionFailsAtOnceAndSaysWhatKanikoNeeds() {
    BuildOutcome outcome = BuildFailureAnalyzer.analyze(WAITING, List.of(),
        List.of(failedCreate(POD_SECURITY, "2030-01-01T00:00:05Z")));
    assertThat(outcome.state()).isEqualTo(BuildOutcome.State.FAILED);
    assertThat(outcome.reason()).isEqualTo(Reason.POD_SECURITY_REJECTED);
    assertThat(outcome.message()).contains("baseline", "runs as root", "restricted:latest")
        .doesNotContain("activeDeadlineSeconds");
    assertThat(BuildFailureAnalyzer.NEVER_STARTS).contains(Reason.POD_SECURITY_REJECTED);
  }

  @Test
  void eachKindOfCreationFailureHasItsReason() {
    assertThat(reasonOf(QUOTA)).isEqualTo(Reason.QUOTA_EXCEEDED);
    assertThat(reasonOf(QUOTA_NEEDS_LIMITS)).isEqualTo(Reason.QUOTA_EXCEEDED);
    assertThat(reasonOf(NO_SERVICE_ACCOUNT)).isEqualTo(Reason.SERVICE_ACCOUNT_NOT_FOUND);
    assertThat(reasonOf(WEBHOOK)).isEqualTo(Reason.BUILD_CANNOT_START);
    BuildOutcome quota = BuildFailureAnalyzer.analyze(WAITING, List.of(), List.of(failedCreate(QUOTA, "t1")));
    assertThat(quota.state()).as("quota may free up: the build waits").isEqualTo(BuildOutcome.State.PENDING);
    assertThat(quota.message()).contains("limited: limits.memory=4Gi");
  }

  @Test
  void theNewestEventCounts() {
    BuildOutcome outcome = BuildFailureAnalyzer.analyze(WAITING, List.of(), List.of(
        failedCreate(NO_SERVICE_ACCOUNT, "2030-01-01T00:00:05Z"), failedCreate(QUOTA, "2030-01-01T00:01:05Z")));
    assertThat(outcome.reason()).isEqualTo(Reason.QUOTA_EXCEEDED);
  }

  @Test
  void anUnschedulablePodSaysWhyEvenWhileTheJobCountsItActive() {
    Job active = new JobBuilder(WAITING).withNewStatus().withActive(1).endStatus().build();
    BuildOutcome outcome = BuildFailureAnalyzer.analyze(active, List.of(unschedulable()), List.of());
    assertThat(outcome.state()).isEqualTo(BuildOutcome.State.PENDING);
    assertThat(outcome.reason()).isEqualTo(Reason.UNSCHEDULABLE);
    assertThat(outcome.message()).contains("didn't match Pod's node affinity/selector");
  }

  @Test
  void aDeadlineReachedBeforeStartingNamesTheCauseNotTheDeadline() {
    BuildOutcome neverScheduled = BuildFailureAnalyzer.analyze(DEADLINE, List.of(unschedulable()), List.of());
    assertThat(neverScheduled.state()).isEqualTo(BuildOutcome.State.FAILED);
    assertThat(neverScheduled.reason()).isEqualTo(Reason.UNSCHEDULABLE);
    assertThat(neverScheduled.message()).startsWith("the build never started before its deadline of 3600s")
        .doesNotContain("raise spec.builder.activeDeadlineSeconds");

    BuildOutcome neverCreated = BuildFailureAnalyzer.analyze(DEADLINE, List.of(), List.of(failedCreate(QUOTA,
        "t")));
    assertThat(neverCreated.reason()).isEqualTo(Reason.QUOTA_EXCEEDED);
  }

  @Test
  void withoutEventsAWaitingBuildIsJustPending() {
    assertThat(BuildFailureAnalyzer.analyze(WAITING, List.of(), List.of()).reason()).isNull();
    assertThat(BuildFailureAnalyzer.mayHaveCreationFailures(WAITING, List.of())).isTrue();
    assertThat(BuildFailureAnalyzer.mayHaveCreationFailures(WAITING, List.of(unschedulable()))).isFalse();
  }

  private static Reason reasonOf(String message) {
    return BuildFailureAnalyzer.analyze(WAITING, List.of(), List.of(failedCreate(message, "t"))).reason();
  }
}
