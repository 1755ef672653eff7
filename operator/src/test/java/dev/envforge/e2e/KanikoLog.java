package dev.envforge.e2e;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The log a failed Kaniko build leaves, made from buildah's: the output of the instructions (the installer's lines
 * unchanged), then Kaniko's last line for the same failure instead of buildah's summary lines, and the part of it
 * the kubelet keeps as the termination message under {@code FallbackToLogsOnError}.
 *
 * <p>Kaniko's last lines (its wrapped errors, as build logs show them, for example in GoogleContainerTools/kaniko
 * issues 1733 and 1201):
 * <ul>
 *   <li>a RUN that exits non-zero: {@code error building image: error building stage: failed to execute command:
 *       waiting for process to exit: exit status N};</li>
 *   <li>a failed push: {@code error pushing image: failed to push to destination DEST: CAUSE};</li>
 *   <li>anything else in the build (a base image that cannot be pulled, a missing file): {@code error building
 *       image: CAUSE}.</li>
 * </ul>
 */
public final class KanikoLog {
  /** The kubelet keeps at most this many lines of the log... */
  public static final int TERMINATION_MESSAGE_LINES = 80;
  /** ...and at most this many bytes of them. */
  public static final int TERMINATION_MESSAGE_BYTES = 2048;

  private static final Pattern SUBPROCESS_EXIT = Pattern.compile("^subprocess exited with status \\d+$");
  private static final Pattern RUN_FAILED = Pattern.compile(
      "^Error: building at STEP \"RUN .*\": exit status (\\d+)$");
  private static final Pattern BUILDAH_ERROR = Pattern.compile("^Error: (.*)$");

  private KanikoLog() {}

  /** Kaniko's log for a build that buildah could not finish. */
  public static List<String> ofFailure(BuildahBuilder.BuildResult result, String destination) {
    List<String> lines = new ArrayList<>(result.log());
    String summary = "";
    // buildah ends with its own summary lines; Kaniko's single line stands in their place
    while (!lines.isEmpty()) {
      String last = lines.get(lines.size() - 1);
      if (SUBPROCESS_EXIT.matcher(last).matches() || last.isBlank()) {
        lines.remove(lines.size() - 1);
      } else if (summary.isEmpty() && BUILDAH_ERROR.matcher(last).matches()) {
        summary = last;
        lines.remove(lines.size() - 1);
      } else {
        break;
      }
    }
    lines.add(kanikoLastLine(result.failedStep().orElse("build"), summary, destination));
    return lines;
  }

  static String kanikoLastLine(String failedStep, String buildahSummary, String destination) {
    Matcher run = RUN_FAILED.matcher(buildahSummary);
    if (failedStep.equals("build") && run.matches()) {
      return "error building image: error building stage: failed to execute command: waiting for process to exit:"
          + " exit status " + run.group(1);
    }
    Matcher error = BUILDAH_ERROR.matcher(buildahSummary);
    String cause = error.matches() ? error.group(1) : "exit status 1";
    if (failedStep.equals("push")) {
      return "error pushing image: failed to push to destination " + destination + ": " + cause;
    }
    return "error building image: " + cause;
  }

  /**
   * What the kubelet puts in the terminated state's message when the container wrote no termination message and
   * failed: the end of the log, at most {@value #TERMINATION_MESSAGE_LINES} lines and
   * {@value #TERMINATION_MESSAGE_BYTES} bytes.
   */
  public static String terminationMessage(List<String> log) {
    List<String> tail = log.subList(Math.max(0, log.size() - TERMINATION_MESSAGE_LINES), log.size());
    byte[] bytes = (String.join("\n", tail) + "\n").getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= TERMINATION_MESSAGE_BYTES) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
    // the last bytes; a character cut in two at the start is dropped
    String text = new String(bytes, bytes.length - TERMINATION_MESSAGE_BYTES, TERMINATION_MESSAGE_BYTES,
        StandardCharsets.UTF_8);
    return text.startsWith("\uFFFD") ? text.substring(1) : text;
  }
}
