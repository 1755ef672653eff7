package dev.envforge.core.pep;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A PEP 508 environment marker.
 *
 * <p>Comparisons of {@code python_version}, {@code python_full_version} and {@code implementation_version} are
 * version comparisons when the operator and the right-hand side form a valid PEP 440 clause and the left-hand side is
 * a valid version (pre-releases allowed, so {@code python_full_version >= "3.13.0rc1"} holds for 3.13.0rc2; a
 * wildcard such as {@code python_version == "3.*"} is a prefix match); everything else compares as strings,
 * {@code platform_release} included ({@code in} is substring). The 'packaging' library since version 22 also reads
 * {@code platform_release} as a version; envforge's targets have an empty {@code platform_release}, for which both
 * readings agree on the {@code >=} tests found in real lock files.
 * {@code extra} is a set test: {@code extra == "x"} holds iff x (PEP 685-normalized) is one of the requested extras,
 * {@code extra != "x"} is its negation. The PEP 751 variables {@code extras} and {@code dependency_groups} are sets
 * tested with {@code "x" in extras}. The legacy dotted names ({@code os.name}, {@code sys.platform},
 * {@code platform.machine}, {@code platform.version}, {@code platform.python_implementation}) and
 * {@code python_implementation} are read as their PEP 508 names.
 */
public interface Marker {
  /**
   * Evaluates the marker. {@code extras} is the set of extras requested of the package whose dependency carries the
   * marker: {@code extra == "x"} is true iff x (PEP 685-normalized) is in it.
   */
  boolean evaluate(MarkerEnvironment environment, Set<String> extras);

  /**
   * Evaluates the marker with the PEP 751 {@code dependency_groups} set as well (pylock.toml markers such as
   * {@code "dev" in dependency_groups}); {@code extras} is also the value of the PEP 751 {@code extras} variable.
   */
  default boolean evaluate(MarkerEnvironment environment, Set<String> extras, Set<String> dependencyGroups) {
    return evaluate(environment, extras);
  }

  /** The marker that always holds: the marker of a requirement without one. Prints as an empty string. */
  Marker TRUE = MarkerExpression.AlwaysTrue.INSTANCE;

  /** @throws PepSyntaxException when the text is not a PEP 508 marker */
  static Marker parse(String text) {
    return MarkerParser.parse(text);
  }

  /**
   * Both markers; {@link #TRUE} operands are dropped, and conjunctions are flattened into one, so that markers joined
   * along a long dependency chain stay one level deep (evaluating and printing recurse once per level).
   */
  static Marker and(Marker first, Marker second) {
    if (first == TRUE) {
      return second;
    }
    if (second == TRUE) {
      return first;
    }
    List<Marker> operands = new ArrayList<>();
    for (Marker marker : List.of(first, second)) {
      if (marker instanceof MarkerExpression.And and) {
        operands.addAll(and.operands());
      } else {
        operands.add(marker);
      }
    }
    return new MarkerExpression.And(operands);
  }
}
