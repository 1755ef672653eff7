package dev.envforge.core.assemble;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.envforge.core.registry.RegistrySession;
import dev.envforge.core.registry.RegistrySession.BlobContent;
import dev.envforge.core.registry.RegistrySession.BlobPush;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The image's repository as a {@link BlobStore}, with a layer cache repository on the same registry.
 *
 * <p>A layer's {@link LayerKey} is the tag {@code layer-<key>} in the cache repository: a small OCI manifest whose one
 * layer is the package layer (so the registry's garbage collector keeps the blob) and whose annotation holds the
 * layer's diff ID. A cached layer reaches the image's repository by a cross-repository mount, never by an upload;
 * every blob is checked with HEAD first.
 */
public final class RegistryBlobStore implements BlobStore {
  /** The artifact type of layer-cache manifests. */
  public static final String LAYER_ARTIFACT = "application/vnd.dev.envforge.layer.v1";
  public static final String EMPTY_CONFIG_TYPE = "application/vnd.oci.empty.v1+json";
  static final byte[] EMPTY_CONFIG = "{}".getBytes(StandardCharsets.UTF_8);
  static final String DIFF_ID_ANNOTATION = "dev.envforge.diff-id";
  static final String KEY_ANNOTATION = "dev.envforge.layer-key";
  /** The size in bytes of a single-package layer's wheel, which orders layers without asking the index. */
  static final String WHEEL_SIZE_ANNOTATION = "dev.envforge.wheel-size";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final RegistrySession target;
  private final RegistrySession cache;
  private final Set<String> present = ConcurrentHashMap.newKeySet();
  private final Map<String, String> diffIds = new ConcurrentHashMap<>();
  private final Map<BlobPush, Integer> counts = new ConcurrentHashMap<>();
  private final Map<String, Optional<Descriptor>> lookedUp = new ConcurrentHashMap<>();
  private final Map<String, Long> wheelSizes = new ConcurrentHashMap<>();
  /** Files of blobs put in this run, for a registry that answers a mount with 202 (upload instead). */
  private final Map<String, Path> files = new ConcurrentHashMap<>();
  private volatile boolean emptyConfigInCache;

  /**
   * @param target the image's repository (push access, with the cache repository as a mount source)
   * @param cache  the layer cache repository on the same registry (push access, with the target as mount source)
   */
  public RegistryBlobStore(RegistrySession target, RegistrySession cache) {
    if (!target.registry().equals(cache.registry())) {
      throw new IllegalArgumentException("the layer cache repository must be on the image's registry "
          + target.registry() + ", not on " + cache.registry());
    }
    this.target = target;
    this.cache = cache;
  }

  @Override
  public boolean has(String digest) throws IOException {
    if (present.contains(digest)) {
      return true;
    }
    boolean there = target.blobSize(digest).isPresent();
    if (there) {
      present.add(digest);
    }
    return there;
  }

  @Override
  public void put(Path file, String digest, long size) throws IOException {
    count(target.pushBlob(digest, size, BlobContent.of(file), List.of(cache.repository())));
    present.add(digest);
    files.put(digest, file);
  }

  /** Mounts a blob from another repository of the registry (a base image's layer), uploading only if it cannot. */
  public void mount(String digest, long size, String fromRepository, BlobContent fallback) throws IOException {
    if (present.contains(digest)) {
      return;
    }
    count(target.pushBlob(digest, size, fallback, List.of(fromRepository)));
    present.add(digest);
  }

  /** Looks the keys up a few at a time: a cache tag GET and a HEAD (or mount) each, answered from memory later. */
  @Override
  public void lookAhead(List<LayerKey> keys) throws IOException {
    List<LayerKey> distinct = keys.stream().distinct().filter(k -> !lookedUp.containsKey(k.hex())).toList();
    List<Optional<Descriptor>> found = Parallel.map(distinct, this::lookUp);
    for (int i = 0; i < distinct.size(); i++) {
      lookedUp.put(distinct.get(i).hex(), found.get(i));
    }
  }

  @Override
  public Optional<Descriptor> cachedLayer(LayerKey key) throws IOException {
    Optional<Descriptor> known = lookedUp.get(key.hex());
    if (known == null) {
      known = lookUp(key);
      lookedUp.put(key.hex(), known);
    }
    return known;
  }

  private Optional<Descriptor> lookUp(LayerKey key) throws IOException {
    Optional<RegistrySession.Manifest> manifest = cache.manifest(key.tag());
    if (manifest.isEmpty()) {
      return Optional.empty();
    }
    JsonNode node = JSON.readTree(manifest.get().content());
    JsonNode layer = node.path("layers").path(0);
    String diffId = node.path("annotations").path(DIFF_ID_ANNOTATION).asText("");
    if (!layer.isObject() || !diffId.matches("sha256:[0-9a-f]{64}")) {
      return Optional.empty(); // not a manifest this version wrote: build the layer again and overwrite the tag
    }
    Descriptor descriptor = new Descriptor(layer.path("mediaType").asText(), layer.path("digest").asText(),
        layer.path("size").asLong());
    // The image's manifest will name the blob: mount it from the cache, where the tag keeps it (or copy it, on a
    // registry that does not mount).
    count(target.pushBlob(descriptor.digest(), descriptor.size(), copyFrom(cache, descriptor.digest()),
        List.of(cache.repository())));
    present.add(descriptor.digest());
    diffIds.put(key.hex(), diffId);
    String wheelSize = node.path("annotations").path(WHEEL_SIZE_ANNOTATION).asText("");
    if (wheelSize.matches("[0-9]{1,18}")) {
      wheelSizes.put(key.hex(), Long.parseLong(wheelSize));
    }
    return Optional.of(descriptor);
  }

  @Override
  public OptionalLong cachedWheelSize(LayerKey key) {
    Long size = wheelSizes.get(key.hex());
    return size == null ? OptionalLong.empty() : OptionalLong.of(size);
  }

  @Override
  public void rememberLayer(LayerKey key, Descriptor layer, String diffId, long wheelSize) throws IOException {
    Path file = files.remove(layer.digest());
    cache.pushBlob(layer.digest(), layer.size(), file != null && Files.exists(file) ? BlobContent.of(file)
        : copyFrom(target, layer.digest()), List.of(target.repository()));
    if (!emptyConfigInCache) {
      cache.pushBlob(ImageAssembler.digest(EMPTY_CONFIG), EMPTY_CONFIG.length, BlobContent.of(EMPTY_CONFIG), List.of());
      emptyConfigInCache = true;
    }
    ObjectNode manifest = JSON.createObjectNode().put("schemaVersion", 2)
        .put("mediaType", ImageAssembler.MANIFEST_MEDIA_TYPE).put("artifactType", LAYER_ARTIFACT);
    manifest.putObject("config").put("mediaType", EMPTY_CONFIG_TYPE)
        .put("digest", ImageAssembler.digest(EMPTY_CONFIG)).put("size", EMPTY_CONFIG.length);
    manifest.putArray("layers").addObject().put("mediaType", layer.mediaType()).put("digest", layer.digest())
        .put("size", layer.size());
    ObjectNode annotations = manifest.putObject("annotations").put(DIFF_ID_ANNOTATION, diffId)
        .put(KEY_ANNOTATION, key.hex());
    if (wheelSize >= 0) {
      annotations.put(WHEEL_SIZE_ANNOTATION, Long.toString(wheelSize));
    }
    cache.putManifest(key.tag(), ImageAssembler.MANIFEST_MEDIA_TYPE, JSON.writeValueAsBytes(manifest));
    diffIds.put(key.hex(), diffId);
    lookedUp.put(key.hex(), Optional.of(layer));
    if (wheelSize >= 0) {
      wheelSizes.put(key.hex(), wheelSize);
    }
  }

  @Override
  public String cachedDiffId(LayerKey key) throws IOException {
    String diffId = diffIds.get(key.hex());
    if (diffId == null) {
      throw new IllegalStateException("layer " + key.tag() + " was not looked up first");
    }
    return diffId;
  }

  @Override
  public String putManifest(byte[] manifest, String mediaType, String tag) throws IOException {
    return target.putManifest(tag, mediaType, manifest).digest();
  }

  /** The blob read from another repository into a temporary file, for an upload where a mount was refused. */
  private static BlobContent copyFrom(RegistrySession source, String digest) {
    return offset -> {
      Path copy = Files.createTempFile("envforge-blob-", ".tmp");
      source.downloadBlob(digest, copy);
      java.io.InputStream in = BlobContent.of(copy).open(offset);
      Files.delete(copy); // the open stream keeps reading the deleted file
      return in;
    };
  }

  /** How many blobs were found present, mounted and uploaded so far. */
  public Map<BlobPush, Integer> counts() {
    return Map.copyOf(counts);
  }

  private void count(BlobPush push) {
    counts.merge(push, 1, Integer::sum);
  }
}
