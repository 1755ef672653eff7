package dev.envforge.bench;

import dev.envforge.core.lock.ProjectFiles;
import dev.envforge.core.plan.Selection;
import dev.envforge.core.planner.EnvironmentPlanner;
import dev.envforge.core.planner.PlanningRequest;
import dev.envforge.core.planner.VariantPlan;
import dev.envforge.core.planner.VariantRequest;
import dev.envforge.testing.Corpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Resolve + hash of the largest corpus locks, in process, warm: the files are read once, then parsed, resolved and
 * hashed on every iteration (the planner keeps no cache). Prints the median and the 90th percentile.
 *
 * <p>Run: {@code mvn -B -q -pl operator test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.envforge.bench.ResolveBenchmark}
 */
public final class ResolveBenchmark {
  private static final int WARMUP = 30;
  private static final int ITERATIONS = 100;

  private ResolveBenchmark() {}

  public static void main(String[] args) throws IOException {
    for (String name : List.of("poetry-All-Hands-AI-OpenHands", "uv-huggingface-lerobot",
        "uv-All-Hands-AI-OpenHands", "poetry-python-poetry-poetry")) {
      ProjectFiles files = inMemory(Corpus.dir(name));
      double[] millis = new double[ITERATIONS];
      VariantPlan plan = null;
      for (int i = 0; i < WARMUP + ITERATIONS; i++) {
        long start = System.nanoTime();
        plan = EnvironmentPlanner.plan(files, PlanningRequest.DEFAULTS,
            new VariantRequest("default", Selection.MAIN));
        long took = System.nanoTime() - start;
        if (i >= WARMUP) {
          millis[i - WARMUP] = took / 1e6;
        }
      }
      Arrays.sort(millis);
      System.out.printf("%-32s %4d packages  median %6.1f ms  p90 %6.1f ms  (%d runs after %d warm-up)%n", name,
          plan.plan().packages().size(), millis[ITERATIONS / 2], millis[ITERATIONS * 9 / 10], ITERATIONS, WARMUP);
    }
  }

  /** The project's text files in memory, so the benchmark measures parsing and resolving, not disk reads. */
  static ProjectFiles inMemory(Path dir) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        files.put(dir.relativize(p).toString(), Files.readString(p));
      }
    }
    return ProjectFiles.of(files, dir + "/");
  }
}
