package dev.envforge.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.api.v1alpha1.BuilderSpec;
import dev.envforge.api.v1alpha1.EnvforgeApi.Conditions;
import dev.envforge.api.v1alpha1.Reason;
import dev.envforge.api.v1alpha1.PythonEnvironment;
import dev.envforge.api.v1alpha1.PythonEnvironmentStatus;
import dev.envforge.api.v1alpha1.VariantPhase;
import dev.envforge.api.v1alpha1.VariantStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A build Job that fails, in each way the operator tells apart: the status says why (reason, and the last lines of
 * the log), a BuildFailed Warning event is recorded, and the build is not retried until the spec changes or a new
 * rebuild token asks for it.
 */
class BuildFailureTest {
  static final String NS = "team-a";
  static final String NAME = "env";
  static final String LOCK = """
      certifi==2026.7.22 \\
          --hash=sha256:62f22742b58a1a33014a2b6b706588a8d7e2a88ae7bd1a6ebe8c992928483775
      """;

  /** The end of a Kaniko log whose pip step hit a changed file; longer than the part the status keeps. */
  static final String PIP_HASH_MISMATCH_LOG = """
      INFO[0000] Retrieving image manifest docker.io/library/python:3.12-slim-bookworm
      INFO[0001] Retrieving image docker.io/library/python:3.12-slim-bookworm from registry index.docker.io
      INFO[0003] Built cross stage deps: map[]
      INFO[0003] Executing 0 build triggers
      INFO[0003] Building stage 'docker.io/library/python:3.12-slim-bookworm' [idx: '0', base-idx: '-1']
      INFO[0003] Unpacking rootfs as cmd COPY requirements.txt requirements-direct.txt packages.txt /usr/share/envforge/ requires it.
      INFO[0009] COPY requirements.txt requirements-direct.txt packages.txt /usr/share/envforge/
      INFO[0009] Taking snapshot of files...
      INFO[0009] RUN ["/bin/sh", "-c", "set -eu; python3 -m venv /opt/venv; ..."]
      INFO[0009] Initializing snapshotter ...
      INFO[0009] Taking snapshot of full filesystem...
      INFO[0011] Cmd: /bin/sh
      INFO[0011] Running: [/bin/sh -c set -eu; python3 -m venv /opt/venv; ...]
      Collecting certifi==2026.7.22 (from -r /usr/share/envforge/requirements.txt (line 3))
        Downloading certifi-2026.7.22-py3-none-any.whl (161 kB)
      ERROR: THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE. If you have updated the package \
      versions, please update the hashes. Otherwise, examine the package contents carefully; someone may have \
      tampered with them.
          certifi==2026.7.22 from https://files.pythonhosted.org/packages/certifi-2026.7.22-py3-none-any.whl:
              Expected sha256 62f22742b58a1a33014a2b6b706588a8d7e2a88ae7bd1a6ebe8c992928483775
                   Got        9e1f1a1f4e2b7c0c1d2e3f405162738495a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0

      error building image: error building stage: failed to execute command: waiting for process to exit: exit status 1
      """;

  /**
   * The end of a Kaniko log whose push was refused: the install step ran (its log mentions pip, 403 appears in a
   * hash), then the registry said no.
   */
  static final String KANIKO_PUSH_DENIED_LOG = """
      INFO[0011] Running: [/bin/sh -c set -eu; python3 -m venv /opt/venv; ... /opt/venv/bin/pip install ...]
      Collecting certifi==2026.7.22 (from -r /usr/share/envforge/requirements.txt (line 3))
      Installing collected packages: certifi
      Successfully installed certifi-2026.7.22
      INFO[0020] Taking snapshot of full filesystem...
      INFO[0021] USER 65532:65532
      INFO[0021] Pushing image to registry.example.com/team/env:ef-403ab
      error pushing image: failed to push to destination registry.example.com/team/env:ef-403ab: POST \
      https://registry.example.com/v2/team/env/blobs/uploads/: UNAUTHORIZED: authentication required; \
      [map[Action:pull Class: Name:team/env Type:repository] map[Action:push Class: Name:team/env Type:repository]]
      """;

  /** One way a build fails: what the kubelet and the Job controller report, and what the status must say. */
  record Failure(String reason, BiConsumer<OperatorHarness, Job> kubelet, List<String> messageParts,
      List<String> notInMessage) {
    @Override
    public String toString() {
      return reason;
    }
  }

