package dev.envforge.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.envforge.api.v1alpha1.EnvforgeApi.Conditions;
import dev.envforge.api.v1alpha1.PythonEnvironment;
import dev.envforge.api.v1alpha1.Variant;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Times real builds of envforge's recipe from apply to Ready, as {@link RealBuildIT} runs them (mock API server,
 * operator, {@link KanikoJobExecutor} with buildah, local registry and index), and measures the images.
 *
 * <p>Per round: a cold build of one variant (new repository, so nothing exists); a second resource with the same
 * lock while the finished build Job still exists (the operator follows that Job); a third after the Job is deleted
 * (as the TTL controller does after {@code ttlSecondsAfterFinished}), which the operator answers from the registry;
 * and a cold build of two variants. The installer's share is the RUN step of the build Pod: from buildah's
 * {@code STEP i/n: RUN} line to its next {@code STEP} line (the install plus committing its layer), against the
 * whole {@code buildah bud} and against apply to Ready. Creating the venv is part of that step; it is timed on
 * its own in containers of the base image.
 *
 * <pre>
 * mvn -B -q -pl operator test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.envforge.e2e.RealBuildBenchmark -Dexec.args="5"
 * </pre>
 * A second argument {@code shared} makes all build Pods share one image storage (the base is pulled once) instead
 * of each starting empty.
 */
public final class RealBuildBenchmark {
  private static final Duration TIMEOUT = Duration.ofMinutes(5);
  private static final ObjectMapper JSON = new ObjectMapper();

  private RealBuildBenchmark() {}

  /** Kept so that the level stays set: the mock server logs every request at INFO otherwise. */
  private static final java.util.logging.Logger MOCK_SERVER_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  public static void main(String[] args) throws IOException {
    MOCK_SERVER_LOG.setLevel(java.util.logging.Level.OFF);
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    KanikoJobExecutor.Storage storage = args.length > 1 && args[1].equals("shared") ? KanikoJobExecutor.Storage.SHARED
        : KanikoJobExecutor.Storage.PER_POD;
    RealBuildWorld.unavailableReason().ifPresent(reason -> {
      throw new IllegalStateException(reason);
    });
    String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
    Path work = Files.createTempDirectory("envforge-real-build-benchmark-");
    Map<String, List<Double>> samples = new LinkedHashMap<>();
    String sizes;
    try (RealBuildWorld world = RealBuildWorld.start(work, storage)) {
      RealBuildWorld.ProjectFiles project = world.project(RealBuildWorld.Project.POETRY, world.index().simpleUrl(),
          LockedTestProjects.Options.standard());
      Variant main = new Variant("default");
      Variant full = new Variant("full", List.of("dev"), List.of("fast"));
      String lastImage = null;
      for (int round = 0; round < rounds; round++) {
        String repository = "bench/one-" + round;
        int executionsBefore = world.executor().executions().size();
        double cold = applyAndAwait(world, "bench", "cold-" + round, project, repository, main);
        KanikoJobExecutor.Execution build = world.executor().executions().get(executionsBefore);
        BuildahBuilder.BuildResult result = build.result().orElseThrow();
        sample(samples, "1 variant, cold: apply to Ready (s)", cold);
        sample(samples, "  of which: build Pod waits for its ConfigMap (s)", seconds(build.waitedForMounts()));
        sample(samples, "  of which: buildah bud (s)", seconds(result.buildTime()));
        for (BuildahBuilder.Step step : result.steps()) {
          sample(samples, "    step " + step.number() + " " + step.keyword() + " (s)", seconds(step.duration()));
        }
        sample(samples, "  of which: buildah push (s)", seconds(result.pushTime()));
        double run = seconds(result.timeOf("RUN"));
        sample(samples, "RUN (installer) share of buildah bud (%)", 100 * run / seconds(result.buildTime()));
        sample(samples, "RUN (installer) share of bud + push (%)",
            100 * run / (seconds(result.buildTime()) + seconds(result.pushTime())));
        sample(samples, "RUN (installer) share of apply to Ready (%)", 100 * run / cold);

        sample(samples, "1 variant, same lock, build Job still there: apply to Ready (s)",
            applyAndAwait(world, "bench-follow", "follow-" + round, project, repository, main));
        world.client().batch().v1().jobs().inNamespace("bench").delete();
        awaitNoJobs(world, "bench");
        sample(samples, "1 variant, same lock, build Job gone: apply to Ready (s)",
            applyAndAwait(world, "bench-hit", "hit-" + round, project, repository, main));
        if (world.executor().executions().size() != executionsBefore + 1) {
          throw new IllegalStateException("the cache hits built something: " + world.executor().executions());
        }

        sample(samples, "2 variants, cold: apply to Ready (s)", applyAndAwait(world, "bench", "two-" + round,
            project, "bench/two-" + round, main, full));
        lastImage = world.get("bench", "cold-" + round).getStatus().getVariants().get(0).getImage();
      }
      // what the RUN step spends on creating the venv rather than on the plan: the recipe's command (a venv without
      // pip) in a container of the base, minus a container that does nothing
      world.builder().pull(world.baseReference());
      for (int round = 0; round < rounds; round++) {
        double idle = seconds(world.builder().runAs("0:0", world.baseReference(), "/bin/sh", "-c", "true")
            .elapsed());
        ExternalCommand.Result venv = world.builder().runAs("0:0", world.baseReference(), "/bin/sh", "-c",
            "python3 -m venv --without-pip /opt/venv");
        if (!venv.succeeded()) {
          throw new IllegalStateException(venv.output());
        }
        sample(samples, "python3 -m venv --without-pip in a base container, less an empty run (s)",
            seconds(venv.elapsed()) - idle);
      }
      sizes = sizes(world, lastImage);
      if (!world.executor().problems().isEmpty()) {
        throw new IllegalStateException("the executor could not reproduce: " + world.executor().problems());
      }
    } finally {
      LocalPythonBaseImage.deleteTree(work);
    }
    String loadAfter = Files.readString(Path.of("/proc/loadavg")).trim();
    System.out.printf("%d cores; /proc/loadavg before: %s, after: %s; build storage %s%n",
        Runtime.getRuntime().availableProcessors(), loadBefore, loadAfter, storage);
    System.out.printf("%-62s %8s %8s %8s  (%d rounds)%n", "measure", "median", "min", "max", rounds);
    samples.forEach((name, values) -> {
      List<Double> sorted = new ArrayList<>(values);
      sorted.sort(null);
      System.out.printf("%-62s %8.1f %8.1f %8.1f%n", name, sorted.get(sorted.size() / 2), sorted.get(0),
          sorted.get(sorted.size() - 1));
    });
    System.out.print(sizes);
  }

