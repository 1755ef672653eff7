package dev.envforge.operator;

import dev.envforge.core.registry.ImageReference;
import java.util.Map;

/** Keeps a build's full log next to its image in the registry. */
public interface BuildLogStore {
  /**
   * Stores the log as an OCI artifact.
   *
   * @param image the image the build made or tried to make (repository:tag)
   * @param imageDigest the digest the build pushed, or null when it pushed none: then the log is found by tag only
   * @param log the whole log, credentials already removed
   * @return the artifact's immutable reference, and whether the registry lists it among the image's referrers
   * @throws StoreFailure when the registry refused the log or did not answer; its message holds no credentials
   */
  Stored store(ImageReference image, String imageDigest, RegistryAccess access, byte[] log,
      Map<String, String> annotations) throws StoreFailure;

  /** Where a log was stored: repository@sha256:digest. */
  record Stored(String reference, boolean referrer) {}

  /** Why a log could not be stored. */
  final class StoreFailure extends Exception {
    public StoreFailure(String message) {
      super(message);
    }
  }
}