  static Stream<Failure> failures() {
    return Stream.of(
        new Failure(Reason.OOM_KILLED.wire(), (k8s, job) -> {
          k8s.podFinished(job, 137, "OOMKilled", "");
          k8s.finishJob(job, false, "BackoffLimitExceeded");
        }, List.of("out of memory", "spec.builder.resources.limits.memory"), List.of()),
        new Failure(Reason.DEADLINE_EXCEEDED.wire(), (k8s, job) -> k8s.finishJob(job, false, "DeadlineExceeded"),
            List.of("deadline of 3600s", "spec.builder.activeDeadlineSeconds"), List.of()),
        new Failure(Reason.BUILDER_IMAGE_PULL_FAILED.wire(), (k8s, job) -> {
          k8s.markJobRunning(job);
          k8s.podWaiting(job, "ImagePullBackOff",
              "Back-off pulling image \"" + BuilderDefaults.DEFAULT_IMAGE + "\"");
        }, List.of("ImagePullBackOff", BuilderDefaults.DEFAULT_IMAGE), List.of()),
        new Failure(Reason.PUSH_DENIED.wire(), (k8s, job) -> {
          k8s.podFinished(job, 1, "Error", KANIKO_PUSH_DENIED_LOG);
          k8s.finishJob(job, false, "BackoffLimitExceeded");
        }, List.of("spec.image.pushSecretRef", "UNAUTHORIZED: authentication required"), List.of()),
        new Failure(Reason.INSTALL_FAILED.wire(), (k8s, job) -> {
          k8s.podFinished(job, 1, "Error", PIP_HASH_MISMATCH_LOG);
          k8s.finishJob(job, false, "BackoffLimitExceeded");
        }, List.of("THESE PACKAGES DO NOT MATCH THE HASHES",
            "Expected sha256 62f22742b58a1a33014a2b6b706588a8d7e2a88ae7bd1a6ebe8c992928483775",
            "Got        9e1f1a1f4e2b7c0c1d2e3f405162738495a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0",
            "exit status 1"),
            // only the last lines: the start of the log is left out
            List.of("Retrieving image manifest")));
  }

  @RegisterExtension
  static final OperatorExtension OPERATOR = OperatorExtension.withImageRegistry(RenderedObjectsGoldenTest.NOTHING_EXISTS);

  OperatorHarness k8s;

  @ParameterizedTest(name = "{0}")
  @MethodSource("failures")
  void failureIsReportedWithItsReasonAndNotRetried(Failure failure) {
    Job job = startBuild();

    failure.kubelet().accept(k8s, job);

    PythonEnvironment failed = k8s.awaitCondition(NS, NAME, Conditions.FAILED, "True", failure.reason());
    assertThat(failed.getStatus().condition(Conditions.READY)).get().satisfies(ready -> {
      assertThat(ready.getStatus()).isEqualTo("False");
      assertThat(ready.getReason()).isEqualTo(failure.reason());
    });
    assertThat(failed.getStatus().condition(Conditions.BUILDING)).get()
        .satisfies(c -> assertThat(c.getStatus()).isEqualTo("False"));
    VariantStatus variant = failed.getStatus().getVariants().get(0);
    assertThat(variant.getPhase()).isEqualTo(VariantPhase.Failed);
    assertThat(variant.getReason()).isEqualTo(failure.reason());
    assertThat(variant.getJobName()).isEqualTo(job.getMetadata().getName());
    assertThat(variant.getMessage()).contains(failure.messageParts());
    failure.notInMessage().forEach(part -> assertThat(variant.getMessage()).doesNotContain(part));
    assertThat(failed.getStatus().condition(Conditions.FAILED).get().getMessage()).contains(failure.messageParts());
    k8s.awaitOrDescribe("a BuildFailed event", () -> buildFailedEvents().size() == 1);
    assertThat(buildFailedEvents()).singleElement().satisfies(e -> {
      assertThat(e.getType()).isEqualTo("Warning");
      assertThat(e.getMessage()).contains(failure.reason());
      assertThat(e.getInvolvedObject().getUid()).isEqualTo(failed.getMetadata().getUid());
    });

    // no retry storm: reconciles that change nothing leave the failure as it is
    k8s.reconcileWithoutChange(NS, NAME);
    if (failure.reason().equals(Reason.BUILDER_IMAGE_PULL_FAILED.wire())) {
      // a build stuck on its builder image is stopped at once rather than left to its deadline
      k8s.awaitOrDescribe("the stuck build Job deleted", () -> k8s.jobs().isEmpty());
      k8s.reconcileWithoutChange(NS, NAME);
      assertThat(k8s.jobs()).isEmpty();
    } else {
      assertThat(k8s.jobs()).singleElement()
          .satisfies(j -> assertThat(j.getMetadata().getUid()).isEqualTo(job.getMetadata().getUid()));
    }
    assertThat(k8s.get(NS, NAME).getStatus()).isEqualTo(failed.getStatus());
    assertThat(buildFailedEvents()).hasSize(1);
  }