  private static double applyAndAwait(RealBuildWorld world, String namespace, String name,
      RealBuildWorld.ProjectFiles project, String repository, Variant... variants) {
    long start = System.nanoTime();
    world.apply(world.environment(namespace, name, project, repository, variants));
    PythonEnvironment ready = world.awaitCondition(namespace, name, Conditions.READY, "True", null, TIMEOUT);
    double elapsed = (System.nanoTime() - start) / 1e9;
    if (ready.getStatus().getVariants().size() != variants.length) {
      throw new IllegalStateException("unexpected status " + ready.getStatus());
    }
    return elapsed;
  }

  private static void awaitNoJobs(RealBuildWorld world, String namespace) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!world.client().batch().v1().jobs().inNamespace(namespace).list().getItems().isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("Jobs in " + namespace + " were not deleted");
      }
      sleep(50);
    }
    // the operator's informer sees the deletion a moment later
    sleep(500);
  }

  /** Compressed (as the registry stores them) and uncompressed layer sizes of the base and a built image. */
  private static String sizes(RealBuildWorld world, String image) throws IOException {
    String repository = image.substring(image.indexOf('/') + 1, image.lastIndexOf(':', image.indexOf('@')));
    String digest = image.substring(image.indexOf('@') + 1);
    String byDigest = image.substring(0, image.lastIndexOf(':', image.indexOf('@'))) + "@" + digest;
    world.builder().pull(byDigest);
    List<Long> baseCompressed = layerSizes(world.manifest(LocalPythonBaseImage.REPOSITORY, world.base().tag()));
    List<Long> builtCompressed = layerSizes(world.manifest(repository, digest));
    world.builder().pull(world.baseReference());
    List<Long> baseRaw = world.builder().uncompressedLayerSizes(world.baseReference());
    List<Long> builtRaw = world.builder().uncompressedLayerSizes(byDigest);
    StringBuilder out = new StringBuilder();
    out.append(String.format("%-40s %6s %14s %16s%n", "image", "layers", "compressed MB", "uncompressed MB"));
    out.append(String.format("%-40s %6d %14.1f %16.1f%n", "base (" + world.base().tag() + ")",
        baseCompressed.size(), mb(baseCompressed), mb(baseRaw)));
    out.append(String.format("%-40s %6d %14.1f %16.1f%n", "built, 2 packages", builtCompressed.size(),
        mb(builtCompressed), mb(builtRaw)));
    List<Long> added = builtCompressed.subList(baseCompressed.size(), builtCompressed.size());
    List<Long> addedRaw = builtRaw.subList(baseRaw.size(), builtRaw.size());
    out.append(String.format("%-40s %6d %14.2f %16.2f%n", "  layers envforge's recipe added", added.size(),
        mb(added), mb(addedRaw)));
    return out.toString();
  }

  private static List<Long> layerSizes(String manifest) throws IOException {
    List<Long> sizes = new ArrayList<>();
    for (JsonNode layer : JSON.readTree(manifest).path("layers")) {
      sizes.add(layer.path("size").asLong());
    }
    return sizes;
  }

  private static double mb(List<Long> sizes) {
    return sizes.stream().mapToLong(Long::longValue).sum() / 1e6;
  }

  private static void sample(Map<String, List<Double>> samples, String name, double value) {
    samples.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
  }

  private static double seconds(Duration duration) {
    return duration.toNanos() / 1e9;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
