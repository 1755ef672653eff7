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
}
