package dev.envforge.core.pep;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/** The parsed forms of a {@link Marker}. */
final class MarkerExpression {
  private MarkerExpression() {}

  /** The marker that always holds. */
  enum AlwaysTrue implements Marker {
    INSTANCE;

    @Override
    public boolean evaluate(MarkerEnvironment environment, Set<String> extras) {
      return true;
    }

    @Override
    public boolean evaluate(MarkerEnvironment environment, Set<String> extras, Set<String> dependencyGroups) {
      return true;
    }

    @Override
    public String toString() {
      return "";
    }
  }

  /** Holds when any operand holds. */
  record Or(List<Marker> operands) implements Marker {
    Or {
      operands = List.copyOf(operands);
    }

    @Override
    public boolean evaluate(MarkerEnvironment environment, Set<String> extras) {
      return evaluate(environment, extras, Set.of());
    }

    @Override
    public boolean evaluate(MarkerEnvironment environment, Set<String> extras, Set<String> dependencyGroups) {
      for (Marker operand : operands) {
        if (operand.evaluate(environment, extras, dependencyGroups)) {
          return true;
        }
      }
      return false;
    }

    @Override
    public String toString() {
      return operands.stream().map(Marker::toString).collect(Collectors.joining(" or "));
    }
  }

  /** Holds when every operand holds. */
  record And(List<Marker> operands) implements Marker {
    And {
      operands = List.copyOf(operands);
    }

    @Override
    public boolean evaluate(MarkerEnvironment environment, Set<String> extras) {
      return evaluate(environment, extras, Set.of());
    }

    @Override
    public boolean evaluate(MarkerEnvironment environment, Set<String> extras, Set<String> dependencyGroups) {
      for (Marker operand : operands) {
        if (!operand.evaluate(environment, extras, dependencyGroups)) {
          return false;
        }
      }
      return true;
    }

    @Override
    public String toString() {
      return operands.stream()
          .map(operand -> operand instanceof Or ? "(" + operand + ")" : operand.toString())
          .collect(Collectors.joining(" and "));
    }
  }

  /** One side of a comparison: a marker variable (by its PEP 508 name) or a string literal. */
  record Operand(String value, boolean variable) {
    /** The variables 'packaging' 26 compares as versions, {@code platform_release} included. */
    boolean isVersion() {
      return variable && (value.equals("python_version") || value.equals("python_full_version")
          || value.equals("implementation_version") || value.equals("platform_release"));
    }

    /** {@code extra}: the extra the dependency is evaluated for, a set of requested extras here. */
    boolean isExtra() {
      return variable && value.equals("extra");
    }

    /** The PEP 751 set variables, tested with {@code "name" in extras}. */
    boolean isSet() {
      return variable && (value.equals("extras") || value.equals("dependency_groups"));
    }

    String resolve(MarkerEnvironment environment) {
      if (!variable) {
        return value;
      }
      String resolved = environment.get(value);
      return resolved == null ? "" : resolved;
    }

    @Override
    public String toString() {
      if (variable) {
        return value;
      }
      return value.indexOf('"') >= 0 ? "'" + value + "'" : "\"" + value + "\"";
    }
  }

  /**
   * {@code left op right}, evaluated as 'packaging' 26 does: on a version variable the comparison is the PEP 440
   * clause {@code op right} applied to {@code left} with pre-releases allowed, false when {@code left} is not a
   * version; when {@code op right} is no clause, and on every other variable, {@code ==}/{@code !=} compare strings,
   * {@code <=}/{@code >=} mean {@code ==}, {@code <}/{@code >} are false, and {@code in}/{@code not in} test
   * substrings. The clause and version of literal operands are worked out once.
   */
  static final class Comparison implements Marker {
    private final Operand left;
    private final String operator;
    private final Operand right;
    private final boolean versionComparison;
    private final Specifier literalClause;
    private final Version literalLeftVersion;

    Comparison(Operand left, String operator, Operand right) {
      this.left = left;
      this.operator = operator;
      this.right = right;
      this.versionComparison = left.isVersion() || right.isVersion();
      this.literalClause = versionComparison && !right.variable() ? clause(operator, right.value()) : null;
      this.literalLeftVersion = versionComparison && !left.variable() ? Version.tryParse(left.value()) : null;
    }

    Operand left() {
      return left;
    }

