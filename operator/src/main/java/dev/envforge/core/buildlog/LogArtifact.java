package dev.envforge.core.buildlog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A build's log as an OCI artifact: an image manifest with {@code artifactType} {@value #ARTIFACT_TYPE}, the empty
 * config, one {@code text/plain} layer holding the log, and, when the build pushed an image, that image as its
 * {@code subject} (OCI 1.1), so registries with the referrers API list the log with the image. Where a registry has
 * no referrers API the manifest is tagged {@link #tagFor the image's tag plus ".log"}; a failed build, which has no
 * image, is always found that way. The same log and annotations always give the same manifest digest.
 */
public final class LogArtifact {
  public static final String ARTIFACT_TYPE = "application/vnd.envforge.build-log.v1+text";
  public static final String MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json";
  public static final String INDEX_MEDIA_TYPE = "application/vnd.oci.image.index.v1+json";
  public static final String LOG_MEDIA_TYPE = "text/plain";
  public static final String EMPTY_MEDIA_TYPE = "application/vnd.oci.empty.v1+json";
  public static final byte[] EMPTY_CONFIG = "{}".getBytes(StandardCharsets.UTF_8);
  /** What the tag of a log adds to its image's tag. */
  public static final String TAG_SUFFIX = ".log";

  /** The Job the log comes from (namespace/name). */
  public static final String JOB_ANNOTATION = "dev.envforge.build.job";
  /** Succeeded or Failed. */
  public static final String RESULT_ANNOTATION = "dev.envforge.build.result";
  /** The image the build made or tried to make, repository:tag. */
  public static final String IMAGE_ANNOTATION = "dev.envforge.build.image";
  /** When the build finished (RFC 3339): a standard annotation, which tools sort referrers by. */
  public static final String CREATED_ANNOTATION = "org.opencontainers.image.created";

  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final ObjectMapper JSON = new ObjectMapper();

  private LogArtifact() {}

  /** What a manifest points at. */
  public record Descriptor(String mediaType, String digest, long size) {
    public static Descriptor of(String mediaType, byte[] content) {
      return new Descriptor(mediaType, sha256(content), content.length);
    }

    Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("mediaType", mediaType);
      m.put("digest", digest);
      m.put("size", size);
      return m;
    }
  }

  /** A manifest's bytes and their digest. */
  public record Manifest(byte[] bytes, String digest) {}

  /** The tag of the log of an image tag's build, on registries without the referrers API. */
  public static String tagFor(String imageTag) {
    String tag = imageTag + TAG_SUFFIX;
    if (!TAG.matcher(tag).matches()) {
      throw new IllegalArgumentException("the tag " + imageTag + " leaves no room for a log tag (" + tag + ")");
    }
    return tag;
  }

  /**
   * The log's manifest.
   *
   * @param log the log layer
   * @param subject the image the build pushed, or null when there is none
   * @param annotations stored sorted by key; values must not change between two stores of one build's log
   */
  public static Manifest manifest(Descriptor log, Descriptor subject, Map<String, String> annotations) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("schemaVersion", 2);
    m.put("mediaType", MANIFEST_MEDIA_TYPE);
    m.put("artifactType", ARTIFACT_TYPE);
    m.put("config", Descriptor.of(EMPTY_MEDIA_TYPE, EMPTY_CONFIG).json());
    m.put("layers", List.of(log.json()));
    if (subject != null) {
      m.put("subject", subject.json());
    }
    if (annotations != null && !annotations.isEmpty()) {
      m.put("annotations", new TreeMap<>(annotations));
    }
    try {
      byte[] bytes = JSON.writeValueAsBytes(m);
      return new Manifest(bytes, sha256(bytes));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The log layer of a manifest, or an IllegalArgumentException saying why the manifest is not a build log. */
  public static Descriptor logLayer(byte[] manifest) {
    JsonNode root;
    try {
      root = JSON.readTree(manifest);
    } catch (IOException e) {
      throw new IllegalArgumentException("the manifest is not JSON");
    }
    if (root == null || !ARTIFACT_TYPE.equals(root.path("artifactType").asText())) {
      throw new IllegalArgumentException("the manifest is not a build log (artifactType is not " + ARTIFACT_TYPE
          + ")");
    }
    JsonNode layers = root.path("layers");
    if (!layers.isArray() || layers.size() != 1) {
      throw new IllegalArgumentException("a build log's manifest has exactly one layer");
    }
    JsonNode layer = layers.get(0);
    String digest = layer.path("digest").asText("");
    if (!digest.matches("sha256:[0-9a-f]{64}") || !layer.path("size").canConvertToLong()) {
      throw new IllegalArgumentException("the build log's layer has no valid digest and size");
    }
    return new Descriptor(layer.path("mediaType").asText(LOG_MEDIA_TYPE), digest, layer.path("size").asLong());
  }

  /** The annotations of a manifest (empty when it has none). */
  public static Map<String, String> annotations(byte[] manifest) {
    Map<String, String> out = new TreeMap<>();
    try {
      JSON.readTree(manifest).path("annotations").fields()
          .forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    } catch (IOException e) {
      // no annotations to show
    }
    return out;
  }

  public static String sha256(byte[] content) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
