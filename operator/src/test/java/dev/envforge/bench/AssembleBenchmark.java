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
 *   <li>{@code registry N}: {@code envforge assemble} of N small wheels to a local docker-registry: cold, warm (every
 *       layer in the cache repository, no local files), and with one package changed; times and bytes uploaded.</li>
 *   <li>{@code registry-large MB}: one wheel of MB megabytes assembled and pushed from empty caches; run it with
 *       {@code -Xmx256m} and {@code /usr/bin/time -v}.</li>
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
        case "registry" -> AssembleBenchmarkSupport.registry(dir, Integer.parseInt(args[1]));
        case "registry-large" -> AssembleBenchmarkSupport.registryLarge(dir, Long.parseLong(args[1]));
        default -> throw new IllegalArgumentException("large MB | warm N | registry N | registry-large MB");
      }
    } finally {
      try (var walk = Files.walk(dir)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
