package dev.envforge.api.v1alpha1;

/** Where one variant stands ({@code status.variants[].phase}). */
public enum VariantPhase {
  /** Not looked at yet. */
  Pending,
  /** The registry is being asked whether the variant's image exists. */
  Checking,
  /** The image already existed in the registry; nothing was built. */
  Cached,
  /** A build Job is pending or running. */
  Building,
  /** The build Job pushed the image. */
  Succeeded,
  /** The build failed; {@code reason} and {@code message} say why. */
  Failed
}
