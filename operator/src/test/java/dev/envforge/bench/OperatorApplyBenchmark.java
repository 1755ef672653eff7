package dev.envforge.bench;

import dev.envforge.api.v1alpha1.PythonEnvironment;
import dev.envforge.core.assemble.OperatorAssembleWorld;
import dev.envforge.e2e.AssembleJobExecutor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Apply to Ready through the operator in builder mode assemble (docs/benchmarks.md): the operator on a mock API
 * server, its build Jobs run by {@link AssembleJobExecutor} as {@code java -jar envforge.jar assemble ...} processes
 * against a docker-registry on loopback.
 *
 * <p>{@code warm N RUNS}: one resource with N small packages is applied and built from empty caches (cold); then
 * RUNS times a new resource with the same plan in a new namespace and repository, so its image is missing but every
 * layer is in the shared cache repository. Prints apply to Ready per run, with the build process's own time.
 * Run from {@code operator/} after {@code mvn -pl operator package} (it runs {@code target/envforge.jar}). With
 * {@code -Denvforge.e2e.extraJavaToolOptions=...} the build processes get these JVM options besides the image's.
 */
public final class OperatorApplyBenchmark {
  private OperatorApplyBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3 || !args[0].equals("warm")) {
      throw new IllegalArgumentException("warm N RUNS");
    }
    int packages = Integer.parseInt(args[1]);
    int runs = Integer.parseInt(args[2]);
    Path dir = Files.createTempDirectory("apply-bench");
    Path jar = AssembleJobExecutor.defaultJar();
    String unavailable = OperatorAssembleWorld.unavailableReason(jar);
    if (unavailable != null) {
      throw new IllegalStateException(unavailable);
    }
    try (OperatorAssembleWorld world = OperatorAssembleWorld.start(dir, jar)) {
      String lock = world.lock("bench", world.smallWheels("pkg", packages, "1.0"));
      measure(world, "cold", lock, "cold");
      List<Double> warm = new ArrayList<>();
      for (int i = 1; i <= runs; i++) {
        warm.add(measure(world, "warm-" + i, lock, "warm " + i));
      }
      List<Double> sorted = warm.stream().sorted().toList();
      System.out.printf("warm apply to Ready, %d packages, %d runs: median %.2f s, min %.2f s, max %.2f s%n",
          packages, runs, median(sorted), sorted.get(0), sorted.get(sorted.size() - 1));
      List<Double> starts = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        starts.add(jvmStart(jar, dir));
      }
      starts.sort(null);
      System.out.printf("for reference, java -jar envforge.jar --version with the image's JAVA_TOOL_OPTIONS:"
          + " median %.2f s, min %.2f s, max %.2f s%n", median(starts), starts.get(0),
          starts.get(starts.size() - 1));
    } finally {
      try (var walk = Files.walk(dir)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static double measure(OperatorAssembleWorld world, String namespace, String lock, String what)
      throws Exception {
    int before = world.executor().executions().size();
    long start = System.nanoTime();
    world.apply(world.environment(namespace, "app", lock, "bench/" + namespace, "bench/cache"));
    PythonEnvironment ready = world.awaitReady(namespace, "app", Duration.ofMinutes(20));
    double seconds = (System.nanoTime() - start) / 1e9;
    long readyAt = System.currentTimeMillis();
    var runs = world.executor().executions();
    if (runs.size() != before + 1) {
      throw new IllegalStateException(what + ": expected one build Pod, saw " + (runs.size() - before));
    }
    AssembleJobExecutor.Execution run = runs.get(runs.size() - 1);
    String output = Files.readString(run.log()).strip();
    System.out.printf("%s: apply to Ready %.2f s; build process %.2f s (JVM start included), Job seen %.2f s"
        + " after apply, Ready %.2f s after the process ended; %s (%s); %s%n", what, seconds,
        run.processTime().toMillis() / 1e3, (run.seen().toEpochMilli() - (readyAt - (long) (seconds * 1000)))
            / 1e3, (readyAt - run.ended().toEpochMilli()) / 1e3,
        ready.getStatus().getVariants().get(0).getBuilder(), ready.getStatus().getVariants().get(0).getPhase(),
        output.lines().reduce((a, b) -> b).orElse(""));
    return seconds;
  }

  /** What starting the JVM and the command line costs, without any work. */
  private static double jvmStart(Path jar, Path dir) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", jar.toString(), "--version").redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
        + " -XX:-UsePerfData -Djava.io.tmpdir=" + dir);
    long start = System.nanoTime();
    int exit = builder.start().waitFor();
    if (exit != 0) {
      throw new IllegalStateException("envforge --version exited " + exit);
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private static double median(List<Double> sorted) {
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
