package dev.envforge.e2e;

import dev.envforge.testing.RegistryServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures the end-to-end fixtures: the base image made cold and taken from the cache, and a 2-wheel build with each
 * buildah storage driver (first build, which also pulls the base, and a second one), push, and storage size.
 * Drivers alternate round by round, so a busy machine disturbs both alike.
 *
 * <pre>
 * mvn -o -q -pl operator test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.envforge.e2e.BuildahBuildBenchmark -Dexec.args="3"
 * </pre>
 */
public final class BuildahBuildBenchmark {
  private BuildahBuildBenchmark() {}

  public static void main(String[] args) throws IOException {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    LocalPythonBaseImage.missingPrerequisites().ifPresent(reason -> {
      throw new IllegalStateException(reason);
    });
    Path work = Files.createTempDirectory("envforge-e2e-benchmark-");
    Map<String, List<Double>> samples = new LinkedHashMap<>();

    String defaultCache = System.getProperty("envforge.e2e.cache");
    for (int i = 0; i < rounds; i++) {
      System.setProperty("envforge.e2e.cache", work.resolve("cold-cache-" + i).toString());
      LocalPythonBaseImage cold = LocalPythonBaseImage.prepare();
      sample(samples, "base image, cold (s)", seconds(cold.preparation()));
    }
    if (defaultCache == null) {
      System.clearProperty("envforge.e2e.cache");
    } else {
      System.setProperty("envforge.e2e.cache", defaultCache);
    }
    LocalPythonBaseImage.prepare();
    LocalPythonBaseImage base = LocalPythonBaseImage.prepare();
    sample(samples, "base image, cached (s)", seconds(base.preparation()));

    TestWheels wheels = TestWheels.create();
    try (RegistryServer registry = RegistryServer.start();
        LocalPackageIndex index = LocalPackageIndex.start(wheels.servedFiles())) {
      long pushStart = System.nanoTime();
      base.pushTo(registry.hostPort());
      sample(samples, "base image push (s)", (System.nanoTime() - pushStart) / 1e9);
      Path context = SmokeBuildContext.write(work.resolve("context"), base.reference(registry.hostPort()),
          index.simpleUrl().toString(), List.of(wheels.alpha(), wheels.beta()));
      for (int round = 0; round < rounds; round++) {
        for (BuildahBuilder.StorageDriver driver : BuildahBuilder.StorageDriver.values()) {
          String id = driver.id();
          try (BuildahBuilder builder = BuildahBuilder.create(work.resolve("storage-" + id + "-" + round), driver)) {
            BuildahBuilder.BuildResult first = builder.buildAndPush(context,
                registry.reference("bench/" + id, "first-" + round));
            first.requireDigest();
            BuildahBuilder.BuildResult second = builder.buildAndPush(context,
                registry.reference("bench/" + id, "second-" + round));
            second.requireDigest();
            sample(samples, id + ": 2-wheel build with base pull (s)", seconds(first.buildTime()));
            sample(samples, id + ": 2-wheel build, base present (s)", seconds(second.buildTime()));
            sample(samples, id + ": push (s)", seconds(second.pushTime()));
            sample(samples, id + ": storage after 2 builds (MB)", builder.storageBytes() / 1e6);
          }
        }
      }
    } finally {
      LocalPythonBaseImage.deleteTree(work);
    }
    System.out.printf("%-45s %8s %8s %8s  (%d rounds)%n", "measure", "median", "min", "max", rounds);
    samples.forEach((name, values) -> {
      List<Double> sorted = new ArrayList<>(values);
      sorted.sort(null);
      System.out.printf("%-45s %8.1f %8.1f %8.1f%n", name, sorted.get(sorted.size() / 2), sorted.get(0),
          sorted.get(sorted.size() - 1));
    });
  }

  private static void sample(Map<String, List<Double>> samples, String name, double value) {
    samples.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
  }

  private static double seconds(Duration duration) {
    return duration.toMillis() / 1000.0;
  }
}
