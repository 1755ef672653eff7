package dev.envforge.core.recipe;

/**
 * What the image says about itself in its OCI labels.
 *
 * @param variant the variant name that first built this image (images are shared by every variant with the same hash)
 * @param hash the full envforge hash
 * @param lockDigest SHA-256 of the lock file the plan was resolved from
 */
public record ImageLabels(String variant, String hash, String lockDigest) {}
