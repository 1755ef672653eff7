package dev.envforge.operator;

import dev.envforge.api.v1alpha1.Reason;
import dev.envforge.core.recipe.Builder;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a build's state, and a failure's reason, from its Job and Pods. Pure. */
public final class BuildFailureAnalyzer {
  private static final Pattern DIGEST = Pattern.compile("(sha256:[0-9a-f]{64})");
  private static final Pattern URL_CREDENTIALS = Pattern.compile("(?i)([a-z][a-z0-9+.-]*://)[^/\\s:@]+:[^/\\s@]+@");
  /** Kaniko's last words when the push failed ("error pushing image: failed to push to destination ..."). */
  private static final Pattern PUSH_ERROR = Pattern.compile("(?i)error pushing image|failed to push to destination");
  /** A registry's refusal in that line: an OCI error code or an HTTP status. */
  private static final Pattern REFUSAL = Pattern.compile(
      "(?i)\\b(unauthorized|denied|forbidden|401|403)\\b");
  /** Kaniko's words when a RUN instruction (the installer) exited non-zero. */
  private static final Pattern RUN_FAILED = Pattern.compile("(?i)failed to execute command");
  private static final Set<String> IMAGE_PULL_FAILURES = Set.of("ErrImagePull", "ImagePullBackOff",
      "InvalidImageName", "ErrImageNeverPull", "RegistryUnavailable");
  static final int MESSAGE_LINES = 12;
  static final int MESSAGE_CHARS = 1500;
  /** Reason of the Job controller's event when it cannot create the Job's Pod. */
  static final String FAILED_CREATE = "FailedCreate";
  /** Failures of a build that never started and never will: its Job is removed at once. */
  static final Set<Reason> NEVER_STARTS = Set.of(Reason.BUILDER_IMAGE_PULL_FAILED, Reason.POD_SECURITY_REJECTED);
  /** The exit code of {@code envforge assemble} for a plan it cannot assemble. */
  static final int ASSEMBLE_EXIT_NOT_ASSEMBLABLE = 4;
  /** Kaniko runs as root and unpacks images with the default capabilities: the baseline level allows that. */
  static final String KANIKO_NEEDS = "Kaniko runs as root, so the build namespace needs the Pod Security level"
      + " baseline (label pod-security.kubernetes.io/enforce=baseline), or builds in a namespace that has it";
  /** The assemble Pod's security context meets the restricted level: something else of the Pod was refused. */
  static final String ASSEMBLER_MEETS = "the assembler runs as a non-root user without capabilities, which the"
      + " restricted level allows, so check what spec.builder adds to the Pod (env, runtimeClassName, pod labels)"
      + " against the namespace's policy";
  private static final Pattern POD_SECURITY = Pattern.compile("(?i)violates PodSecurity");
  private static final Pattern QUOTA = Pattern.compile("(?i)exceeded quota|must specify limits|must specify requests");
  private static final Pattern SERVICE_ACCOUNT = Pattern.compile("(?i)service ?account[^:]*:? .*not found");

  private BuildFailureAnalyzer() {}

  /** Whether the Job may have failed to create its Pod: it is not finished and has no Pod. */
  static boolean mayHaveCreationFailures(Job job, List<Pod> pods) {
    return pods.isEmpty() && condition(job, "Complete") == null;
  }

  public static BuildOutcome analyze(Job job, List<Pod> pods) {
    return analyze(job, pods, List.of());
  }

  /**
   * The build's state from its Job, its Pods and the Job's FailedCreate events (why the Job controller could not
   * create a Pod: Pod Security, a ResourceQuota, a missing ServiceAccount).
   */
  public static BuildOutcome analyze(Job job, List<Pod> pods, List<Event> creationFailures) {
    BuildOutcome cannotStart = whyItCannotStart(job, pods, creationFailures);
    if (cannotStart != null && cannotStart.state() == BuildOutcome.State.FAILED
        && condition(job, "Complete") == null) {
      return cannotStart;
    }
    BuildOutcome outcome = analyzeRunning(job, pods);
    // an unscheduled Pod counts as active in the Job: only a finished build outweighs why it cannot start
    if (cannotStart != null && !outcome.finished()) {
      return cannotStart;
    }
    if (cannotStart != null && Reason.DEADLINE_EXCEEDED.equals(outcome.reason())) {
      // it never started: the deadline is not what to change
      return BuildOutcome.failed(cannotStart.reason(), "the build never started before its deadline of "
          + job.getSpec().getActiveDeadlineSeconds() + "s: " + cannotStart.message());
    }
    return outcome;
  }

