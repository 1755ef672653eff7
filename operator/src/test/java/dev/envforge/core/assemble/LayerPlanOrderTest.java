package dev.envforge.core.assemble;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.envforge.core.assemble.BlobStore.Descriptor;
import dev.envforge.core.assemble.ImageAssembler.Wheel;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The global layer order: single-package layers by size class of the wheel (largest first), then by name, then
 * buckets by number; the relative order of two layers is the same in every environment that has both.
 */
class LayerPlanOrderTest {
  private static final long KB = 1_000;
  private static final long MB = 1_000_000;
  private static final long GB = 1_000_000_000;

  @ParameterizedTest
  @CsvSource({
      "0, 0", "1, 0", "999999, 0", "1000000, 1", "9999999, 1", "10000000, 2", "99999999, 2", "100000000, 3",
      "999999999, 3", "1000000000, 4", "2500000000, 4", "10000000000, 5", "9223372036854775807, 13"})
  void sizeClassesAreDecadesFromOneMegabyte(long wheelSize, int expected) {
    assertThat(LayerPlan.sizeClass(wheelSize)).isEqualTo(expected);
  }

  @Test
  void heavierClassesComeFirstThenNames() {
    List<LayerPlan.Package> packages = List.of(
        new LayerPlan.Package("six", 11 * KB),
        new LayerPlan.Package("torch", 850 * MB),
        new LayerPlan.Package("numpy", 18 * MB),
        new LayerPlan.Package("attrs", 63 * KB),
        new LayerPlan.Package("nvidia-cudnn-cu12", 730 * MB),
        new LayerPlan.Package("pip", 1800 * KB),
        new LayerPlan.Package("scipy", 38 * MB),
        new LayerPlan.Package("nvidia-cublas-cu12", 1200 * MB),
        new LayerPlan.Package("idna", 70 * KB));
    assertThat(names(LayerPlan.plan(packages, 3))).containsExactly(
        "nvidia-cublas-cu12", // 1 GB and up
        "nvidia-cudnn-cu12", "torch", // 100 MB to 1 GB, by name
        "numpy", "scipy", // 10 to 100 MB
        "pip", // 1 to 10 MB
        "attrs", "idna", "six"); // below 1 MB
  }

  @Test
  void aSizeChangeWithinTheClassMovesNothing() {
    List<LayerPlan.Package> before = List.of(new LayerPlan.Package("aaa", 20 * MB),
        new LayerPlan.Package("bbb", 30 * MB), new LayerPlan.Package("ccc", 500 * KB));
    List<LayerPlan.Package> after = List.of(new LayerPlan.Package("aaa", 20 * MB),
        new LayerPlan.Package("bbb", 12 * MB), new LayerPlan.Package("ccc", 900 * KB));
    assertThat(names(LayerPlan.plan(after, 1))).isEqualTo(names(LayerPlan.plan(before, 1)))
        .containsExactly("aaa", "bbb", "ccc");
  }

