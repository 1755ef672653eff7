package dev.envforge.core.buildlog;

import dev.envforge.core.buildlog.LogArtifact.Descriptor;
import dev.envforge.core.registry.ImageReference;
import dev.envforge.core.registry.ManifestCheck.UnknownKind;
import dev.envforge.core.registry.RegistryException;
import dev.envforge.core.registry.RegistrySession;
import dev.envforge.core.registry.RegistrySession.BlobContent;
import dev.envforge.core.registry.RegistrySession.Manifest;
import dev.envforge.core.registry.RegistrySession.Referrer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Build logs in a registry, next to their images ({@link LogArtifact}): stored by the operator, found and read by
 * {@code envforge logs}.
 *
 * <p>The log of a build that pushed an image names the image as its {@code subject} and is pushed as a referrer:
 * the registry's referrers API lists it where there is one, the {@code sha256-<hex>} tag's index (OCI tag schema)
 * where not. The log of a failed build, which has no image, is tagged {@link LogArtifact#tagFor the image's tag plus
 * ".log"}.
 */
public final class LogRegistry {
  /** The most of a log that is read back. */
  public static final int MAX_LOG_BYTES = 16 * 1024 * 1024;

  private LogRegistry() {}

  /**
   * Where a log is.
   *
   * @param reference repository@sha256:digest of the log's manifest
   * @param referrer whether the registry's referrers API indexed it (false: the tag schema or the .log tag)
   */
  public record StoredLog(String reference, boolean referrer) {}

  /**
   * Stores a log.
   *
   * @param session a push session of the image's repository
   * @param image the image the build made or tried to make, repository:tag
   * @param imageDigest the digest the build pushed, or null when the build failed
   */
  public static StoredLog store(RegistrySession session, ImageReference image, String imageDigest, byte[] log,
      Map<String, String> annotations) throws RegistryException {
    Descriptor config = Descriptor.of(LogArtifact.EMPTY_MEDIA_TYPE, LogArtifact.EMPTY_CONFIG);
    Descriptor layer = Descriptor.of(LogArtifact.LOG_MEDIA_TYPE, log);
    session.pushBlob(config.digest(), config.size(), BlobContent.of(LogArtifact.EMPTY_CONFIG), List.of());
    session.pushBlob(layer.digest(), layer.size(), BlobContent.of(log), List.of());
    if (imageDigest == null) {
      LogArtifact.Manifest manifest = LogArtifact.manifest(layer, null, annotations);
      session.putManifest(LogArtifact.tagFor(image.tag()), LogArtifact.MANIFEST_MEDIA_TYPE, manifest.bytes());
      return new StoredLog(repository(image) + "@" + manifest.digest(), false);
    }
    Manifest subject = session.manifest(imageDigest).orElseThrow(() -> new RegistryException(
        UnknownKind.UNEXPECTED_RESPONSE, "the registry has no manifest " + imageDigest + " for " + image));
    LogArtifact.Manifest manifest = LogArtifact.manifest(layer,
        new Descriptor(subject.mediaType(), subject.digest(), subject.content().length), annotations);
    // a registry with the referrers API says so when it takes a manifest with a subject (OCI-Subject)
    RegistrySession.PutManifest put = session.putManifest(manifest.digest(), LogArtifact.MANIFEST_MEDIA_TYPE,
        manifest.bytes());
    if (!put.subjectIndexed()) {
      session.pushReferrer(LogArtifact.MANIFEST_MEDIA_TYPE, manifest.bytes());
    }
    return new StoredLog(repository(image) + "@" + manifest.digest(), put.subjectIndexed());
  }

  /** A log found for an image: its manifest's digest, how it was found, and its annotations. */
  public record FoundLog(String digest, String via, Map<String, String> annotations) {
    String created() {
      return annotations.getOrDefault(LogArtifact.CREATED_ANNOTATION, "");
    }
  }

  /**
   * The newest log of an image's builds: among the image's referrers of the log type (when the image exists) and
   * the failed build's log under the tag plus ".log". Empty when there is none.
   *
   * @param session a session of the image's repository
   * @param imageDigest the image's digest, or null when it does not exist
   */
  public static Optional<FoundLog> find(RegistrySession session, ImageReference image, String imageDigest)
      throws RegistryException {
    List<FoundLog> found = new ArrayList<>();
    if (imageDigest != null) {
      for (Referrer r : session.referrers(imageDigest, LogArtifact.ARTIFACT_TYPE)) {
        found.add(new FoundLog(r.digest(), "referrers", r.annotations() == null ? Map.of() : r.annotations()));
      }
    }
    Optional<Manifest> tagged = image.tag() == null ? Optional.empty()
        : session.manifest(LogArtifact.tagFor(image.tag()));
    if (tagged.isPresent()) {
      LogArtifact.logLayer(tagged.get().content());
      found.add(new FoundLog(tagged.get().digest(), "tag " + LogArtifact.tagFor(image.tag()),
          LogArtifact.annotations(tagged.get().content())));
    }
    // RFC 3339 times of one writer compare as text; the referrer wins a tie, since it belongs to the image
    return found.stream().max(Comparator.comparing(FoundLog::created));
  }

  /** The log a manifest holds, as text. */
  public static String read(RegistrySession session, String manifestDigest) throws RegistryException {
    Manifest manifest = session.manifest(manifestDigest).orElseThrow(() -> new RegistryException(
        UnknownKind.UNEXPECTED_RESPONSE, "the registry has no manifest " + manifestDigest));
    Descriptor layer;
    try {
      layer = LogArtifact.logLayer(manifest.content());
    } catch (IllegalArgumentException e) {
      throw new RegistryException(UnknownKind.UNEXPECTED_RESPONSE, manifestDigest + ": " + e.getMessage());
    }
    if (layer.size() > MAX_LOG_BYTES) {
      throw new RegistryException(UnknownKind.UNEXPECTED_RESPONSE, "the log " + manifestDigest + " has "
          + layer.size() + " bytes, more than the " + MAX_LOG_BYTES + " envforge reads");
    }
    return new String(session.blob(layer.digest(), (int) layer.size()), StandardCharsets.UTF_8);
  }

  /** registry/repository of an image reference. */
  static String repository(ImageReference image) {
    return image.registry() + "/" + image.repository();
  }
}
