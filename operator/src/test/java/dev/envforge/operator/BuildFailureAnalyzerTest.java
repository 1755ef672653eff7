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

  /** The same failed Job, as an assemble build. */
  static final Job ASSEMBLE_FAILED = new JobBuilder(FAILED).editMetadata()
      .addToLabels(Labels.BUILDER, "assemble").endMetadata().build();

  @Test
  void anAssembleBuildIsReadAsTheAssemblerReportsIt() {
    BuildOutcome refused = BuildFailureAnalyzer.analyze(ASSEMBLE_FAILED, List.of(exited(4,
        "envforge: cannot assemble: package foo 1.0 has no wheel for glibc 2.17 (build with the Kaniko recipe"
            + " instead)")));
    assertThat(refused.reason()).isEqualTo(Reason.NOT_ASSEMBLABLE);
    assertThat(refused.message()).contains("spec.builder.mode to kaniko", "package foo 1.0");

    // Kaniko's words mean nothing in an assembler's log: any other exit is a build failure with its last lines
    BuildOutcome other = BuildFailureAnalyzer.analyze(ASSEMBLE_FAILED, List.of(exited(3,
        "failed to execute command\nenvforge: https://user:s3cr3t@r.example/v2/app/blobs/uploads/: 503")));
    assertThat(other.reason()).isEqualTo(Reason.BUILD_FAILED);
    assertThat(other.message()).startsWith("the assembler failed (exit code 3)").doesNotContain("s3cr3t");
    assertThat(BuildFailureAnalyzer.analyze(FAILED, List.of(exited(4, "failed to execute command"))).reason())
        .as("exit code 4 of Kaniko is no assembler's refusal").isEqualTo(Reason.INSTALL_FAILED);
  }

  @Test
  void podSecurityRejectingAnAssemblePodDoesNotBlameKanikosRoot() {
    Job pending = new JobBuilder().withNewMetadata().withName("envforge-build-1").addToLabels(Labels.BUILDER,
        "assemble").endMetadata().withNewSpec().withActiveDeadlineSeconds(3600L).endSpec().build();
    io.fabric8.kubernetes.api.model.Event rejected = new io.fabric8.kubernetes.api.model.EventBuilder()
        .withNewMetadata().withName("e").endMetadata().withReason(BuildFailureAnalyzer.FAILED_CREATE)
        .withMessage("Error creating: pods \"envforge-build-1-x\" is forbidden: violates PodSecurity"
            + " \"restricted:latest\": seLinuxOptions")
        .withLastTimestamp("2030-01-01T00:00:00Z").build();
    BuildOutcome outcome = BuildFailureAnalyzer.analyze(pending, List.of(), List.of(rejected));
    assertThat(outcome.reason()).isEqualTo(Reason.POD_SECURITY_REJECTED);
    assertThat(outcome.message()).contains("non-root", "spec.builder").doesNotContain("Kaniko runs as root");
  }
}
