package dev.envforge.bench;

import dev.envforge.core.lock.LockFormat;
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
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Resolve + hash of the largest corpus locks through the planner, in one warm JVM.
 *
 * <ul>
 *   <li>cold: the lock text is new to the resolver on every round (a comment with a counter is appended, which
 *       changes nothing else), so the parse is measured;</li>
 *   <li>cached: the same text again, as when many resources share a lock; the parsed lock is reused.</li>
 * </ul>
 * Both after JIT warm-up; the median and the 90th percentile in milliseconds.
 *
 * <p>Run: {@code mvn -B -q -pl operator exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.envforge.bench.ResolveBenchmark}
 */
public final class ResolveBenchmark {
  private static final int WARMUP = 30;
  private static final int COLD = 60;
  private static final int CACHED = 200;

  private ResolveBenchmark() {}

  record Case(String dir, String lockFile, LockFormat format) {}

  public static void main(String[] args) throws IOException {
    Case[] cases = {
        new Case("poetry-All-Hands-AI-OpenHands", "poetry.lock", LockFormat.POETRY),
        new Case("poetry-python-poetry-poetry", "poetry.lock", LockFormat.POETRY),
        new Case("uv-huggingface-lerobot", "uv.lock", LockFormat.UV),
        new Case("uv-All-Hands-AI-OpenHands", "uv.lock", LockFormat.UV),
        new Case("pylock-0b01001001-spectree", "pylock.toml", LockFormat.PYLOCK),
        new Case("conda-pangeo-data-pangeo-docker-images", "conda-lock.yml", LockFormat.CONDA),
    };
    System.out.println("| case | lock size | packages installed | cold median | cold p90 | cached median |");
    System.out.println("|---|---|---|---|---|---|");
    for (Case c : cases) {
      Map<String, String> files = read(Corpus.dir(c.dir()));
      String lock = files.get(c.lockFile());
      PlanningRequest request = new PlanningRequest(c.format(), PlanningRequest.DEFAULTS.target(), null,
          PlanningRequest.DEFAULTS.installer());
      VariantPlan plan = null;
      for (int i = 0; i < WARMUP; i++) {
        plan = plan(files, c.lockFile(), lock + "\n# warm-up " + i + "\n", request);
      }
      double[] cold = new double[COLD];
      for (int i = 0; i < COLD; i++) {
        String unseen = lock + "\n# round " + i + "\n";
        long start = System.nanoTime();
        plan(files, c.lockFile(), unseen, request);
        cold[i] = (System.nanoTime() - start) / 1e6;
      }
      double[] cached = new double[CACHED];
      for (int i = 0; i < CACHED; i++) {
        long start = System.nanoTime();
        plan(files, c.lockFile(), lock, request);
        cached[i] = (System.nanoTime() - start) / 1e6;
      }
      Arrays.sort(cold);
      Arrays.sort(cached);
      System.out.printf("| %s | %d KiB | %d | %.1f ms | %.1f ms | %.2f ms |%n", c.dir(), lock.length() / 1024,
          plan.plan().packages().size(), cold[COLD / 2], cold[COLD * 9 / 10], cached[CACHED / 2]);
    }
  }

  private static VariantPlan plan(Map<String, String> files, String lockFile, String lockText,
      PlanningRequest request) {
    Map<String, String> copy = new TreeMap<>(files);
    copy.put(lockFile, lockText);
    return EnvironmentPlanner.plan(ProjectFiles.of(copy, ""), request,
        new VariantRequest("default", Selection.MAIN));
  }

  private static Map<String, String> read(Path dir) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        files.put(dir.relativize(p).toString(), Files.readString(p));
      }
    }
    return files;
  }
}