    String operator() {
      return operator;
    }

    Operand right() {
      return right;
    }

    /** Whether {@code operator + value} is a PEP 440 clause, as a version comparison needs. */
    static boolean isVersionClause(String operator, String value) {
      return clause(operator, value) != null;
    }

    private static Specifier clause(String operator, String value) {
      Specifier.Operator op = Specifier.Operator.fromSymbol(operator);
      if (op == null) {
        return null; // in, not in
      }
      String text = operator + value;
      try {
        return SpecifierParser.parseClause(text, 0, text.length(), false);
      } catch (PepSyntaxException e) {
        return null;
      }
    }

    @Override
    public boolean evaluate(MarkerEnvironment environment, Set<String> extras) {
      return evaluate(environment, extras, Set.of());
    }

    @Override
    public boolean evaluate(MarkerEnvironment environment, Set<String> extras, Set<String> dependencyGroups) {
      if (left.isSet() || right.isSet()) {
        return evaluateSetTest(extras, dependencyGroups);
      }
      if (left.isExtra() || right.isExtra()) {
        return evaluateExtra(extras);
      }
      String l = left.resolve(environment);
      String r = right.resolve(environment);
      if (versionComparison) {
        Specifier clause = right.variable() ? clause(operator, r) : literalClause;
        if (clause != null) {
          if (clause.operator() == Specifier.Operator.ARBITRARY) {
            return l.toLowerCase(Locale.ROOT).equals(clause.text().toLowerCase(Locale.ROOT));
          }
          Version version = left.variable() ? Version.tryParse(l) : literalLeftVersion;
          return version != null && clause.matches(version);
        }
      }
      return compareStrings(operator, l, r);
    }

    /**
     * The string operators of 'packaging'; {@code ~=} and {@code ===}, which it cannot evaluate on strings, are false
     * (the parser refuses them where they could never be evaluated).
     */
    private static boolean compareStrings(String operator, String l, String r) {
      return switch (operator) {
        case "==", "<=", ">=" -> l.equals(r);
        case "!=" -> !l.equals(r);
        case "in" -> r.contains(l);
        case "not in" -> !r.contains(l);
        default -> false;
      };
    }

    /**
     * {@code extra} against the requested extras: the marker holds when it holds for one of them ("" when none is
     * requested), and its negations ({@code !=}, {@code not in}) when the positive form holds for none. Names are
     * PEP 685-normalized.
     */
    private boolean evaluateExtra(Set<String> extras) {
      String literal = PackageNames.normalize(left.isExtra() ? right.value() : left.value());
      String positive = switch (operator) {
        case "!=" -> "==";
        case "not in" -> "in";
        default -> operator;
      };
      boolean any = false;
      for (String extra : extras == null || extras.isEmpty() ? Set.of("") : extras) {
        String value = PackageNames.normalize(extra);
        String l = left.isExtra() ? value : literal;
        String r = left.isExtra() ? literal : value;
        if (compareStrings(positive, l, r)) {
          any = true;
          break;
        }
      }
      return positive.equals(operator) == any;
    }

    private boolean evaluateSetTest(Set<String> extras, Set<String> dependencyGroups) {
      Operand set = left.isSet() ? left : right;
      Operand member = left.isSet() ? right : left;
      if (member.variable()) {
        return false;
      }
      Set<String> values = set.value().equals("dependency_groups") ? dependencyGroups : extras;
      boolean contained = containsNormalized(values, PackageNames.normalize(member.value()));
      return switch (operator) {
        case "in" -> contained;
        case "not in" -> !contained;
        case "!=" -> true; // a string is never equal to a set
        default -> false;
      };
    }

    private static boolean containsNormalized(Set<String> values, String normalized) {
      if (values == null || values.isEmpty()) {
        return false;
      }
      if (values.contains(normalized)) {
        return true;
      }
      for (String value : values) {
        if (PackageNames.normalize(value).equals(normalized)) {
          return true;
        }
      }
      return false;
    }

    @Override
    public boolean equals(Object obj) {
      return obj instanceof Comparison other && left.equals(other.left) && operator.equals(other.operator)
          && right.equals(other.right);
    }

    @Override
    public int hashCode() {
      return Objects.hash(left, operator, right);
    }

    @Override
    public String toString() {
      return left + " " + operator + " " + right;
    }
  }
}
