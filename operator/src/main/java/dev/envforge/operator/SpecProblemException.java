package dev.envforge.operator;

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
}
