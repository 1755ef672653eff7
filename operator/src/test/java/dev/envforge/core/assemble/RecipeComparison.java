package dev.envforge.core.assemble;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.envforge.e2e.BuildahBuilder;
import dev.envforge.e2e.LocalPackageIndex;
import dev.envforge.e2e.LocalPythonBaseImage;
import dev.envforge.e2e.TestWheels;
import dev.envforge.testing.RegistryProxy;
import dev.envforge.testing.RegistryServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The work of {@code dev.envforge.bench.RecipeComparisonBenchmark}: one environment (a large generated wheel and
 * some small ones) built both ways on the same plans, then one small package changed per round, with the bytes each
 * way pushes counted by a {@link RegistryProxy} in front of one docker-registry.
 *
 * <ul>
 *   <li>assembled: {@code java -jar envforge.jar assemble} as a process (JVM start included), a new cache folder
 *       every time (as a new build Pod), layers cached in a cache repository of the registry;</li>
 *   <li>recipe: the Kaniko recipe ({@code envforge render --builder kaniko}, pip) built by buildah in place of Kaniko,
 *       in image storage that starts empty every time (as a Kaniko Pod), with a fixed timestamp (Kaniko's
 *       {@code --reproducible}), then {@code buildah push} to the same registry.</li>
 * </ul>
 * Both use the same base image (Debian's python3 from this machine's packages, {@link LocalPythonBaseImage}) and the
 * same package index on loopback, which the lock names.
 */
public final class RecipeComparison {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RecipeComparison() {}

  /** Why it cannot run here, or empty. */
  public static Optional<String> unavailableReason(Path jar) {
    if (AssembleFixture.unavailableReason() != null) {
      return Optional.of(AssembleFixture.unavailableReason());
    }
    if (!BuildahBuilder.isInstalled()) {
      return Optional.of("buildah is not installed");
    }
    return LocalPythonBaseImage.missingPrerequisites().or(() -> Files.isRegularFile(jar) ? Optional.empty()
        : Optional.of("no envforge jar at " + jar + " (mvn -pl operator package)"));
  }

