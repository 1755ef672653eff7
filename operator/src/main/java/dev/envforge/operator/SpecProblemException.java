package dev.envforge.operator;

import dev.envforge.api.v1alpha1.Reason;

/**
 * The spec, or something it references, cannot be used as it is. Not retried with backoff: the resource reports it
 * (InvalidSpec) until the spec or the referenced object changes.
 */
public class SpecProblemException extends RuntimeException {
  private final Reason reason;

  public SpecProblemException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