  @Test
  void failedBuildWhoseJobExpiredIsNotRetried() {
    Job job = startBuild();
    k8s.podFinished(job, 1, "Error", PIP_HASH_MISMATCH_LOG);
    k8s.finishJob(job, false, "BackoffLimitExceeded");
    PythonEnvironment failed = k8s.awaitCondition(NS, NAME, Conditions.FAILED, "True", Reason.INSTALL_FAILED.wire());

    // what the TTL controller does after ttlSecondsAfterFinished
    k8s.changeAndAwaitReconcile(NS, NAME, () -> k8s.client.resource(job).delete());
    k8s.reconcileWithoutChange(NS, NAME);

    assertThat(k8s.jobs()).isEmpty();
    assertThat(k8s.get(NS, NAME).getStatus().getVariants()).isEqualTo(failed.getStatus().getVariants());
    assertThat(k8s.get(NS, NAME).getStatus().condition(Conditions.FAILED).get().getReason())
        .isEqualTo(Reason.INSTALL_FAILED.wire());
  }

  @Test
  void specChangeStartsOneNewBuild() {
    Job first = failedBuild();

    k8s.edit(NS, NAME, pe -> {
      BuilderSpec builder = new BuilderSpec();
      builder.setActiveDeadlineSeconds(7200L);
      pe.getSpec().setBuilder(builder);
      return pe;
    });

    Job second = awaitReplacement(first);
    assertThat(second.getSpec().getActiveDeadlineSeconds()).isEqualTo(7200L);
    PythonEnvironment building = k8s.awaitCondition(NS, NAME, Conditions.BUILDING, "True", null);
    assertThat(building.getStatus().condition(Conditions.FAILED).get().getStatus()).isEqualTo("False");
    k8s.reconcileWithoutChange(NS, NAME);
    assertThat(k8s.jobs()).singleElement()
        .satisfies(j -> assertThat(j.getMetadata().getUid()).isEqualTo(second.getMetadata().getUid()));
    assertThat(buildFailedEvents()).hasSize(1);
  }

  @Test
  void newRebuildTokenStartsOneNewBuild() {
    Job first = failedBuild();

    k8s.edit(NS, NAME, pe -> {
      pe.getSpec().setRebuildToken("retry-1");
      return pe;
    });

    Job second = awaitReplacement(first);
    assertThat(second.getMetadata().getAnnotations()).containsEntry(Labels.REBUILD_TOKEN_ANNOTATION, "retry-1");
    k8s.awaitCondition(NS, NAME, Conditions.BUILDING, "True", null);
    k8s.reconcileWithoutChange(NS, NAME);
    assertThat(k8s.jobs()).singleElement()
        .satisfies(j -> assertThat(j.getMetadata().getUid()).isEqualTo(second.getMetadata().getUid()));
    PythonEnvironmentStatus status = k8s.get(NS, NAME).getStatus();
    assertThat(status.getVariants().get(0).getRebuildToken()).isEqualTo("retry-1");
  }

  private Job startBuild() {
    k8s.apply(OperatorHarness.environment(NS, NAME, null, LOCK, "registry.example.com/team/env"));
    Job job = k8s.awaitJob();
    k8s.awaitCondition(NS, NAME, Conditions.BUILDING, "True", null);
    return job;
  }

  private Job failedBuild() {
    Job job = startBuild();
    k8s.podFinished(job, 1, "Error", PIP_HASH_MISMATCH_LOG);
    k8s.finishJob(job, false, "BackoffLimitExceeded");
    k8s.awaitCondition(NS, NAME, Conditions.FAILED, "True", Reason.INSTALL_FAILED.wire());
    return job;
  }

  /** Waits for a Job that is not {@code old} (same name: the image is the same) and checks it is the only one. */
  private Job awaitReplacement(Job old) {
    k8s.awaitOrDescribe("a new build Job", () -> k8s.jobs().stream()
        .anyMatch(j -> !j.getMetadata().getUid().equals(old.getMetadata().getUid())));
    assertThat(k8s.jobs()).hasSize(1);
    Job replacement = k8s.jobs().get(0);
    assertThat(replacement.getMetadata().getName()).isEqualTo(old.getMetadata().getName());
    return replacement;
  }

  private List<Event> buildFailedEvents() {
    return k8s.events(NS).stream().filter(e -> "BuildFailed".equals(e.getReason())).toList();
  }
}