  /**
   * @param largeMegabytes size of the large wheel's incompressible payload
   * @param small number of small packages besides it
   * @param rounds how many one-package changes follow the first build
   */
  public static void run(Path dir, Path jar, long largeMegabytes, int small, int rounds) throws Exception {
    LocalPythonBaseImage base = LocalPythonBaseImage.prepare();
    Path wheels = Files.createDirectories(dir.resolve("wheels"));
    long made = System.nanoTime();
    List<TestWheels.Distribution> plan = new ArrayList<>();
    plan.add(distribution("large", "1.0", JavaWheels.large(wheels, "large", largeMegabytes << 20)));
    for (int i = 0; i < small; i++) {
      plan.add(distribution("pkg" + i, "1.0", JavaWheels.small(wheels, "pkg" + i, "1.0", "pkg" + i + "-1.0")));
    }
    List<TestWheels.Distribution> served = new ArrayList<>(plan);
    for (int r = 1; r <= rounds; r++) {
      served.add(distribution("pkg" + (r - 1), "1.1", JavaWheels.small(wheels, "pkg" + (r - 1), "1.1",
          "pkg" + (r - 1) + "-1.1")));
    }
    System.out.printf("wheels made in %.1f s: large %d MB, %d small%n", (System.nanoTime() - made) / 1e9,
        plan.get(0).size() >> 20, small);
    try (RegistryServer registry = RegistryServer.start();
        RegistryProxy proxy = RegistryProxy.inFrontOf(registry);
        LocalPackageIndex index = LocalPackageIndex.start(served)) {
      base.pushTo(registry.hostPort());
      String baseImage = base.reference(proxy.hostPort());
      String python = base.pythonVersion();
      for (int round = 0; round <= rounds; round++) {
        if (round > 0) {
          int changed = round; // pkg(round-1) is at index round of the plan, after the large wheel
          TestWheels.Distribution next = served.get(plan.size() + round - 1);
          plan.set(changed, next);
        }
        Path project = Files.createDirectories(dir.resolve("project-" + round));
        Files.writeString(project.resolve("pylock.toml"), lock(index, plan));
        String what = round == 0 ? "first build (empty caches, base in the registry)"
            : "one small package changed (" + plan.get(round).filename() + ")";

        proxy.clearRequests();
        long start = System.nanoTime();
        Path cacheDir = dir.resolve("assemble-cache-" + round);
        String output = process(dir.resolve("assemble-" + round + ".log"), List.of(java(), "-jar", jar.toString(),
            "assemble", project.toString(), "--python=" + python, "--base-image=" + baseImage,
            "--to=" + proxy.hostPort() + "/bench/assembled", "--cache-repo=" + proxy.hostPort() + "/bench/cache",
            "--insecure", "--cache-dir=" + cacheDir, "--json"));
        double assembleSeconds = (System.nanoTime() - start) / 1e9;
        JsonNode result = JSON.readTree(output.substring(output.indexOf('{')));
        System.out.printf("assembled, %s: %.1f s, %s bytes uploaded in %d blob uploads; %d layers (%d built, %d"
            + " found); %s%n", what, assembleSeconds, proxy.bytesReceived(), blobUploads(proxy),
            result.path("layers").asInt(), result.path("builtLayers").asInt(), result.path("foundLayers").asInt(),
            result.path("image").asText());

        proxy.clearRequests();
        start = System.nanoTime();
        Path context = dir.resolve("recipe-" + round);
        String tag = process(dir.resolve("render-" + round + ".log"), List.of(java(), "-jar", jar.toString(),
            "render", project.toString(), "--out=" + context, "--python=" + python, "--installer=pip",
            "--builder=kaniko", "--base-image=" + baseImage)).strip();
        double renderSeconds = (System.nanoTime() - start) / 1e9;
        BuildahBuilder.BuildResult built;
        try (BuildahBuilder pod = BuildahBuilder.create(dir.resolve("recipe-storage-" + round),
            BuildahBuilder.StorageDriver.forDirectory(dir))) {
          built = pod.buildAndPush(BuildahBuilder.BuildRequest.of(context,
              proxy.hostPort() + "/bench/recipe:" + tag.lines().reduce((a, b) -> b).orElseThrow())
              .withTlsVerify(false).withTimestamp(0));
        }
        double recipeSeconds = (System.nanoTime() - start) / 1e9;
        built.requireDigest();
        System.out.printf("recipe (Kaniko's Dockerfile built by buildah), %s: %.1f s (render %.1f s, buildah bud"
            + " %.1f s of which RUN %.1f s, buildah push %.1f s), %d bytes uploaded in %d blob uploads; %s%n", what,
            recipeSeconds, renderSeconds, built.buildTime().toMillis() / 1e3,
            built.timeOf("RUN").toMillis() / 1e3, built.pushTime().toMillis() / 1e3, proxy.bytesReceived(),
            blobUploads(proxy), built.digest().orElseThrow());
      }
    }
  }

  private static long blobUploads(RegistryProxy proxy) {
    // a monolithic upload is one PUT; a chunked one PATCHes and ends with a PUT: count the finishing PUTs
    return proxy.requests().stream().filter(r -> r.method().equals("PUT") && r.path().contains("/blobs/"))
        .count();
  }

  private static TestWheels.Distribution distribution(String project, String version, Path wheel)
      throws IOException {
    return new TestWheels.Distribution(project, version, wheel.getFileName().toString(), Files.readAllBytes(wheel));
  }

  /** A pylock.toml with every wheel at the index, with its sha256 and size. */
  private static String lock(LocalPackageIndex index, List<TestWheels.Distribution> plan) {
    String simple = index.simpleUrl().toString().replaceAll("/$", "");
    StringBuilder lock = new StringBuilder("lock-version = '1.0'\ncreated-by = 'test'\n");
    for (TestWheels.Distribution d : plan) {
      lock.append("\n[[packages]]\nname = '").append(d.project()).append("'\nversion = '").append(d.version())
          .append("'\nindex = '").append(simple).append("'\n\n    [[packages.wheels]]\n    name = '")
          .append(d.filename()).append("'\n    url = '").append(index.fileUrl(d)).append("'\n    size = ")
          .append(d.size()).append("\n    hashes = {sha256 = '").append(d.sha256()).append("'}\n");
    }
    return lock.toString();
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Runs the command, its output in the log; returns stdout and stderr together, or fails with them. */
  private static String process(Path log, List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(60, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IOException("timed out: " + command.subList(0, 4));
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException(command.get(3) + " exited " + p.exitValue() + ":\n" + output);
    }
    return output;
  }
}
