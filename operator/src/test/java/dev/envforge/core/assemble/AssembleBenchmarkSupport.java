package dev.envforge.core.assemble;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The work of {@code dev.envforge.bench.AssembleBenchmark}, here for the package-private test helpers. */
public final class AssembleBenchmarkSupport {
  private AssembleBenchmarkSupport() {}

  public static void large(Path dir, long megabytes) throws Exception {
    long start = System.nanoTime();
    Path wheel = JavaWheels.large(dir, "large", megabytes << 20);
    String sha = WheelInstaller.sha256Hex(wheel);
    long made = System.nanoTime();
    try (OutputStream out = Files.newOutputStream(dir.resolve("layer.tar.gz"))) {
      var layer = WheelInstaller.install(wheel, "large", sha, VenvLayout.standard("3.12"), out);
      long done = System.nanoTime();
      System.out.printf("wheel %d MB made in %.1f s; layer %s (%d bytes) assembled in %.1f s; max heap %d MB%n",
          megabytes, (made - start) / 1e9, layer.digest(), layer.size(), (done - made) / 1e9,
          Runtime.getRuntime().maxMemory() >> 20);
    }
  }

  public static void warm(Path dir, int count) throws Exception {
    Path wheels = Files.createDirectories(dir.resolve("wheels"));
    List<ImageAssembler.Wheel> plan = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String name = "pkg" + i;
      Path wheel = JavaWheels.small(wheels, name, "1.0", name);
      plan.add(new ImageAssembler.Wheel(name, "1.0", wheel, WheelInstaller.sha256Hex(wheel)));
    }
    ObjectNode config = (ObjectNode) new ObjectMapper().readTree(
        "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Env\":[\"PATH=/usr/bin\"]},"
            + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}");
    var base = new ImageAssembler.BaseImage("example/base", config, List.of());
    Path layout = dir.resolve("layout");
    for (String run : List.of("cold", "warm")) {
      long start = System.nanoTime();
      var result = ImageAssembler.assemble(new ImageAssembler.Request(base, BaseInterpreter.officialImage("3.12.7"),
          VenvLayout.standard("3.12"), Map.of(), plan, new ImageAssembler.Labels("ef-bench", "default", "none"),
          "latest"), new OciLayoutStore(layout), Files.createTempDirectory(dir, run));
      System.out.printf("%s: %d packages, %d layers (%d built, %d found) in %.2f s, manifest %s%n", run, count,
          result.layers().size(), result.builtLayers(), result.foundLayers(), (System.nanoTime() - start) / 1e9,
          result.manifestDigest());
    }
  }

  /**
   * {@code envforge assemble} against a local docker-registry: N small wheels assembled cold (empty caches), again
   * with every layer in the cache repository and an empty wheel folder (as a new build Job), then with one package
   * changed, through a counting proxy.
   */
  public static void registry(Path dir, int count) throws Exception {
    try (AssembleFixture fixture = AssembleFixture.start(dir)) {
      Path wheels = Files.createDirectories(dir.resolve("wheels"));
      List<String> names = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        names.add(fixture.serve(JavaWheels.small(wheels, "pkg" + i, "1.0", "pkg" + i)));
      }
      try (var proxy = dev.envforge.testing.RegistryProxy.inFrontOf(fixture.registry)) {
        String host = proxy.hostPort();
        Path project = fixture.project("bench", names);
        timed("cold", proxy, () -> fixture.assemble(host, project, "app/bench", "cache/bench", dir.resolve("c1")));
        timed("warm", proxy, () -> fixture.assemble(host, project, "app/bench", "cache/bench", dir.resolve("c2")));
        List<String> changed = new ArrayList<>(names);
        changed.set(0, fixture.serve(JavaWheels.small(wheels, "pkg0", "1.1", "changed")));
        Path other = fixture.project("bench-changed", changed);
        timed("one package changed", proxy,
            () -> fixture.assemble(host, other, "app/bench", "cache/bench", dir.resolve("c3")));
      }
    }
  }

  /** One wheel of MB megabytes of incompressible data, assembled and pushed from empty caches. */
  public static void registryLarge(Path dir, long megabytes) throws Exception {
    try (AssembleFixture fixture = AssembleFixture.start(dir)) {
      long start = System.nanoTime();
      Path wheel = JavaWheels.large(Files.createDirectories(dir.resolve("wheels")), "large", megabytes << 20);
      System.out.printf("wheel of %d MB made in %.1f s%n", megabytes, (System.nanoTime() - start) / 1e9);
      Path project = fixture.project("large", List.of(fixture.serve(wheel)));
      // straight to the registry: the counting proxy holds request bodies in memory
      timed("cold, one large wheel", null, () -> fixture.assemble(fixture.registry.hostPort(), project,
          "app/large", "cache/large", dir.resolve("c1")));
      System.out.printf("max heap %d MB%n", Runtime.getRuntime().maxMemory() >> 20);
    }
  }

  private interface Run {
    com.fasterxml.jackson.databind.JsonNode run() throws Exception;
  }

  private static void timed(String what, dev.envforge.testing.RegistryProxy proxy, Run run) throws Exception {
    if (proxy != null) {
      proxy.clearRequests();
    }
    long start = System.nanoTime();
    var result = run.run();
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("%s: %.2f s, %d layers (%d built, %d found), blobs %s%s, %s%n", what, seconds,
        result.path("layers").asInt(), result.path("builtLayers").asInt(), result.path("foundLayers").asInt(),
        result.path("blobs"), proxy == null ? "" : ", " + proxy.bytesReceived() + " bytes uploaded in "
            + proxy.requests().stream().filter(r -> r.method().equals("PUT") && r.path().contains("/blobs/")).count()
            + " blob uploads", result.path("image").asText());
  }
}
