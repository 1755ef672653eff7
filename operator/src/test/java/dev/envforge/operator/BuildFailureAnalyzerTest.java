package dev.envforge.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.api.v1alpha1.Reason;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the end of a build log is read when the tests with a mock API server do not cover the case. */
class BuildFailureAnalyzerTest {
  static final Job FAILED = new JobBuilder().withNewMetadata().withName("envforge-build-1").endMetadata()
      .withNewSpec().withActiveDeadlineSeconds(3600L).endSpec()
      .withNewStatus().addNewCondition().withType("Failed").withStatus("True").withReason("BackoffLimitExceeded")
      .endCondition().endStatus().build();

  static Pod exited(int code, String message) {
    return new PodBuilder().withNewMetadata().withName("p").withCreationTimestamp("2030-01-01T00:00:00Z")
        .endMetadata().withNewStatus().addNewContainerStatus().withName("build")
        .withState(new ContainerStateBuilder().withNewTerminated().withExitCode(code).withReason("Error")
            .withMessage(message).endTerminated().build())
        .endContainerStatus().endStatus().build();
  }

  @Test
  void pushThatFailsForAnotherReasonIsNotPushDenied() {
    BuildOutcome outcome = BuildFailureAnalyzer.analyze(FAILED, List.of(exited(1,
        "error pushing image: failed to push to destination r.example/app:ef-1: PUT https://r.example/v2/app/"
            + "manifests/ef-1: unexpected status code 500 Internal Server Error")));

    assertThat(outcome.reason()).isEqualTo(Reason.BUILD_FAILED);
    assertThat(outcome.message()).startsWith("pushing the image failed").contains("500 Internal Server Error");
  }

  @Test
  void installErrorWhoseLogMentionsPushAndForbiddenIsAnInstallError() {
    BuildOutcome outcome = BuildFailureAnalyzer.analyze(FAILED, List.of(exited(1, """
        INFO[0001] Pushing layers to cache now (cache repository refused: 403 Forbidden, continuing)
        ERROR: No matching distribution found for torch==9.9.9
        error building image: error building stage: failed to execute command: waiting for process to exit: \
        exit status 1""")));

    assertThat(outcome.reason()).isEqualTo(Reason.INSTALL_FAILED);
    assertThat(outcome.message()).contains("No matching distribution found for torch==9.9.9");
  }

  @Test
  void failureBeforeTheInstallStepIsABuildFailure() {
    BuildOutcome outcome = BuildFailureAnalyzer.analyze(FAILED, List.of(exited(1,
        "error building image: unable to complete operation after 0 attempts, last error: GET"
            + " https://index.docker.io/v2/library/python/manifests/3.12-slim-bookworm: TOOMANYREQUESTS")));

    assertThat(outcome.reason()).isEqualTo(Reason.BUILD_FAILED);
    assertThat(outcome.message()).contains("TOOMANYREQUESTS");
  }

  @Test
  void credentialsInUrlsAreRemovedFromTheMessage() {
    BuildOutcome outcome = BuildFailureAnalyzer.analyze(FAILED, List.of(exited(1,
        "Looking in indexes: https://user:s3cr3t@pypi.example/simple\n"
            + "error building image: error building stage: failed to execute command: exit status 1")));

    assertThat(outcome.message()).contains("https://***@pypi.example/simple").doesNotContain("s3cr3t");
  }
}
