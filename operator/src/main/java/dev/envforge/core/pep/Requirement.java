package dev.envforge.core.pep;

import java.util.Set;

/**
 * A PEP 508 requirement ({@code name[extra1,extra2] (>=1.0) ; marker} or {@code name @ url ; marker}).
 * {@code name} is PEP 503-normalized, {@code extras} PEP 685-normalized; {@code specifier} is null when absent,
 * {@code url} null unless a direct reference, {@code marker} {@link Marker#TRUE} when absent.
 */
public record Requirement(String name, Set<String> extras, VersionConstraint specifier, String url, Marker marker) {
  /** @throws PepSyntaxException when the text is not a PEP 508 requirement */
  public static Requirement parse(String text) {
    throw new UnsupportedOperationException("TODO");
  }
}
