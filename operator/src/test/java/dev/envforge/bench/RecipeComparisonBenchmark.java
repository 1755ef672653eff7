package dev.envforge.bench;

import dev.envforge.core.assemble.RecipeComparison;
import dev.envforge.e2e.AssembleJobExecutor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/**
 * A one-package change in an environment with a large wheel, {@code envforge assemble} against the Kaniko recipe's
 * Dockerfile built by buildah (docs/benchmarks.md; see {@link RecipeComparison}).
 *
 * <p>Arguments: {@code LARGE_MB SMALL ROUNDS}. Run from {@code operator/} after {@code mvn -pl operator package},
 * as root (buildah), with a heap that holds the largest layer: the counting proxy keeps a request body in memory.
 */
public final class RecipeComparisonBenchmark {
  private RecipeComparisonBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      throw new IllegalArgumentException("LARGE_MB SMALL ROUNDS");
    }
    Path jar = AssembleJobExecutor.defaultJar();
    RecipeComparison.unavailableReason(jar).ifPresent(reason -> {
      throw new IllegalStateException(reason);
    });
    Path dir = Files.createTempDirectory("recipe-comparison");
    try {
      RecipeComparison.run(dir, jar, Long.parseLong(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]));
    } finally {
      try (var walk = Files.walk(dir)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
