package dev.envforge.core.plan;

/**
 * One file an installer may download for a package: its file name, its URL where the lock records one (else null),
 * and its hash as {@code algorithm:hex} (else null).
 */
public record Artifact(String filename, String url, String hash) {}
