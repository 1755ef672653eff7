package dev.envforge.core.registry;

import dev.envforge.core.registry.ManifestCheck.UnknownKind;
import java.io.IOException;

/** A registry request that failed; the message names the registry and is free of credentials. */
public final class RegistryException extends IOException {
  private final UnknownKind kind;

  public RegistryException(UnknownKind kind, String message) {
    super(message);
    this.kind = kind;
  }

  /** What went wrong: unauthorized, TLS, timeout, connection, rate limit, server error or an unexpected answer. */
  public UnknownKind kind() {
    return kind;
  }
}
