package dev.envforge.core.assemble;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.envforge.core.assemble.BlobStore.Descriptor;
import dev.envforge.core.assemble.ImageAssembler.BaseImage;
import dev.envforge.core.assemble.ImageAssembler.Wheel;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole images assembled into OCI layouts: the same plan twice from empty caches gives the same digests; a
 * one-package change writes one package layer, the environment layer, the config and the manifest; a second
 * environment sharing all but one package writes under 10 % of the first one's bytes; layers are tars with sorted
 * entries, root owners and a zero mtime; a wheel far larger than the heap streams through.
 */
class ImageAssemblyIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final BaseInterpreter PYTHON = BaseInterpreter.officialImage("3.12.7");
  static final VenvLayout LAYOUT = VenvLayout.standard("3.12");

  @TempDir
  static Path work;
  static BaseImage base;
  static List<Wheel> wheels;

  @BeforeAll
  static void baseAndWheels() throws IOException {
    Path baseLayout = work.resolve("base");
    OciLayoutStore baseStore = new OciLayoutStore(baseLayout);
    Path baseLayer = work.resolve("base-layer.tar.gz");
    LayerWriter.Layer layer;
    try (OutputStream out = Files.newOutputStream(baseLayer); LayerWriter writer = new LayerWriter(out)) {
      writer.directory("etc");
      writer.file("etc/os-release", LayerWriter.FILE_MODE, "ID=test\n".getBytes());
      layer = writer.finish();
    }
    baseStore.put(baseLayer, layer.digest(), layer.size());
    ObjectNode config = (ObjectNode) JSON.readTree("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Env\":"
        + "[\"PATH=/usr/local/bin:/usr/bin:/bin\",\"PYTHON_VERSION=3.12.7\"],\"Cmd\":[\"python3\"]},"
        + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + layer.diffId() + "\"]},"
        + "\"history\":[{\"created\":\"2024-01-01T00:00:00Z\",\"created_by\":\"base\"}]}");
    base = new BaseImage("docker.io/library/python:3.12-slim", config,
        List.of(new Descriptor(ImageAssembler.LAYER_MEDIA_TYPE, layer.digest(), layer.size())));
    Path wheelDir = Files.createDirectories(work.resolve("wheels"));
    wheels = new ArrayList<>();
    for (String name : List.of("alpha", "beta", "gamma", "delta")) {
      wheels.add(wheel(JavaWheels.small(wheelDir, name, "1.0", name), name, "1.0"));
    }
    Path debian = Path.of("/usr/share/python-wheels/setuptools-66.1.1-py3-none-any.whl");
    if (Files.exists(debian)) {
      wheels.add(wheel(debian, "setuptools", "66.1.1"));
    } else {
      wheels.add(wheel(JavaWheels.large(wheelDir, "heavy", 2_000_000), "heavy", "1.0"));
    }
  }

  static Wheel wheel(Path file, String name, String version) throws IOException {
    return new Wheel(name, version, file, WheelInstaller.sha256Hex(file));
  }

  static ImageAssembler.Result assemble(Path layout, List<Wheel> plan) throws IOException {
    OciLayoutStore store = new OciLayoutStore(layout);
    copyBaseBlobs(store);
    Path scratch = Files.createTempDirectory(work, "scratch");
    return ImageAssembler.assemble(new ImageAssembler.Request(base, PYTHON, LAYOUT, Map.of(), plan,
        new ImageAssembler.Labels("ef-test", "default", "sha256:" + "0".repeat(64)), "latest"), store, scratch);
  }

  static void copyBaseBlobs(OciLayoutStore store) throws IOException {
    for (Descriptor d : base.layers()) {
      store.put(work.resolve("base").resolve("blobs/sha256").resolve(d.digest().substring(7)), d.digest(), d.size());
    }
  }

  static Map<String, Long> blobs(Path layout) throws IOException {
    try (Stream<Path> files = Files.list(layout.resolve("blobs/sha256"))) {
      Map<String, Long> sizes = new java.util.TreeMap<>();
      for (Path f : files.toList()) {
        sizes.put(f.getFileName().toString(), Files.size(f));
      }
      return sizes;
    }
  }

  @Test
  void samePlanTwiceFromEmptyCachesGivesTheSameImage() throws IOException {
    var first = assemble(work.resolve("det-1"), wheels);
    var second = assemble(work.resolve("det-2"), wheels);
    assertThat(second.manifestDigest()).isEqualTo(first.manifestDigest());
    assertThat(second.layers()).isEqualTo(first.layers());
    assertThat(first.layers()).hasSize(1 + 1 + wheels.size() + 1);
    assertThat(first.builtLayers()).isEqualTo(wheels.size());
    JsonNode config = JSON.readTree(work.resolve("det-1/blobs/sha256").resolve(first.config().digest().substring(7))
        .toFile());
    assertThat(config.at("/rootfs/diff_ids")).hasSize(first.layers().size());
    assertThat(config.at("/history")).hasSize(1 + first.layers().size() - 1);
    assertThat(config.at("/config/User").asText()).isEqualTo("65532:65532");
    assertThat(config.at("/config/Entrypoint").toString()).isEqualTo("[\"/usr/share/envforge/launcher\"]");
    assertThat(config.at("/config/Cmd").toString()).isEqualTo("[\"python3\"]");
    assertThat(config.at("/config/Env").toString()).contains("PATH=/opt/venv/bin:/usr/local/bin:/usr/bin:/bin",
        "VIRTUAL_ENV=/opt/venv", "PYTHON_VERSION=3.12.7");
    assertThat(config.at("/config/Labels/dev.envforge.hash").asText()).isEqualTo("ef-test");
    assertThat(config.at("/config/Labels/dev.envforge.package-count").asText()).isEqualTo(
        Integer.toString(wheels.size()));
  }

  @Test
  void aOnePackageChangeWritesOnePackageLayerTheEnvironmentLayerConfigAndManifest() throws IOException {
    Path layout = work.resolve("change");
    var first = assemble(layout, wheels);
    Set<String> before = new HashSet<>(blobs(layout).keySet());
    List<Wheel> changed = new ArrayList<>(wheels);
    Path wheelDir = Files.createDirectories(work.resolve("wheels-changed"));
    changed.set(1, wheel(JavaWheels.small(wheelDir, "beta", "1.1", "beta"), "beta", "1.1"));
    var second = assemble(layout, changed);
    assertThat(second.builtLayers()).isEqualTo(1);
    assertThat(second.foundLayers()).isEqualTo(wheels.size() - 1);
    Map<String, Long> after = blobs(layout);
    Set<String> added = new HashSet<>(after.keySet());
    added.removeAll(before);
    // one package layer, the environment layer (packages.txt), the config and the manifest
    assertThat(added).hasSize(4);
    assertThat(added).contains(second.manifestDigest().substring(7), second.config().digest().substring(7));
    long firstBytes = first.layers().stream().skip(base.layers().size()).mapToLong(Descriptor::size).sum();
    long addedBytes = added.stream().mapToLong(after::get).sum();
    assertThat(addedBytes).isLessThan(firstBytes / 10);
  }

  @Test
  void layersAreSortedTarsWithRootOwnersAndNoTimes() throws Exception {
    Path layout = work.resolve("tar");
    var result = assemble(layout, wheels);
    List<Descriptor> own = result.layers().subList(base.layers().size(), result.layers().size());
    for (Descriptor layer : own) {
      Path blob = layout.resolve("blobs/sha256").resolve(layer.digest().substring(7));
      byte[] head = Files.readAllBytes(blob);
      assertThat(new byte[] {head[4], head[5], head[6], head[7]}).containsOnly(0);
      String listing = Processes.run(work, "tar", "--numeric-owner", "--full-time", "-tvzf", blob.toString());
      List<String> names = new ArrayList<>();
      for (String line : listing.strip().split("\n")) {
        String[] f = line.trim().split("\\s+", 6);
        assertThat(f[1]).as(line).isEqualTo("0/0");
        assertThat(f[3] + " " + f[4]).as(line).startsWith("1970-01-01 00:00:00");
        assertThat(f[0]).as(line).isIn("drwxr-xr-x", "-rw-r--r--", "-rwxr-xr-x", "lrwxrwxrwx");
        String name = f[5].replaceAll(" -> .*", "").replaceAll("/$", "");
        names.add(name);
        assertThat(name).doesNotContain(".wh.");
      }
      assertThat(names).isSorted();
      if (layer.equals(own.get(own.size() - 1))) {
        assertThat(names).containsExactly("usr", "usr/share", "usr/share/envforge", ImageAssembler.LAUNCHER,
            ImageAssembler.PACKAGE_LIST);
      } else {
        // the same parent directories in every venv layer, whatever the package
        assertThat(names).contains("opt", "opt/venv", "opt/venv/bin", "opt/venv/lib/python3.12/site-packages");
      }
    }
  }

  @Test
  void aWheelLargerThanTheHeapStreamsThrough() throws Exception {
    long size = 64L << 20;
    Path wheel = JavaWheels.large(Files.createDirectories(work.resolve("large")), "large", size);
    Path out = work.resolve("large/layer.tar.gz");
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String output = Processes.run(work, javaBin, "-Xmx32m", "-cp", System.getProperty("java.class.path"),
        LargeWheelMain.class.getName(), wheel.toString(), WheelInstaller.sha256Hex(wheel), out.toString());
    assertThat(output).contains("sha256:");
    assertThat(Files.size(out)).isGreaterThan(size);
  }
}
