package dev.envforge.core.pep;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A set of versions: a PEP 440 specifier set ({@link #parsePep440}) or a Poetry constraint
 * ({@link #parsePoetry}: {@code ^1.2}, {@code ~1.2}, {@code 1.2.*}, {@code *}, {@code >=1,<2}, {@code a || b}).
 * Both parse to a {@link SpecifierConstraint}, whose Javadoc states the pre-release rules.
 */
public interface VersionConstraint {
  /**
   * Whether the version is in the set; pre-releases count as PEP 440 says for the constraint: for a PEP 440 set a
   * pre-release is in it only if a clause names a pre-release (the 'packaging' library's default); a Poetry
   * constraint admits pre-releases in its range as poetry-core does.
   */
  boolean contains(Version version);

  /**
   * Whether the version is in the set when pre-releases are judged like final versions. This is the test for a version
   * a lock file has already chosen: a locked 2.0rc1 satisfies {@code >=1.0}.
   */
  default boolean containsAllowingPrereleases(Version version) {
    return contains(version);
  }

  /**
   * The candidates in the set, as an installer picks them: pre-releases only when {@link #contains} admits them, or
   * when no final version is in the set (PEP 440's "no final release satisfies" rule).
   */
  default List<Version> filter(Collection<Version> candidates) {
    List<Version> accepted = new ArrayList<>();
    for (Version candidate : candidates) {
      if (contains(candidate)) {
        accepted.add(candidate);
      }
    }
    if (accepted.isEmpty()) {
      for (Version candidate : candidates) {
        if (containsAllowingPrereleases(candidate)) {
          accepted.add(candidate);
        }
      }
    }
    return accepted;
  }

  /** @throws PepSyntaxException when the text is not a PEP 440 specifier set */
  static VersionConstraint parsePep440(String text) {
    return SpecifierConstraint.parsePep440(text);
  }

  /** @throws PepSyntaxException when the text is not a Poetry constraint */
  static VersionConstraint parsePoetry(String text) {
    return SpecifierConstraint.parsePoetry(text);
  }
}
