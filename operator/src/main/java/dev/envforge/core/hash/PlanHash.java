package dev.envforge.core.hash;

/**
 * The canonical hash of one image: {@code hex} is the SHA-256 of {@code canonicalDocument} (UTF-8 JSON), and
 * {@code tag} the image tag derived from it.
 */
public record PlanHash(String hex, String tag, String canonicalDocument) {}
