package dev.envforge.core.assemble;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An OCI image layout folder ({@code oci-layout}, {@code index.json}, {@code blobs/sha256/}) as the output of an
 * assembly; skopeo, buildah, crane and oras read it. Layer keys are remembered in {@code envforge-layers/<key>}, a small
 * text file with the layer's digest, size, diff ID and, for a single-package layer, its wheel's size.
 */
public final class OciLayoutStore implements BlobStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path root;

  public OciLayoutStore(Path root) throws IOException {
    this.root = root;
    Files.createDirectories(root.resolve("blobs/sha256"));
    Files.createDirectories(root.resolve("envforge-layers"));
    Files.writeString(root.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    if (!Files.exists(root.resolve("index.json"))) {
      Files.writeString(root.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[]}");
    }
  }

  public Path blob(String digest) {
    return root.resolve("blobs/sha256").resolve(hex(digest));
  }

  @Override
  public boolean has(String digest) {
    return Files.exists(blob(digest));
  }

  @Override
  public void put(Path file, String digest, long size) throws IOException {
    if (!has(digest)) {
      Files.copy(file, blob(digest), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Override
  public Optional<Descriptor> cachedLayer(LayerKey key) throws IOException {
    Path record = root.resolve("envforge-layers").resolve(key.hex());
    if (!Files.exists(record)) {
      return Optional.empty();
    }
    String[] fields = Files.readString(record).strip().split(" ");
    if (!has(fields[0])) {
      return Optional.empty();
    }
    return Optional.of(new Descriptor(ImageAssembler.LAYER_MEDIA_TYPE, fields[0], Long.parseLong(fields[1])));
  }

  @Override
  public OptionalLong cachedWheelSize(LayerKey key) throws IOException {
    Path record = root.resolve("envforge-layers").resolve(key.hex());
    if (!Files.exists(record)) {
      return OptionalLong.empty();
    }
    String[] fields = Files.readString(record).strip().split(" ");
    return fields.length > 3 && fields[3].matches("[0-9]{1,18}") ? OptionalLong.of(Long.parseLong(fields[3]))
        : OptionalLong.empty();
  }

  @Override
  public void rememberLayer(LayerKey key, Descriptor layer, String diffId, long wheelSize) throws IOException {
    Files.writeString(root.resolve("envforge-layers").resolve(key.hex()),
        layer.digest() + " " + layer.size() + " " + diffId + (wheelSize >= 0 ? " " + wheelSize : "") + "\n");
  }

  @Override
  public String cachedDiffId(LayerKey key) throws IOException {
    return Files.readString(root.resolve("envforge-layers").resolve(key.hex())).strip().split(" ")[2];
  }

  @Override
  public String putManifest(byte[] manifest, String mediaType, String tag) throws IOException {
    String digest = "sha256:" + HexFormat.of().formatHex(LayerWriter.sha256().digest(manifest));
    Files.write(blob(digest), manifest);
    ObjectNode index = (ObjectNode) JSON.readTree(Files.readString(root.resolve("index.json")));
    ArrayNode manifests = index.withArray("manifests");
    for (int i = manifests.size() - 1; i >= 0; i--) {
      var annotations = manifests.get(i).get("annotations");
      if (annotations != null && tag.equals(annotations.path("org.opencontainers.image.ref.name").asText())) {
        manifests.remove(i);
      }
    }
    ObjectNode entry = manifests.addObject();
    entry.put("mediaType", mediaType).put("digest", digest).put("size", manifest.length);
    entry.putObject("annotations").put("org.opencontainers.image.ref.name", tag);
    Files.writeString(root.resolve("index.json"), JSON.writeValueAsString(index), StandardCharsets.UTF_8);
    return digest;
  }

  private static String hex(String digest) {
    if (!digest.matches("sha256:[0-9a-f]{64}")) {
      throw new IllegalArgumentException("not a sha256 digest: " + digest);
    }
    return digest.substring("sha256:".length());
  }
}
