package dev.envforge.core.assemble;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.envforge.core.assemble.BlobStore.Descriptor;
import dev.envforge.core.recipe.BuildContextRenderer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.IntStream;

/**
 * Makes an image from a base image and wheels, without a builder: the base's layers, the venv skeleton, the package
 * layers of a {@link LayerPlan} and a small per-environment layer with {@code /usr/share/envforge/packages.txt}. The
 * config is the base's config with the Kaniko recipe's ENV, USER and {@code dev.envforge.*} labels, the layers' diff
 * IDs and one history entry per layer; times are the epoch, so the same input gives the same image digest.
 *
 * <p>Package layers are looked up by {@link LayerKey} in the {@link BlobStore} first and built only when missing.
 */
public final class ImageAssembler {
  public static final String LAYER_MEDIA_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip";
  public static final String CONFIG_MEDIA_TYPE = "application/vnd.oci.image.config.v1+json";
  public static final String MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json";
  public static final String EPOCH = "1970-01-01T00:00:00Z";
  public static final String PACKAGE_LIST = "usr/share/envforge/packages.txt";
  /** The launcher in the environment layer, where the Kaniko recipe puts it too. */
  public static final String LAUNCHER = BuildContextRenderer.LAUNCHER_IN_IMAGE.substring(1);
  /**
   * Bumped whenever the venv skeleton, the environment layer, the order of the layers or the config would change for
   * the same plan; part of an assembled image's hash (package layers have {@link LayerKey#LAYOUT_VERSION}). 3: layers
   * heavy first ({@link LayerPlan}).
   */
  public static final int IMAGE_VERSION = 3;
  /** The value of the {@code dev.envforge.installer} label of assembled images. */
  public static final String INSTALLER_LABEL = "envforge-assemble-" + LayerKey.LAYOUT_VERSION;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The base image as its manifest and config describe it. */
  public record BaseImage(String reference, ObjectNode config, List<Descriptor> layers) {}

  /**
   * A wheel for a package of the plan, already chosen by {@link WheelChoice}; {@code file} is null for a wheel that
   * {@link WheelFiles} downloads only when its layer must be built.
   */
  public record Wheel(String name, String version, Path file, String sha256) {}

  /** Where wheel files and their sizes come from; files are asked for only for layers that are not in the store. */
  public interface WheelFiles {
    /** The wheel's size (of the file the sha256 names), which orders layers and picks the ones of their own. */
    long size(Wheel wheel) throws IOException;

    Path file(Wheel wheel) throws IOException;

    /** Wheels already on disk. */
    WheelFiles LOCAL = new WheelFiles() {
      @Override
      public long size(Wheel wheel) throws IOException {
        return Files.size(wheel.file());
      }

      @Override
      public Path file(Wheel wheel) {
        return wheel.file();
      }
    };
  }

  /** The labels the image says about itself, as the Kaniko recipe's. */
  public record Labels(String hash, String variant, String lockDigest) {}

  public record Request(BaseImage base, BaseInterpreter python, VenvLayout layout,
      Map<String, String> activateTemplates, List<Wheel> wheels, Labels labels, String tag) {}

  /** What was made: the manifest digest, every layer and how many package layers were built or found. */
  public record Result(String manifestDigest, Descriptor config, List<Descriptor> layers, int builtLayers,
      int foundLayers) {}

  private ImageAssembler() {}

  public static Result assemble(Request request, BlobStore store, Path workDir) throws IOException {
    return assemble(request, store, workDir, WheelFiles.LOCAL);
  }