  @Test
  void withBucketsTheOwnLayersComeFirstHeavyFirstAndBucketsLastByNumber() {
    List<LayerPlan.Package> packages = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      packages.add(new LayerPlan.Package(String.format("p%03d", i), (i % 7 == 0 ? 50 * MB : 40 * KB) + i));
    }
    List<LayerPlan.Layer> layers = LayerPlan.plan(packages, 5);
    int singles = (int) layers.stream().filter(l -> !l.isBucket()).count();
    assertThat(layers.subList(singles, layers.size())).allMatch(LayerPlan.Layer::isBucket)
        .extracting(LayerPlan.Layer::bucket).isSorted().doesNotHaveDuplicates();
    List<LayerPlan.Package> own = layers.subList(0, singles).stream().map(l -> l.packages().get(0)).toList();
    assertThat(own).isSortedAccordingTo(LayerPlan.ORDER);
    // the 29 heavy wheels lead, then the largest of the small ones
    assertThat(own.subList(0, 29)).allMatch(p -> p.wheelSize() >= 50 * MB);
  }

  /**
   * Environments drawn from one universe of wheels (each package in two versions of slightly different size, some
   * at class limits), with different bases and sizes, some with buckets: wherever two environments both have two
   * layers (the same wheels), those layers are in the same relative order.
   */
  @Test
  void twoLayersAreInTheSameOrderInEveryEnvironmentThatHasBoth() {
    Random random = new Random(12);
    Map<String, long[]> universe = new HashMap<>();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 260; i++) {
      String name = "pkg-" + Integer.toString(random.nextInt(1 << 20), 36) + "-" + i;
      double exponent = 3 + random.nextDouble() * 6.5; // 1 kB to 3 GB, log-uniform
      long size = (long) Math.pow(10, exponent);
      universe.put(name, new long[] {size, Math.max(1, size + (long) (size * (random.nextDouble() * 0.2 - 0.1)))});
      names.add(name);
    }
    List<List<String>> environments = new ArrayList<>();
    for (int e = 0; e < 40; e++) {
      int count = 2 + random.nextInt(e % 4 == 0 ? 250 : 90);
      int baseLayers = 1 + random.nextInt(15);
      List<String> pool = new ArrayList<>(names);
      java.util.Collections.shuffle(pool, random);
      List<LayerPlan.Package> packages = new ArrayList<>();
      for (String name : pool.subList(0, count)) {
        int version = random.nextInt(4) == 0 ? 1 : 0; // mostly the same version everywhere
        packages.add(new LayerPlan.Package(name + "==" + version, universe.get(name)[version]));
      }
      List<LayerPlan.Layer> layers = LayerPlan.plan(packages, baseLayers);
      environments.add(layers.stream().map(LayerPlanOrderTest::identity).toList());
      assertThat(layers.stream().filter(l -> !l.isBucket()).map(l -> l.packages().get(0)).toList())
          .isSortedAccordingTo(LayerPlan.ORDER);
    }
    int comparedPairs = 0;
    for (List<String> a : environments) {
      for (List<String> b : environments) {
        List<String> common = a.stream().filter(b::contains).toList();
        assertThat(common).as("layers %s in another environment", common)
            .isSortedAccordingTo((x, y) -> Integer.compare(b.indexOf(x), b.indexOf(y)));
        comparedPairs += common.size() * (common.size() - 1) / 2;
      }
    }
    assertThat(comparedPairs).as("the environments share layers").isGreaterThan(10_000);
  }

  /**
   * Through the assembler into an OCI layout: the heavy wheel's layer comes right after the venv skeleton, and a
   * second assembly from the same store asks nothing about wheels (their sizes are in the layer records) and gives
   * the same image.
   */
  @Test
  void assembledImagesPutTheHeavyLayerFirstAndAWarmAssemblyAsksNoWheelSizes(@TempDir Path work) throws IOException {
    Path wheelDir = Files.createDirectories(work.resolve("wheels"));
    List<Wheel> wheels = new ArrayList<>();
    for (String name : List.of("alpha", "zulu")) {
      Path file = JavaWheels.small(wheelDir, name, "1.0", name);
      wheels.add(new Wheel(name, "1.0", file, WheelInstaller.sha256Hex(file)));
    }
    Path heavy = JavaWheels.large(wheelDir, "middle", 1_200_000);
    wheels.add(new Wheel("middle", "1.0", heavy, WheelInstaller.sha256Hex(heavy)));

    Path layout = work.resolve("layout");
    ImageAssembler.Request request = request(work, wheels);
    ImageAssembler.Result cold = ImageAssembler.assemble(request, new OciLayoutStore(layout),
        Files.createDirectories(work.resolve("scratch-1")));
    JsonNode config = new ObjectMapper().readTree(layout.resolve("blobs/sha256")
        .resolve(cold.config().digest().substring(7)).toFile());
    List<String> history = new ArrayList<>();
    config.path("history").forEach(h -> history.add(h.path("created_by").asText()));
    assertThat(history.subList(2, history.size() - 1)).containsExactly(
        "envforge assemble: middle==1.0", "envforge assemble: alpha==1.0", "envforge assemble: zulu==1.0");

    ImageAssembler.WheelFiles refuse = new ImageAssembler.WheelFiles() {
      @Override
      public long size(Wheel wheel) {
        throw new AssertionError("asked for the size of " + wheel.name());
      }

      @Override
      public Path file(Wheel wheel) {
        throw new AssertionError("asked for the file of " + wheel.name());
      }
    };
    ImageAssembler.Result warm = ImageAssembler.assemble(request, new OciLayoutStore(layout),
        Files.createDirectories(work.resolve("scratch-2")), refuse);
    assertThat(warm.builtLayers()).isZero();
    assertThat(warm.manifestDigest()).isEqualTo(cold.manifestDigest());
  }

  private static ImageAssembler.Request request(Path work, List<Wheel> wheels) throws IOException {
    Path baseLayer = work.resolve("base-layer.tar.gz");
    LayerWriter.Layer layer;
    try (OutputStream out = Files.newOutputStream(baseLayer); LayerWriter writer = new LayerWriter(out)) {
      writer.directory("etc");
      layer = writer.finish();
    }
    ObjectNode config = (ObjectNode) new ObjectMapper().readTree("{\"architecture\":\"amd64\",\"os\":\"linux\","
        + "\"config\":{\"Env\":[\"PATH=/usr/bin:/bin\"]},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
        + layer.diffId() + "\"]},\"history\":[{\"created_by\":\"base\"}]}");
    ImageAssembler.BaseImage base = new ImageAssembler.BaseImage("example.com/python:3.12", config,
        List.of(new Descriptor(ImageAssembler.LAYER_MEDIA_TYPE, layer.digest(), layer.size())));
    return new ImageAssembler.Request(base, BaseInterpreter.officialImage("3.12.7"), VenvLayout.standard("3.12"),
        Map.of(), wheels, new ImageAssembler.Labels("ef-test", "default", "sha256:" + "0".repeat(64)), "latest");
  }

  private static String identity(LayerPlan.Layer layer) {
    return (layer.isBucket() ? "bucket " + layer.bucket() + ": " : "")
        + String.join(",", layer.packages().stream().map(LayerPlan.Package::name).toList());
  }

  private static List<String> names(List<LayerPlan.Layer> layers) {
    return layers.stream().map(l -> l.packages().get(0).name()).toList();
  }
}
