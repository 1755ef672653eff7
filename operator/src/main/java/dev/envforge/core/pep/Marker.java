package dev.envforge.core.pep;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A PEP 508 environment marker, read and evaluated as the 'packaging' library 26 does.
 *
 * <p>On {@code python_version}, {@code python_full_version}, {@code implementation_version} and
 * {@code platform_release} a comparison is the PEP 440 clause {@code op value} applied with pre-releases allowed
 * ({@code python_full_version >= "3.13.0rc1"} holds for 3.13.0rc2; {@code python_version == "3.*"} is a prefix match),
 * false when the variable's value is not a version (an empty {@code platform_release}). When {@code op value} is no
 * clause, and on every other variable, {@code ==}/{@code !=} compare strings, {@code <=}/{@code >=} mean {@code ==},
 * {@code <}/{@code >} are false and {@code in}/{@code not in} test substrings.
 * {@code extra} is tested against each requested extra (PEP 685-normalized; "" when none is requested):
 * {@code extra == "x"} holds iff x is requested, {@code extra != "x"} is its negation. The PEP 751 variables
 * {@code extras} and {@code dependency_groups} are sets tested with {@code "x" in extras}. The legacy dotted names
 * ({@code os.name}, {@code sys.platform}, {@code platform.machine}, {@code platform.version},
 * {@code platform.python_implementation}) and {@code python_implementation} are read as their PEP 508 names.
 * Comparisons 'packaging' can never evaluate are refused when parsing (see {@code MarkerParser}).
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