  /** Why the build Pod does not exist or is not scheduled, or null when nothing says so. */
  private static BuildOutcome whyItCannotStart(Job job, List<Pod> pods, List<Event> creationFailures) {
    if (pods.isEmpty() && !creationFailures.isEmpty()) {
      Event newest = creationFailures.stream()
          .max(Comparator.comparing(BuildFailureAnalyzer::eventTime, Comparator.nullsFirst(Comparator.naturalOrder())))
          .orElseThrow();
      String message = redact(nullToEmpty(newest.getMessage())).strip();
      if (POD_SECURITY.matcher(message).find()) {
        return BuildOutcome.failed(Reason.POD_SECURITY_REJECTED, "the namespace's Pod Security admission rejects"
            + " the build Pod; " + (assembles(job) ? ASSEMBLER_MEETS : KANIKO_NEEDS) + ": " + message);
      }
      if (QUOTA.matcher(message).find()) {
        return BuildOutcome.pending(Reason.QUOTA_EXCEEDED, "a ResourceQuota forbids the build Pod; the Job retries"
            + " when quota frees up, or lower spec.builder.resources: " + message);
      }
      if (SERVICE_ACCOUNT.matcher(message).find()) {
        return BuildOutcome.pending(Reason.SERVICE_ACCOUNT_NOT_FOUND, "the build Pod's ServiceAccount does not"
            + " exist; create it or change spec.builder.serviceAccountName: " + message);
      }
      return BuildOutcome.pending(Reason.BUILD_CANNOT_START, "the build Pod cannot be created: " + message);
    }
    for (Pod pod : pods) {
      if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
        continue;
      }
      for (PodCondition c : pod.getStatus().getConditions()) {
        if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())
            && "Unschedulable".equals(c.getReason())) {
          return BuildOutcome.pending(Reason.UNSCHEDULABLE, "no node can take the build Pod; check"
              + " spec.builder.nodeSelector, tolerations, affinity and resources, and spec.platform: "
              + redact(nullToEmpty(c.getMessage())).strip());
        }
      }
    }
    return null;
  }

  private static String eventTime(Event e) {
    if (e.getLastTimestamp() != null) {
      return e.getLastTimestamp();
    }
    return e.getEventTime() != null ? e.getEventTime().getTime() : e.getMetadata().getCreationTimestamp();
  }

  private static BuildOutcome analyzeRunning(Job job, List<Pod> pods) {
    List<Pod> newestFirst = pods.stream()
        .sorted(Comparator.comparing((Pod p) -> p.getMetadata().getCreationTimestamp(),
            Comparator.nullsFirst(Comparator.naturalOrder())).reversed())
        .toList();
    JobCondition complete = condition(job, "Complete");
    if (complete != null) {
      String digest = newestFirst.stream().map(BuildFailureAnalyzer::terminated)
          .filter(t -> t != null && t.getExitCode() != null && t.getExitCode() == 0)
          .map(t -> digest(t.getMessage())).filter(d -> d != null).findFirst().orElse(null);
      return BuildOutcome.succeeded(digest);
    }
    JobCondition failed = condition(job, "Failed");
    if (failed != null) {
      if ("DeadlineExceeded".equals(failed.getReason())) {
        return BuildOutcome.failed(Reason.DEADLINE_EXCEEDED, "the build ran longer than its deadline of "
            + job.getSpec().getActiveDeadlineSeconds() + "s; raise spec.builder.activeDeadlineSeconds or give the"
            + " build more resources");
      }
      for (Pod pod : newestFirst) {
        BuildOutcome fromPod = assembles(job) ? assembleFailureOf(pod) : failureOf(pod);
        if (fromPod != null) {
          return fromPod;
        }
      }
      return BuildOutcome.failed(Reason.BUILD_FAILED, "the build Job failed: "
          + redact(nullToEmpty(failed.getReason()) + " " + nullToEmpty(failed.getMessage())).trim());
    }
    for (Pod pod : newestFirst) {
      ContainerStatus status = buildContainer(pod);
      ContainerStateWaiting waiting = status == null || status.getState() == null ? null
          : status.getState().getWaiting();
      if (waiting != null && IMAGE_PULL_FAILURES.contains(waiting.getReason())) {
        return BuildOutcome.failed(Reason.BUILDER_IMAGE_PULL_FAILED, "the builder image "
            + status.getImage() + " cannot be pulled (" + waiting.getReason() + "): "
            + redact(nullToEmpty(waiting.getMessage())));
      }
    }
    boolean running = newestFirst.stream().anyMatch(p -> "Running".equals(p.getStatus() == null ? null
        : p.getStatus().getPhase()));
    if (running || (job.getStatus() != null && job.getStatus().getActive() != null
        && job.getStatus().getActive() > 0)) {
      return BuildOutcome.running("build " + job.getMetadata().getName() + " is running");
    }
    return BuildOutcome.pending("build " + job.getMetadata().getName() + " is waiting to start");
  }

  /** Whether the Job runs {@code envforge assemble} rather than Kaniko. */
  static boolean assembles(Job job) {
    return job.getMetadata().getLabels() != null
        && Builder.ASSEMBLE.id().equals(job.getMetadata().getLabels().get(Labels.BUILDER));
  }

  /**
   * An assemble build's failure: exit code {@value #ASSEMBLE_EXIT_NOT_ASSEMBLABLE} says the plan cannot be
   * assembled (the base image turned out older or other than the plan assumed); the rest is read as for any build.
   */
  private static BuildOutcome assembleFailureOf(Pod pod) {
    ContainerStateTerminated t = terminated(pod);
    if (t == null || t.getExitCode() == null || t.getExitCode() == 0) {
      return null;
    }
    if ("OOMKilled".equals(t.getReason())) {
      return BuildOutcome.failed(Reason.OOM_KILLED, "the assembler ran out of memory (OOMKilled); raise"
          + " spec.builder.resources.limits.memory");
    }
    String message = nullToEmpty(t.getMessage());
    if (t.getExitCode() == ASSEMBLE_EXIT_NOT_ASSEMBLABLE) {
      return BuildOutcome.failed(Reason.NOT_ASSEMBLABLE, "the assembler cannot build this plan on its base image;"
          + " set spec.builder.mode to kaniko for this environment" + (message.isBlank() ? "" : ": " + tail(message)));
    }
    return BuildOutcome.failed(Reason.BUILD_FAILED, "the assembler failed (exit code " + t.getExitCode() + ")"
        + (message.isBlank() ? "" : ": " + tail(message)));
  }

  private static BuildOutcome failureOf(Pod pod) {
    ContainerStateTerminated t = terminated(pod);
    if (t == null || t.getExitCode() == null || t.getExitCode() == 0) {
      return null;
    }
    String message = nullToEmpty(t.getMessage());
    if ("OOMKilled".equals(t.getReason())) {
      return BuildOutcome.failed(Reason.OOM_KILLED, "the build ran out of memory (OOMKilled); raise"
          + " spec.builder.resources.limits.memory");
    }
    // the termination message is the end of the build log: the installer's output comes before Kaniko's final
    // error line, so only that line says what failed (a log can mention "push" or "403" anywhere)
    String pushError = lastLineMatching(message, PUSH_ERROR);
    if (pushError != null) {
      if (REFUSAL.matcher(pushError).find()) {
        return BuildOutcome.failed(Reason.PUSH_DENIED, "the registry refused the push; check that"
            + " spec.image.pushSecretRef grants push to the repository: " + tail(message));
      }
      return BuildOutcome.failed(Reason.BUILD_FAILED, "pushing the image failed (exit code " + t.getExitCode()
          + "): " + tail(message));
    }
    if (lastLineMatching(message, RUN_FAILED) != null) {
      return BuildOutcome.failed(Reason.INSTALL_FAILED, "installing the packages failed (exit code "
          + t.getExitCode() + "): " + tail(message));
    }
    return BuildOutcome.failed(Reason.BUILD_FAILED, "the build failed (exit code " + t.getExitCode() + ")"
        + (message.isBlank() ? "" : ": " + tail(message)));
  }

  private static String lastLineMatching(String text, Pattern pattern) {
    String found = null;
    for (String line : text.split("\\R")) {
      if (pattern.matcher(line).find()) {
        found = line;
      }
    }
    return found;
  }

  private static JobCondition condition(Job job, String type) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) {
      return null;
    }
    return job.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus())).findFirst().orElse(null);
  }

  private static ContainerStatus buildContainer(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return null;
    }
    return pod.getStatus().getContainerStatuses().stream().findFirst().orElse(null);
  }

  private static ContainerStateTerminated terminated(Pod pod) {
    ContainerStatus status = buildContainer(pod);
    return status == null || status.getState() == null ? null : status.getState().getTerminated();
  }

  static String digest(String terminationMessage) {
    if (terminationMessage == null) {
      return null;
    }
    Matcher m = DIGEST.matcher(terminationMessage);
    return m.find() ? m.group(1) : null;
  }

  /** The last lines of a termination message, credentials in URLs removed. */
  static String tail(String message) {
    String[] lines = redact(message).strip().split("\\R");
    StringBuilder sb = new StringBuilder();
    for (int i = Math.max(0, lines.length - MESSAGE_LINES); i < lines.length; i++) {
      if (sb.length() > 0) {
        sb.append('\n');
      }
      sb.append(lines[i]);
    }
    String text = sb.toString();
    return text.length() > MESSAGE_CHARS ? "..." + text.substring(text.length() - MESSAGE_CHARS) : text;
  }

  static String redact(String text) {
    return URL_CREDENTIALS.matcher(text).replaceAll("$1***@");
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
