package dev.envforge.operator;

import dev.envforge.core.registry.ImageReference;
import dev.envforge.core.registry.ManifestCheck;
import java.time.Instant;

/** Answers whether an image exists in its registry. */
public interface ImageRegistry {
  /**
   * @param notBefore an answer remembered from before this time is not used (the tag may have moved since), or null
   *     when any remembered answer will do
   */
  ManifestCheck check(ImageReference image, RegistryAccess access, Instant notBefore);

  default ManifestCheck check(ImageReference image, RegistryAccess access) {
    return check(image, access, null);
  }
}