  public static Result assemble(Request request, BlobStore store, Path workDir, WheelFiles files)
      throws IOException {
    Map<String, Wheel> byName = new LinkedHashMap<>();
    for (Wheel wheel : request.wheels()) {
      if (byName.put(wheel.name(), wheel) != null) {
        throw new IllegalArgumentException("package " + wheel.name() + " is in the plan twice");
      }
    }
    List<Long> wheelSizes = wheelSizes(request, store, files);
    List<LayerPlan.Package> sizes = new ArrayList<>();
    for (int i = 0; i < request.wheels().size(); i++) {
      sizes.add(new LayerPlan.Package(request.wheels().get(i).name(), wheelSizes.get(i)));
    }
    List<LayerPlan.Layer> plan = LayerPlan.plan(sizes, request.base().layers().size());
    store.lookAhead(plan.stream().map(layer -> LayerKey.of(layer.packages().stream()
        .map(p -> byName.get(p.name()).sha256()).toList(), request.layout())).toList());

    List<Descriptor> layers = new ArrayList<>(request.base().layers());
    List<String> diffIds = new ArrayList<>();
    List<String> history = new ArrayList<>();

    Path skeleton = workDir.resolve("skeleton.tar.gz");
    LayerWriter.Layer skeletonLayer;
    try (OutputStream out = Files.newOutputStream(skeleton)) {
      skeletonLayer = VenvSkeleton.write(request.layout(), request.python(), request.activateTemplates(), out);
    }
    layers.add(store(store, skeleton, skeletonLayer));
    diffIds.add(skeletonLayer.diffId());
    history.add("envforge assemble: venv " + request.layout().prefix() + " for Python " + request.python().version());

    int built = 0;
    int found = 0;
    for (LayerPlan.Layer layer : plan) {
      List<Wheel> wheels = layer.packages().stream().map(p -> byName.get(p.name())).toList();
      LayerKey key = LayerKey.of(wheels.stream().map(Wheel::sha256).toList(), request.layout());
      Optional<Descriptor> cached = store.cachedLayer(key);
      if (cached.isPresent()) {
        layers.add(cached.get());
        diffIds.add(store.cachedDiffId(key));
        found++;
      } else {
        Path file = workDir.resolve(key.hex() + ".tar.gz");
        LayerWriter.Layer made;
        try (OutputStream out = Files.newOutputStream(file)) {
          List<WheelInstaller.WheelInput> inputs = new ArrayList<>();
          for (Wheel w : wheels) {
            inputs.add(new WheelInstaller.WheelInput(files.file(w), w.name(), w.sha256()));
          }
          made = WheelInstaller.install(inputs, request.layout(), out);
        }
        Descriptor descriptor = store(store, file, made);
        store.rememberLayer(key, descriptor, made.diffId(),
            wheels.size() == 1 ? Files.size(files.file(wheels.get(0))) : -1);
        Files.deleteIfExists(file);
        layers.add(descriptor);
        diffIds.add(made.diffId());
        built++;
      }
      history.add("envforge assemble: " + (layer.isBucket() ? layer.describe() + ": " : "")
          + String.join(" ", wheels.stream().map(w -> w.name() + "==" + w.version()).toList()));
    }

    Path envLayerFile = workDir.resolve("environment.tar.gz");
    LayerWriter.Layer envLayer;
    StringBuilder packageList = new StringBuilder();
    request.wheels().stream().map(w -> w.name() + "==" + w.version()).sorted()
        .forEach(line -> packageList.append(line).append('\n'));
    try (OutputStream out = Files.newOutputStream(envLayerFile); LayerWriter writer = new LayerWriter(out)) {
      writer.directory("usr");
      writer.directory("usr/share");
      writer.directory("usr/share/envforge");
      writer.file(LAUNCHER, LayerWriter.EXECUTABLE_MODE,
          BuildContextRenderer.launcherScript().getBytes(StandardCharsets.UTF_8));
      writer.file(PACKAGE_LIST, LayerWriter.FILE_MODE, packageList.toString().getBytes(StandardCharsets.UTF_8));
      envLayer = writer.finish();
    }
    layers.add(store(store, envLayerFile, envLayer));
    diffIds.add(envLayer.diffId());
    history.add("envforge assemble: /" + PACKAGE_LIST + " and the launcher /" + LAUNCHER);

    byte[] config = config(request, diffIds, history);
    Path configFile = workDir.resolve("config.json");
    Files.write(configFile, config);
    Descriptor configDescriptor = new Descriptor(CONFIG_MEDIA_TYPE, digest(config), config.length);
    store.put(configFile, configDescriptor.digest(), config.length);

    ObjectNode manifest = JSON.createObjectNode();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", MANIFEST_MEDIA_TYPE);
    manifest.set("config", descriptor(configDescriptor));
    ArrayNode layerArray = manifest.putArray("layers");
    layers.forEach(l -> layerArray.add(descriptor(l)));
    byte[] manifestBytes = JSON.writeValueAsBytes(manifest);
    String manifestDigest = store.putManifest(manifestBytes, MANIFEST_MEDIA_TYPE, request.tag());
    return new Result(manifestDigest, configDescriptor, List.copyOf(layers), built, found);
  }

