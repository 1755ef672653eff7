package dev.envforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * On machines and Pods with one or two CPUs, a {@code CompletableFuture} stage without an executor starts a thread of
 * its own (the JDK's HttpClient adds such a stage to every asynchronous request). The command line's {@code main}
 * keeps those stages on the common pool. Checked in fresh JVMs with a given number of CPUs, since the choice is made
 * once per JVM.
 */
class AsyncStagesOnThePoolTest {
  /** Prints the executor that stages without one run on, after (or without) the command line's set-up. */
  public static final class Probe {
    public static void main(String[] args) {
      if (args[0].equals("main")) {
        Main.keepAsyncStagesOnThePool();
      }
      System.out.print(new CompletableFuture<Void>().defaultExecutor().getClass().getSimpleName());
    }
  }

  @ParameterizedTest(name = "{0} CPUs, set-up {1}, {2}")
  @CsvSource({
      "1, main, , ForkJoinPool",
      "2, main, , ForkJoinPool",
      "1, none, , ThreadPerTaskExecutor", // what the JDK does without the set-up: the test can fail
      "2, none, , ThreadPerTaskExecutor",
      "1, main, 1, ThreadPerTaskExecutor", // a parallelism the user chose is kept
      "4, main, , ForkJoinPool",
  })
  void stagesWithoutAnExecutorRunOnTheCommonPool(int cpus, String setUp, String userParallelism, String expected)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:ActiveProcessorCount=" + cpus,
        "-Xshare:auto", "-cp", System.getProperty("java.class.path")));
    if (userParallelism != null) {
      command.add("-D" + Main.COMMON_POOL_PARALLELISM + "=" + userParallelism);
    }
    command.addAll(List.of(Probe.class.getName(), setUp));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(output).isEqualTo(expected);
  }
}
