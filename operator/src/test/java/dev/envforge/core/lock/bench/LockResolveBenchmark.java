package dev.envforge.core.lock.bench;

import dev.envforge.core.lock.LockResolver;
import dev.envforge.core.lock.ProjectFiles;
import dev.envforge.core.lock.conda.CondaResolver;
import dev.envforge.core.lock.pylock.PylockResolver;
import dev.envforge.core.lock.requirements.RequirementsResolver;
import dev.envforge.core.lock.support.ExpectedAnswers;
import dev.envforge.core.lock.uv.UvResolver;
import dev.envforge.core.plan.Selection;
import dev.envforge.core.plan.Target;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Times resolving the largest lock of each format, run by hand:
 * {@code java -cp target/classes:target/test-classes:$(deps) dev.envforge.core.lock.bench.LockResolveBenchmark}.
 * "cold" is a fresh resolver (the lock is parsed), "warm" a kept one (the parsed lock is reused); both after JIT
 * warm-up. Prints the median and the 90th percentile in milliseconds.
 */
public final class LockResolveBenchmark {
  private LockResolveBenchmark() {}

  public static void main(String[] args) {
    Target target = Target.DEFAULT;
    run("uv-huggingface-lerobot main", UvResolver::new, "uv-huggingface-lerobot", Selection.MAIN, target);
    run("uv-huggingface-lerobot groot", UvResolver::new, "uv-huggingface-lerobot",
        new Selection(List.of(), List.of("groot")), target);
    run("uv-modelcontextprotocol-python-sdk-1 dev", UvResolver::new, "uv-modelcontextprotocol-python-sdk-1",
        new Selection(List.of("dev"), List.of()), target);
    run("pylock-0b01001001-spectree", PylockResolver::new, "pylock-0b01001001-spectree", Selection.MAIN, target);
    run("conda-pangeo (1126 records)", CondaResolver::new, "conda-pangeo-data-pangeo-docker-images",
        Selection.MAIN, target);
    run("requirements-astral-sh dev", () -> new RequirementsResolver("requirements.dev.txt"),
        "requirements-astral-sh-python-build-standalone", Selection.MAIN, target);
  }

  private static void run(String label, Supplier<LockResolver> resolvers, String caseName, Selection selection,
      Target target) {
    ProjectFiles files = ProjectFiles.of(ExpectedAnswers.caseFolder(caseName));
    int coldRounds = 12;
    int warmRounds = 300;
    for (int i = 0; i < 5; i++) {
      resolvers.get().resolve(files, selection, target); // JIT warm-up of the parse path
    }
    double[] cold = new double[coldRounds];
    for (int i = 0; i < coldRounds; i++) {
      long start = System.nanoTime();
      resolvers.get().resolve(files, selection, target);
      cold[i] = (System.nanoTime() - start) / 1e6;
    }
    LockResolver kept = resolvers.get();
    for (int i = 0; i < warmRounds; i++) {
      kept.resolve(files, selection, target);
    }
    double[] warm = new double[warmRounds];
    for (int i = 0; i < warmRounds; i++) {
      long start = System.nanoTime();
      kept.resolve(files, selection, target);
      warm[i] = (System.nanoTime() - start) / 1e6;
    }
    System.out.printf("%-45s cold median %8.1f ms p90 %8.1f | warm median %6.2f ms p90 %6.2f%n", label,
        percentile(cold, 50), percentile(cold, 90), percentile(warm, 50), percentile(warm, 90));
  }

  private static double percentile(double[] values, int p) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }
}
