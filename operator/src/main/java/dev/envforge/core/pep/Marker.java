package dev.envforge.core.pep;

import java.util.Set;

/** A PEP 508 environment marker. */
public interface Marker {
  /**
   * Evaluates the marker. {@code extras} is the set of extras requested of the package whose dependency carries the
   * marker: {@code extra == "x"} is true iff x (PEP 685-normalized) is in it.
   */
  boolean evaluate(MarkerEnvironment environment, Set<String> extras);

  Marker TRUE = (environment, extras) -> true;

  /** @throws PepSyntaxException when the text is not a PEP 508 marker */
  static Marker parse(String text) {
    throw new UnsupportedOperationException("TODO");
  }
}
