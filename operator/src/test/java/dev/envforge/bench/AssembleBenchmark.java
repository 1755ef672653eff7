package dev.envforge.bench;

import dev.envforge.core.assemble.AssembleBenchmarkSupport;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Assembler figures for docs/benchmarks.md.
 *
 * <ul>
 *   <li>{@code large MB}: one wheel of MB megabytes of incompressible data, installed into a layer; prints the time.
 *       Run it with {@code -Xmx256m} and {@code /usr/bin/time -v} for the peak memory.</li>
 *   <li>{@code warm N}: N small wheels assembled into an OCI layout from an empty cache, then again with every layer
 *       present; prints both times.</li>
 * </ul>
 */
public final class AssembleBenchmark {
  private AssembleBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("assemble-bench");
    try {
      switch (args[0]) {
        case "large" -> AssembleBenchmarkSupport.large(dir, Long.parseLong(args[1]));
        case "warm" -> AssembleBenchmarkSupport.warm(dir, Integer.parseInt(args[1]));
        default -> throw new IllegalArgumentException("large MB | warm N");
      }
    } finally {
      try (var walk = Files.walk(dir)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
