package dev.envforge.core.pep;

import dev.envforge.core.pep.MarkerExpression.Comparison;
import dev.envforge.core.pep.MarkerExpression.Operand;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Recursive-descent parser for PEP 508 markers: {@code or} binds weaker than {@code and}, parentheses group. */
final class MarkerParser {
  private static final Map<String, String> VARIABLES = Map.ofEntries(
      Map.entry("python_version", "python_version"),
      Map.entry("python_full_version", "python_full_version"),
      Map.entry("sys_platform", "sys_platform"),
      Map.entry("platform_system", "platform_system"),
      Map.entry("platform_machine", "platform_machine"),
      Map.entry("os_name", "os_name"),
      Map.entry("implementation_name", "implementation_name"),
      Map.entry("platform_python_implementation", "platform_python_implementation"),
      Map.entry("implementation_version", "implementation_version"),
      Map.entry("platform_release", "platform_release"),
      Map.entry("platform_version", "platform_version"),
      Map.entry("extra", "extra"),
      Map.entry("extras", "extras"),
      Map.entry("dependency_groups", "dependency_groups"),
      // Legacy names from PEP 345 and early setuptools, still read by 'packaging'.
      Map.entry("os.name", "os_name"),
      Map.entry("sys.platform", "sys_platform"),
      Map.entry("platform.version", "platform_version"),
      Map.entry("platform.machine", "platform_machine"),
      Map.entry("platform.python_implementation", "platform_python_implementation"),
      Map.entry("python_implementation", "platform_python_implementation"));
  private static final String[] OPERATORS = {"===", "==", "!=", "<=", ">=", "~=", "<", ">"};

  private final String text;
  private int pos;

  private MarkerParser(String text) {
    this.text = text;
  }

  static Marker parse(String text) {
    if (text == null) {
      throw new PepSyntaxException("Marker is missing", "", 0);
    }
    MarkerParser parser = new MarkerParser(text);
    parser.skipBlanks();
    if (parser.pos == text.length()) {
      throw new PepSyntaxException("Empty marker", text, parser.pos);
    }
    Marker marker = parser.parseOr();
    parser.skipBlanks();
    if (parser.pos < text.length()) {
      throw parser.error(text.charAt(parser.pos) == ')' ? "Unbalanced ')'" : "Expected 'and', 'or' or the end");
    }
    return marker;
  }

  private Marker parseOr() {
    List<Marker> operands = new ArrayList<>();
    addFlattened(operands, parseAnd(), MarkerExpression.Or.class);
    while (keyword("or")) {
      addFlattened(operands, parseAnd(), MarkerExpression.Or.class);
    }
    return operands.size() == 1 ? operands.get(0) : new MarkerExpression.Or(operands);
  }

  private Marker parseAnd() {
    List<Marker> operands = new ArrayList<>();
    addFlattened(operands, parseAtom(), MarkerExpression.And.class);
    while (keyword("and")) {
      addFlattened(operands, parseAtom(), MarkerExpression.And.class);
    }
    return operands.size() == 1 ? operands.get(0) : new MarkerExpression.And(operands);
  }

  /** {@code (a and b) and c} is {@code a and b and c}: one level per operator keeps equal markers equal. */
  private static void addFlattened(List<Marker> operands, Marker operand, Class<? extends Marker> kind) {
    if (operand instanceof MarkerExpression.And and && kind == MarkerExpression.And.class) {
      operands.addAll(and.operands());
    } else if (operand instanceof MarkerExpression.Or or && kind == MarkerExpression.Or.class) {
      operands.addAll(or.operands());
    } else {
      operands.add(operand);
    }
  }

  private Marker parseAtom() {
    skipBlanks();
    if (pos < text.length() && text.charAt(pos) == '(') {
      int open = pos++;
      Marker inner = parseOr();
      skipBlanks();
      if (pos >= text.length() || text.charAt(pos) != ')') {
        throw new PepSyntaxException(pos >= text.length() ? "Unclosed '('" : "Expected ')'", text,
            pos >= text.length() ? open : pos);
      }
      pos++;
      return inner;
    }
    Operand left = operand();
    String operator = operator();
    Operand right = operand();
    return new Comparison(left, operator, right);
  }

  private Operand operand() {
    skipBlanks();
    if (pos >= text.length()) {
      throw error("Expected a marker variable or a quoted string");
    }
    char c = text.charAt(pos);
    if (c == '"' || c == '\'') {
      int close = text.indexOf(c, pos + 1);
      if (close < 0) {
        throw error("Unterminated string");
      }
      String value = text.substring(pos + 1, close);
      pos = close + 1;
      return new Operand(value, false);
    }
    int start = pos;
    while (pos < text.length() && isNameChar(text.charAt(pos))) {
      pos++;
    }
    if (start == pos) {
      throw error("Expected a marker variable or a quoted string");
    }
    String name = text.substring(start, pos);
    String canonical = VARIABLES.get(name);
    if (canonical == null) {
      throw new PepSyntaxException("Unknown marker variable '" + name + "'", text, start);
    }
    return new Operand(canonical, true);
  }

  private String operator() {
    skipBlanks();
    for (String operator : OPERATORS) {
      if (text.startsWith(operator, pos)) {
        pos += operator.length();
        return operator;
      }
    }
    if (keyword("in")) {
      return "in";
    }
    int notAt = pos;
    if (keyword("not")) {
      if (keyword("in")) {
        return "not in";
      }
      throw new PepSyntaxException("Expected 'in' after 'not'", text, notAt);
    }
    throw error("Expected a comparison operator (==, !=, <, <=, >, >=, ~=, ===, in, not in)");
  }

  /** Consumes the keyword (any case) when it comes next as a whole word. */
  private boolean keyword(String word) {
    skipBlanks();
    int end = pos + word.length();
    if (text.regionMatches(true, pos, word, 0, word.length())
        && (end == text.length() || !isNameChar(text.charAt(end)))) {
      pos = end;
      return true;
    }
    return false;
  }

  private static boolean isNameChar(char c) {
    return c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '.');
  }

  private void skipBlanks() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private PepSyntaxException error(String message) {
    return new PepSyntaxException(message, text, pos);
  }
}
