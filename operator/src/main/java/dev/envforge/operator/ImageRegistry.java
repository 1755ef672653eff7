package dev.envforge.operator;

import dev.envforge.core.registry.ImageReference;
import dev.envforge.core.registry.ManifestCheck;

/** Answers whether an image exists in its registry. */
public interface ImageRegistry {
  ManifestCheck check(ImageReference image, RegistryAccess access);
}
