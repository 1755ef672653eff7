package dev.envforge.core.pep;

import java.util.List;
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
    /** The variables PEP 508 compares as versions when both sides are versions. */
    boolean isVersion() {
      return variable && (value.equals("python_version") || value.equals("python_full_version")
          || value.equals("implementation_version"));
    }

    boolean isSet() {
      return variable && (value.equals("extra") || value.equals("extras") || value.equals("dependency_groups"));
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

  /** {@code left op right}, with the version clause and version of literal operands worked out once. */
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
      this.literalClause = right.variable() ? null : clause(operator, right.value());
      this.literalLeftVersion = left.variable() ? null : Version.tryParse(left.value());
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
      String l = left.resolve(environment);
      String r = right.resolve(environment);
      switch (operator) {
        case "in":
          return r.contains(l);
        case "not in":
          return !r.contains(l);
        default:
          break;
      }
      if (!versionComparison) {
        return compareStrings(l, r);
      }
      Specifier clause = right.variable() ? clause(operator, r) : literalClause;
      Version version = left.variable() ? Version.tryParse(l) : literalLeftVersion;
      if (clause != null && version != null) {
        return clause.matches(version);
      }
      return compareStrings(l, r);
    }

    private boolean compareStrings(String l, String r) {
      int c = l.compareTo(r);
      return switch (operator) {
        case "==", "===" -> c == 0;
        case "!=" -> c != 0;
        case "<" -> c < 0;
        case "<=" -> c <= 0;
        case ">" -> c > 0;
        case ">=" -> c >= 0;
        default -> false; // ~= between strings that are not versions is undefined
      };
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
        case "==", "in" -> contained;
        case "!=", "not in" -> !contained;
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
