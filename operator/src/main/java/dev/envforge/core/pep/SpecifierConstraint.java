package dev.envforge.core.pep;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A version constraint as a union of conjunctions of PEP 440 clauses: a PEP 440 specifier set is one conjunction, a
 * Poetry constraint ({@code >=1,<1.5 || ^2}) one per alternative, with {@code ^}/{@code ~} expanded to a
 * {@code >=}/{@code <} pair as poetry-core does.
 *
 * <p>Pre-releases: a PEP 440 set follows the 'packaging' library's {@code SpecifierSet.contains}: a pre-release (or dev
 * release) is contained only when some clause other than {@code !=} names a pre-release ({@code >=1.0b1} admits
 * 1.0rc1, {@code >=1.0} does not admit 2.0a1). A Poetry constraint has no such filter, like poetry-core's
 * {@code allows}: {@code >=1.0} admits 2.0a1. The exclusive bounds keep their PEP 440 rules in both: {@code <2}
 * never admits 2.0a1, {@code >1.7} never admits 1.7.post1.
 *
 * @param alternatives the conjunctions, any of which may hold; a conjunction with no clause holds for every version
 * @param prereleaseFilter whether the PEP 440 pre-release rule above applies
 */
public record SpecifierConstraint(List<List<Specifier>> alternatives, boolean prereleaseFilter)
    implements VersionConstraint {

  public SpecifierConstraint {
    List<List<Specifier>> copies = new java.util.ArrayList<>(alternatives.size());
    for (List<Specifier> alternative : alternatives) {
      copies.add(List.copyOf(alternative)); // a loop, not a stream: locks make thousands, mostly on a cold JVM
    }
    alternatives = List.copyOf(copies);
  }

  /** Parses a PEP 440 specifier set (an empty text is the set of all final versions). */
  public static SpecifierConstraint parsePep440(String text) {
    if (text == null) {
      throw new PepSyntaxException("Specifier is missing", "", 0);
    }
    return new SpecifierConstraint(List.of(SpecifierParser.parseSpecifierSet(text, 0, text.length())), true);
  }

  /** Parses a Poetry constraint; {@code *} and an empty text hold for every version. */
  public static SpecifierConstraint parsePoetry(String text) {
    if (text == null) {
      throw new PepSyntaxException("Constraint is missing", "", 0);
    }
    String trimmed = text.trim();
    if (trimmed.isEmpty() || trimmed.equals("*")) {
      return new SpecifierConstraint(List.of(List.of()), false);
    }
    return new SpecifierConstraint(SpecifierParser.parsePoetry(text), false);
  }

  @Override
  public boolean contains(Version version) {
    if (prereleaseFilter && version.isPrerelease() && !namesPrerelease()) {
      return false;
    }
    return containsAllowingPrereleases(version);
  }

  @Override
  public boolean containsAllowingPrereleases(Version version) {
    for (List<Specifier> conjunction : alternatives) {
      if (allMatch(conjunction, version)) {
        return true;
      }
    }
    return false;
  }

  private static boolean allMatch(List<Specifier> conjunction, Version version) {
    for (Specifier clause : conjunction) {
      if (!clause.matches(version)) {
        return false;
      }
    }
    return true;
  }

  /** Whether some clause names a pre-release, which lets pre-releases in under the PEP 440 rule. */
  public boolean namesPrerelease() {
    for (List<Specifier> conjunction : alternatives) {
      for (Specifier clause : conjunction) {
        if (clause.allowsPrereleases()) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether the constraint holds for every version (ignoring the pre-release filter). */
  public boolean isAny() {
    return alternatives.stream().anyMatch(List::isEmpty);
  }

  /**
   * The normalized form: clauses joined by ',' and alternatives by ' || ', Poetry's {@code ^}/{@code ~} written out
   * ({@code ^1.2} prints as {@code >=1.2,<2.0}).
   */
  @Override
  public String toString() {
    return alternatives.stream()
        .map(conjunction -> conjunction.stream().map(Specifier::toString).collect(Collectors.joining(",")))
        .map(s -> s.isEmpty() && !prereleaseFilter ? "*" : s)
        .collect(Collectors.joining(" || "));
  }
}
