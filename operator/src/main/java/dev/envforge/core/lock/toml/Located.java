package dev.envforge.core.lock.toml;

import dev.envforge.core.lock.LockInputException;

/** A value with the place it was read from. */
public record Located<T>(T value, Location location) {
  /** An input error at the value's place. */
  public LockInputException error(String problem) {
    return location.error(problem);
  }
}
