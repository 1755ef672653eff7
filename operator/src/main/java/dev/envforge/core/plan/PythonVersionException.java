package dev.envforge.core.plan;

/**
 * The target's Python version is one the project's requires-python excludes: a problem of the request (the
 * operator's {@code spec.python}, the command line's {@code --python}), not of the lock.
 */
public final class PythonVersionException extends IllegalArgumentException {
  private final String requested;

  public PythonVersionException(String requested, String message) {
    super(message);
    this.requested = requested;
  }

  /** The version asked for, or null when none was and no default fits. */
  public String requested() {
    return requested;
  }
}
