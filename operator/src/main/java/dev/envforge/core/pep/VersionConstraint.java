package dev.envforge.core.pep;

/**
 * A set of versions: a PEP 440 specifier set ({@link #parsePep440}) or a Poetry constraint
 * ({@link #parsePoetry}: {@code ^1.2}, {@code ~1.2}, {@code 1.2.*}, {@code *}, {@code >=1,<2}, {@code a || b}).
 */
public interface VersionConstraint {
  /** Whether the version is in the set; pre-releases count as PEP 440 says for the constraint. */
  boolean contains(Version version);

  /** @throws PepSyntaxException when the text is not a PEP 440 specifier set */
  static VersionConstraint parsePep440(String text) {
    throw new UnsupportedOperationException("TODO");
  }

  /** @throws PepSyntaxException when the text is not a Poetry constraint */
  static VersionConstraint parsePoetry(String text) {
    throw new UnsupportedOperationException("TODO");
  }
}
