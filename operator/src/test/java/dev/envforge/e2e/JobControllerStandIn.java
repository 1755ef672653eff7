package dev.envforge.e2e;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * What the Job controller and the kubelet write to the API for a build Job's Pod, as the job executors of the tests
 * ({@link KanikoJobExecutor}, {@link AssembleJobExecutor}) report the builds they run in their place. A Job deleted
 * while its Pod runs is not an error: in a cluster its Pods go with it.
 */
final class JobControllerStandIn {
  private final KubernetesClient client;

  JobControllerStandIn(KubernetesClient client) {
    this.client = client;
  }

  /** The Job's Pod, labelled and owned as the Job controller makes it, in {@code phase} with its container in {@code state}. */
  Pod createPod(Job job, String name, ContainerState state, String phase) {
    Pod pod = new PodBuilder()
        .withNewMetadata()
          .withName(name)
          .withNamespace(job.getMetadata().getNamespace())
          .withLabels(job.getSpec().getTemplate().getMetadata() == null ? null
              : job.getSpec().getTemplate().getMetadata().getLabels())
          .addToLabels("job-name", job.getMetadata().getName())
          .addToLabels("batch.kubernetes.io/job-name", job.getMetadata().getName())
          .addToLabels("controller-uid", job.getMetadata().getUid())
          .addToLabels("batch.kubernetes.io/controller-uid", job.getMetadata().getUid())
          .addNewOwnerReference().withApiVersion("batch/v1").withKind("Job").withName(job.getMetadata().getName())
            .withUid(job.getMetadata().getUid()).withController(true).withBlockOwnerDeletion(true)
          .endOwnerReference()
          .withCreationTimestamp(now())
        .endMetadata()
        .withSpec(job.getSpec().getTemplate().getSpec())
        .withNewStatus().withPhase(phase).withStartTime(now())
          .withContainerStatuses(new ContainerStatusBuilder()
              .withName(job.getSpec().getTemplate().getSpec().getContainers().get(0).getName())
              .withImage(job.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
              .withReady(phase.equals("Running")).withRestartCount(0).withState(state).build())
        .endStatus()
        .build();
    return client.pods().inNamespace(job.getMetadata().getNamespace()).resource(pod).create();
  }

  /**
   * The kubelet's report of the ended container, then (after the last attempt) the Job controller's verdict.
   *
   * @param attempt the number of this Pod among the Job's Pods, from 1
   * @param last whether the Job ends with this Pod
   */
  void endPod(Job job, Pod pod, int exitCode, String message, int attempt, boolean last) {
    String namespace = job.getMetadata().getNamespace();
    String ended = now();
    ContainerState terminated = new ContainerStateBuilder().withNewTerminated()
        .withExitCode(exitCode).withReason(exitCode == 0 ? "Completed" : "Error").withMessage(message)
        .withStartedAt(pod.getStatus().getStartTime()).withFinishedAt(ended)
        .endTerminated().build();
    try {
      client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).editStatus(p -> {
        p.getStatus().setPhase(exitCode == 0 ? "Succeeded" : "Failed");
        p.getStatus().getContainerStatuses().get(0).setState(terminated);
        p.getStatus().getContainerStatuses().get(0).setReady(false);
        return p;
      });
      if (last && exitCode == 0) {
        client.batch().v1().jobs().inNamespace(namespace).withName(job.getMetadata().getName()).editStatus(j -> {
          JobStatus before = j.getStatus() == null ? new JobStatus() : j.getStatus();
          j.setStatus(new JobStatusBuilder(before).withActive(0).withSucceeded(1).withFailed(attempt - 1)
              .withStartTime(before.getStartTime() == null ? pod.getStatus().getStartTime() : before.getStartTime())
              .withCompletionTime(ended)
              .withConditions(new JobConditionBuilder().withType("Complete").withStatus("True")
                  .withLastProbeTime(ended).withLastTransitionTime(ended).build())
              .build());
          return j;
        });
      } else if (last) {
        failJob(job, "BackoffLimitExceeded", "Job has reached the specified backoff limit", attempt);
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  /** The Job controller's verdict on a Job that will not succeed. */
  void failJob(Job job, String reason, String message, int failedPods) {
    String ended = now();
    try {
      client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).withName(job.getMetadata().getName())
          .editStatus(j -> {
            JobStatus before = j.getStatus() == null ? new JobStatus() : j.getStatus();
            j.setStatus(new JobStatusBuilder(before).withActive(0).withFailed(failedPods)
                .withStartTime(before.getStartTime() == null ? ended : before.getStartTime())
                .withConditions(new JobConditionBuilder().withType("Failed").withStatus("True").withReason(reason)
                    .withMessage(message).withLastProbeTime(ended).withLastTransitionTime(ended).build())
                .build());
            return j;
          });
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  /** The Job controller's mark of a Job whose Pod runs. */
  void markActive(Job job) {
    try {
      client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).withName(job.getMetadata().getName())
          .editStatus(j -> {
            j.setStatus(new JobStatusBuilder().withStartTime(now()).withActive(1).build());
            return j;
          });
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  /** Whether the Job has its final condition. */
  static boolean finished(JobStatus status) {
    return status != null && status.getConditions() != null && status.getConditions().stream()
        .anyMatch(c -> ("Complete".equals(c.getType()) || "Failed".equals(c.getType()))
            && "True".equals(c.getStatus()));
  }

  static ContainerState running() {
    return new ContainerStateBuilder().withNewRunning().withStartedAt(now()).endRunning().build();
  }

  /** As the API server writes times: RFC 3339 in whole seconds. */
  static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