  /**
   * The size of every wheel, which orders the layers (heavy first) and, above the layer limit, picks the packages
   * with layers of their own. When every package has its own layer, the keys are known before the plan: a cached
   * layer's record says its wheel's size, and a wheel whose layer is not cached is downloaded now, as it is needed
   * anyway; only a cached layer recorded without the size (by an older envforge) asks {@link WheelFiles#size}. With
   * buckets, {@link WheelFiles#size} is asked for every wheel.
   */
  private static List<Long> wheelSizes(Request request, BlobStore store, WheelFiles files) throws IOException {
    int baseLayers = request.base().layers().size();
    LayerPlan.checkFits(request.wheels().size(), baseLayers);
    if (LayerPlan.needsBuckets(request.wheels().size(), baseLayers)) {
      return Parallel.map(request.wheels(), files::size);
    }
    List<LayerKey> keys = request.wheels().stream()
        .map(w -> LayerKey.of(List.of(w.sha256()), request.layout())).toList();
    store.lookAhead(keys);
    List<Integer> indices = IntStream.range(0, keys.size()).boxed().toList();
    return Parallel.map(indices, i -> {
      Wheel wheel = request.wheels().get(i);
      if (store.cachedLayer(keys.get(i)).isEmpty()) {
        return Files.size(files.file(wheel));
      }
      OptionalLong recorded = store.cachedWheelSize(keys.get(i));
      return recorded.isPresent() ? recorded.getAsLong() : files.size(wheel);
    });
  }

  static byte[] config(Request request, List<String> diffIds, List<String> historyLines) throws IOException {
    ObjectNode config = request.base().config().deepCopy();
    config.put("created", EPOCH);
    ObjectNode runtime = config.with("config");
    String venv = request.layout().prefix();
    Map<String, String> env = new LinkedHashMap<>();
    for (JsonNode entry : runtime.path("Env")) {
      String text = entry.asText();
      int eq = text.indexOf('=');
      env.put(eq < 0 ? text : text.substring(0, eq), eq < 0 ? "" : text.substring(eq + 1));
    }
    String path = env.getOrDefault("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    env.put("VIRTUAL_ENV", venv);
    env.put("PATH", venv + "/bin:" + path);
    env.put("PYTHONDONTWRITEBYTECODE", "1");
    env.put("PYTHONUNBUFFERED", "1");
    ArrayNode envArray = runtime.putArray("Env");
    env.forEach((k, v) -> envArray.add(k + "=" + v));
    runtime.put("User", BuildContextRenderer.IMAGE_USER);
    // the same entrypoint as the Kaniko recipe: the launcher installs mounted runtime requirements, then execs
    runtime.putArray("Entrypoint").add(BuildContextRenderer.LAUNCHER_IN_IMAGE);
    runtime.putArray("Cmd").add(BuildContextRenderer.DEFAULT_COMMAND);
    ObjectNode labels = runtime.has("Labels") && runtime.get("Labels").isObject()
        ? (ObjectNode) runtime.get("Labels") : runtime.putObject("Labels");
    Labels l = request.labels();
    labels.put("dev.envforge.hash", l.hash());
    labels.put("dev.envforge.variant", l.variant());
    labels.put("dev.envforge.lock-digest", l.lockDigest());
    labels.put("dev.envforge.python", request.python().version());
    labels.put("dev.envforge.installer", INSTALLER_LABEL);
    labels.put("dev.envforge.package-count", Integer.toString(request.wheels().size()));
    labels.put("dev.envforge.package-list", "/" + PACKAGE_LIST);
    labels.put("org.opencontainers.image.base.name", request.base().reference());
    ObjectNode rootfs = config.with("rootfs");
    rootfs.put("type", "layers");
    ArrayNode ids = rootfs.withArray("diff_ids");
    diffIds.forEach(ids::add);
    ArrayNode history = config.withArray("history");
    for (String line : historyLines) {
      history.addObject().put("created", EPOCH).put("created_by", line).put("comment", "envforge");
    }
    return JSON.writeValueAsBytes(config);
  }

  private static Descriptor store(BlobStore store, Path file, LayerWriter.Layer layer) throws IOException {
    if (!store.has(layer.digest())) {
      store.put(file, layer.digest(), layer.size());
    }
    return new Descriptor(LAYER_MEDIA_TYPE, layer.digest(), layer.size());
  }

  private static ObjectNode descriptor(Descriptor d) {
    ObjectNode node = JSON.createObjectNode();
    node.put("mediaType", d.mediaType()).put("digest", d.digest()).put("size", d.size());
    return node;
  }

  static String digest(byte[] bytes) {
    return "sha256:" + HexFormat.of().formatHex(LayerWriter.sha256().digest(bytes));
  }
}
