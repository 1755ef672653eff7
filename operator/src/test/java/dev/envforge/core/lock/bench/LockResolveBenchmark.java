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
import java.util.Optional;

/**
 * Times resolving the largest lock of each format, run by hand:
 * {@code java -cp target/classes:target/test-classes:$(deps) dev.envforge.core.lock.bench.LockResolveBenchmark}.
 * "cold" resolves a lock never seen before (a comment is added to its text each round, so it is parsed again),
 * "warm" the same lock again (the parsed lock is reused); both after JIT warm-up. Prints the median and the 90th
 * percentile in milliseconds.
 */
public final class LockResolveBenchmark {
  private LockResolveBenchmark() {}

  public static void main(String[] args) {
    Target target = Target.DEFAULT;
    run("uv-huggingface-lerobot main", new UvResolver(), "uv-huggingface-lerobot", "uv.lock", Selection.MAIN,
        target);
    run("uv-huggingface-lerobot groot", new UvResolver(), "uv-huggingface-lerobot", "uv.lock",
        new Selection(List.of(), List.of("groot")), target);
    run("uv-modelcontextprotocol-python-sdk-1 dev", new UvResolver(), "uv-modelcontextprotocol-python-sdk-1",
        "uv.lock", new Selection(List.of("dev"), List.of()), target);
    run("pylock-0b01001001-spectree", new PylockResolver(), "pylock-0b01001001-spectree", "pylock.toml",
        Selection.MAIN, target);
    run("conda-pangeo (1126 records)", new CondaResolver(), "conda-pangeo-data-pangeo-docker-images",
        "conda-lock.yml", Selection.MAIN, target);
    run("requirements-astral-sh dev", new RequirementsResolver("requirements.dev.txt"),
        "requirements-astral-sh-python-build-standalone", "requirements.dev.txt", Selection.MAIN, target);
  }

  private static void run(String label, LockResolver resolver, String caseName, String lockFile,
      Selection selection, Target target) {
    ProjectFiles files = ProjectFiles.of(ExpectedAnswers.caseFolder(caseName));
    int coldRounds = 20;
    int warmRounds = 300;
    for (int i = 0; i < 10; i++) {
      resolver.resolve(changed(files, lockFile, -i - 1), selection, target); // JIT warm-up of the parse path
    }
    double[] cold = new double[coldRounds];
    for (int i = 0; i < coldRounds; i++) {
      ProjectFiles unseen = changed(files, lockFile, i);
      long start = System.nanoTime();
      resolver.resolve(unseen, selection, target);
      cold[i] = (System.nanoTime() - start) / 1e6;
    }
    for (int i = 0; i < warmRounds; i++) {
      resolver.resolve(files, selection, target);
    }
    double[] warm = new double[warmRounds];
    for (int i = 0; i < warmRounds; i++) {
      long start = System.nanoTime();
      resolver.resolve(files, selection, target);
      warm[i] = (System.nanoTime() - start) / 1e6;
    }
    System.out.printf("%-45s cold median %8.1f ms p90 %8.1f | warm median %6.2f ms p90 %6.2f%n", label,
        percentile(cold, 50), percentile(cold, 90), percentile(warm, 50), percentile(warm, 90));
  }

  /** The same files, with a comment line added to the lock so that its text is one no cache has seen. */
  private static ProjectFiles changed(ProjectFiles files, String lockFile, int round) {
    String lock = files.read(lockFile).orElseThrow() + "\n# round " + round + "\n";
    return new ProjectFiles() {
      @Override
      public Optional<String> read(String relativePath) {
        return relativePath.equals(lockFile) ? Optional.of(lock) : files.read(relativePath);
      }

      @Override
      public String displayName(String relativePath) {
        return files.displayName(relativePath);
      }
    };
  }

  private static double percentile(double[] values, int p) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }
}
