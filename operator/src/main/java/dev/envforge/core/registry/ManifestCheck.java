package dev.envforge.core.registry;

import java.util.Objects;

/**
 * The answer to "does this manifest exist in the registry?".
 *
 * <p>{@link Outcome#UNKNOWN} means the registry could not be asked or did not give a clear answer (authentication,
 * TLS, network, rate limit, server error). It never means absent: a caller must not build or push because of it, only
 * retry later.
 *
 * @param outcome present, absent or unknown
 * @param digest  the manifest digest when present, else null
 * @param kind    why the answer is unknown, else null
 * @param reason  a message for people when unknown (never containing credentials), else null
 * @param cached  true when the answer came from the client's cache of present manifests without a request
 */
public record ManifestCheck(Outcome outcome, String digest, UnknownKind kind, String reason, boolean cached) {
  /** The three possible answers. */
  public enum Outcome {
    PRESENT, ABSENT, UNKNOWN
  }

  /** Why a check has no answer. */
  public enum UnknownKind {
    /** 401 or 403: missing, wrong or insufficient credentials, at the registry or its token endpoint. */
    UNAUTHORIZED,
    /** The TLS handshake failed: untrusted certificate, wrong host name, or a plain-HTTP server. */
    TLS,
    /** No connection or no response within the configured timeouts. */
    TIMEOUT,
    /** The connection was refused, reset or could not be made (DNS, routing). */
    CONNECTION,
    /** 429 Too Many Requests. */
    RATE_LIMITED,
    /** A 5xx answer. */
    SERVER_ERROR,
    /** Any other answer that is neither present nor absent: unexpected status, redirect, malformed reply. */
    UNEXPECTED_RESPONSE,
    /** The calling thread was interrupted. */
    INTERRUPTED
  }

  public ManifestCheck {
    Objects.requireNonNull(outcome, "outcome");
    if ((outcome == Outcome.PRESENT) != (digest != null)) {
      throw new IllegalArgumentException("a digest is given exactly when the manifest is present");
    }
    if ((outcome == Outcome.UNKNOWN) != (kind != null && reason != null)) {
      throw new IllegalArgumentException("a kind and a reason are given exactly when the outcome is unknown");
    }
  }

  public static ManifestCheck present(String digest) {
    return new ManifestCheck(Outcome.PRESENT, Objects.requireNonNull(digest, "digest"), null, null, false);
  }

  public static ManifestCheck absent() {
    return new ManifestCheck(Outcome.ABSENT, null, null, null, false);
  }

  public static ManifestCheck unknown(UnknownKind kind, String reason) {
    return new ManifestCheck(Outcome.UNKNOWN, null, Objects.requireNonNull(kind), Objects.requireNonNull(reason),
        false);
  }

  public boolean isPresent() {
    return outcome == Outcome.PRESENT;
  }

  public boolean isAbsent() {
    return outcome == Outcome.ABSENT;
  }

  public boolean isUnknown() {
    return outcome == Outcome.UNKNOWN;
  }

  /** The same answer, marked as served from the cache. */
  ManifestCheck asCached() {
    return new ManifestCheck(outcome, digest, kind, reason, true);
  }

  @Override
  public String toString() {
    return switch (outcome) {
      case PRESENT -> "PRESENT(" + digest + (cached ? ", cached" : "") + ")";
      case ABSENT -> "ABSENT";
      case UNKNOWN -> "UNKNOWN(" + kind + ": " + reason + ")";
    };
  }
}
