package dev.envforge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** buildah's summary lines become Kaniko's last line; the kubelet keeps the end of the log. */
class KanikoLogTest {
  /** The end of buildah 1.28's output for a RUN instruction that exits with 3. */
  static final List<String> FAILED_RUN = List.of(
      "STEP 3/3: RUN [\"/bin/sh\", \"-c\", \"pip install ...\"]",
      "ERROR: THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE.",
      "    tampered==1.0 from http://127.0.0.1:1/files/tampered-1.0-py3-none-any.whl:",
      "subprocess exited with status 3",
      "subprocess exited with status 3",
      "Error: building at STEP \"RUN /bin/sh -c pip install ...\": exit status 3");

  @Test
  void aFailedRunEndsWithKanikosFailedToExecuteCommandLine() {
    List<String> log = KanikoLog.ofFailure(result("build", FAILED_RUN), "r/app:t");

    assertThat(log).containsExactly(
        "STEP 3/3: RUN [\"/bin/sh\", \"-c\", \"pip install ...\"]",
        "ERROR: THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE.",
        "    tampered==1.0 from http://127.0.0.1:1/files/tampered-1.0-py3-none-any.whl:",
        "error building image: error building stage: failed to execute command: waiting for process to exit:"
            + " exit status 3");
  }

  @Test
  void aFailedPushEndsWithKanikosPushLine() {
    List<String> log = KanikoLog.ofFailure(result("push", List.of("Getting image source signatures",
        "Error: pushing image \"r/app:t\" to \"docker://r/app:t\": writing blob: unauthorized: authentication"
            + " required")), "r/app:t");

    assertThat(log).last().isEqualTo("error pushing image: failed to push to destination r/app:t: pushing image"
        + " \"r/app:t\" to \"docker://r/app:t\": writing blob: unauthorized: authentication required");
  }

  @Test
  void otherBuildFailuresKeepBuildahsCause() {
    List<String> log = KanikoLog.ofFailure(result("build", List.of("STEP 1/3: FROM r/base:1",
        "Error: creating build container: initializing source docker://r/base:1: manifest unknown")), "r/app:t");

    assertThat(log).last().isEqualTo("error building image: creating build container: initializing source"
        + " docker://r/base:1: manifest unknown");
  }

  @Test
  void theTerminationMessageIsTheLast80LinesAndAtMost2048Bytes() {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      lines.add("line " + i);
    }
    assertThat(KanikoLog.terminationMessage(lines).lines().toList())
        .hasSize(80).startsWith("line 20").endsWith("line 99");

    List<String> wide = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      wide.add(i + " " + "x".repeat(100));
    }
    String message = KanikoLog.terminationMessage(wide);
    assertThat(message.getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(2048);
    assertThat(message).endsWith("49 " + "x".repeat(100) + "\n");
  }

  private static BuildahBuilder.BuildResult result(String failedStep, List<String> log) {
    return new BuildahBuilder.BuildResult(false, Optional.of(failedStep), Optional.empty(), log, log, List.of(),
        Duration.ZERO, Duration.ZERO);
  }
}
