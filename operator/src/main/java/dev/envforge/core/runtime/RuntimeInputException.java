package dev.envforge.core.runtime;

/** A variant's runtime groups cannot be installed on top of its image; the message says which package and why. */
public final class RuntimeInputException extends IllegalArgumentException {
  public RuntimeInputException(String message) {
    super(message);
  }
}
