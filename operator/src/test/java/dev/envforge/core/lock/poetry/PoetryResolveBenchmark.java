package dev.envforge.core.lock.poetry;

import dev.envforge.core.lock.ProjectFiles;
import dev.envforge.core.lock.support.ExpectedAnswers;
import dev.envforge.core.plan.Selection;
import dev.envforge.core.plan.Target;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Times the Poetry resolver on the largest corpus locks, run by hand:
 * {@code mvn -B -q -pl operator test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.envforge.core.lock.poetry.PoetryResolveBenchmark}.
 *
 * <p>After JIT warm-up it prints, per case, the median and 90th percentile of: reading the lock's TOML; building the
 * lock model (PEP 440/508 parsing and checks); a cold resolve (a fresh resolver: both files parsed, checked and
 * walked); a warm resolve (a kept resolver, whose content cache holds the parsed files: the walk and the plan).
 * Wall-clock and this thread's CPU time are both shown, since the reference machine's 2 cores are often shared.
 */
public final class PoetryResolveBenchmark {
  private static final int WARMUP = 40;
  private static final int ROUNDS = 60;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private PoetryResolveBenchmark() {}

  public static void main(String[] args) throws IOException {
    run("poetry-All-Hands-AI-OpenHands", new Selection(List.of(), List.of()));
    run("poetry-All-Hands-AI-OpenHands", new Selection(List.of("evaluation"), List.of()));
    run("poetry-pixeltable-pixeltable", new Selection(List.of("dev"), List.of()));
    run("poetry-huggingface-lerobot", new Selection(List.of(), List.of("stretch")));
  }

  private static void run(String caseName, Selection selection) throws IOException {
    ProjectFiles files = inMemory(ExpectedAnswers.caseFolder(caseName));
    String lockText = files.read("poetry.lock").orElseThrow();
    PoetryResolver kept = new PoetryResolver();
    String label = caseName + " " + String.join("+", selection.groups()) + String.join("+", selection.extras());
    System.out.println(label + " (" + kept.resolve(files, selection, Target.DEFAULT).packages().size()
        + " packages)");
    time("  toml", () -> TomlDoc.parse(lockText, "poetry.lock"));
    time("  toml + lock model", () -> PoetryLock.read(TomlDoc.parse(lockText, "poetry.lock"), new PepCache()));
    time("  cold resolve", () -> new PoetryResolver().resolve(files, selection, Target.DEFAULT));
    time("  warm resolve", () -> kept.resolve(files, selection, Target.DEFAULT));
  }

  private static void time(String label, Supplier<Object> work) {
    double[] wall = new double[ROUNDS];
    double[] cpu = new double[ROUNDS];
    for (int i = 0; i < WARMUP + ROUNDS; i++) {
      long cpuStart = THREADS.getCurrentThreadCpuTime();
      long start = System.nanoTime();
      work.get();
      if (i >= WARMUP) {
        wall[i - WARMUP] = (System.nanoTime() - start) / 1e6;
        cpu[i - WARMUP] = (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e6;
      }
    }
    Arrays.sort(wall);
    Arrays.sort(cpu);
    System.out.printf("%-22s wall median %7.2f ms p90 %7.2f | cpu median %7.2f ms p90 %7.2f%n", label,
        wall[ROUNDS / 2], wall[ROUNDS * 9 / 10], cpu[ROUNDS / 2], cpu[ROUNDS * 9 / 10]);
  }

  private static ProjectFiles inMemory(Path dir) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        files.put(dir.relativize(p).toString(), Files.readString(p));
      }
    }
    return ProjectFiles.of(files, dir + "/");
  }
}
