package dev.envforge.operator;

import dev.envforge.api.v1alpha1.EnvforgeApi.Reasons;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
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

  private BuildFailureAnalyzer() {}

  public static BuildOutcome analyze(Job job, List<Pod> pods) {
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
        return BuildOutcome.failed(Reasons.DEADLINE_EXCEEDED, "the build ran longer than its deadline of "
            + job.getSpec().getActiveDeadlineSeconds() + "s; raise spec.builder.activeDeadlineSeconds or give the"
            + " build more resources");
      }
      for (Pod pod : newestFirst) {
        BuildOutcome fromPod = failureOf(pod);
        if (fromPod != null) {
          return fromPod;
        }
      }
      return BuildOutcome.failed(Reasons.BUILD_FAILED, "the build Job failed: "
          + redact(nullToEmpty(failed.getReason()) + " " + nullToEmpty(failed.getMessage())).trim());
    }
    for (Pod pod : newestFirst) {
      ContainerStatus status = buildContainer(pod);
      ContainerStateWaiting waiting = status == null || status.getState() == null ? null
          : status.getState().getWaiting();
      if (waiting != null && IMAGE_PULL_FAILURES.contains(waiting.getReason())) {
        return BuildOutcome.failed(Reasons.BUILDER_IMAGE_PULL_FAILED, "the builder image "
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

  private static BuildOutcome failureOf(Pod pod) {
    ContainerStateTerminated t = terminated(pod);
    if (t == null || t.getExitCode() == null || t.getExitCode() == 0) {
      return null;
    }
    String message = nullToEmpty(t.getMessage());
    if ("OOMKilled".equals(t.getReason())) {
      return BuildOutcome.failed(Reasons.OOM_KILLED, "the build ran out of memory (OOMKilled); raise"
          + " spec.builder.resources.limits.memory");
    }
    // the termination message is the end of the build log: the installer's output comes before Kaniko's final
    // error line, so only that line says what failed (a log can mention "push" or "403" anywhere)
    String pushError = lastLineMatching(message, PUSH_ERROR);
    if (pushError != null) {
      if (REFUSAL.matcher(pushError).find()) {
        return BuildOutcome.failed(Reasons.PUSH_DENIED, "the registry refused the push; check that"
            + " spec.image.pushSecretRef grants push to the repository: " + tail(message));
      }
      return BuildOutcome.failed(Reasons.BUILD_FAILED, "pushing the image failed (exit code " + t.getExitCode()
          + "): " + tail(message));
    }
    if (lastLineMatching(message, RUN_FAILED) != null) {
      return BuildOutcome.failed(Reasons.INSTALL_FAILED, "installing the packages failed (exit code "
          + t.getExitCode() + "): " + tail(message));
    }
    return BuildOutcome.failed(Reasons.BUILD_FAILED, "the build failed (exit code " + t.getExitCode() + ")"
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
