package dev.envforge.operator;

import dev.envforge.api.v1alpha1.EnvforgeApi.Reasons;

/**
 * The spec, or something it references, cannot be used as it is. Not retried with backoff: the resource reports it
 * (InvalidSpec) until the spec or the referenced object changes.
 */
public class SpecProblemException extends RuntimeException {
  private final String reason;

  public SpecProblemException(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }

  /** Whether a referenced ConfigMap, Secret or key is missing: it may appear without the spec changing. */
  public boolean referencedObjectMissing() {
    return Reasons.CONFIG_MAP_NOT_FOUND.equals(reason) || Reasons.SECRET_NOT_FOUND.equals(reason)
        || Reasons.KEY_NOT_FOUND.equals(reason);
  }
}
