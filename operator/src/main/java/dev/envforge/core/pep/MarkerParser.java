package dev.envforge.core.pep;

import dev.envforge.core.pep.MarkerExpression.Comparison;
import dev.envforge.core.pep.MarkerExpression.Operand;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Recursive-descent parser for PEP 508 markers: {@code or} binds weaker than {@code and}, parentheses group, at most
 * {@link #MAX_NESTING} deep. As in PEP 508 and the 'packaging' library, whitespace is a space or a tab, keywords are
 * lower case, and a quoted string holds no backslash or line break.
 */
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
  /** How deep parentheses may nest; real markers nest a few levels, and the parser recurses once per level. */
  static final int MAX_NESTING = 100;

  private final String text;
  private int pos;
  private int depth;

  private MarkerParser(String text) {
    this.text = text;
  }

  static Marker parse(String text) {
    if (text == null) {
      throw new PepSyntaxException("Marker is missing", "", 0);
    }
    refuseControlCharacters(text);
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

  /**
   * Refuses line breaks, control characters and whitespace other than space and tab anywhere in a marker or
   * requirement: PEP 508 knows only spaces and tabs as whitespace ('packaging' refuses the rest, but for one line
   * break at the very end, which its end-of-text pattern lets through).
   */
  static void refuseControlCharacters(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
        throw new PepSyntaxException("Unexpected line break", text, i);
      }
      if (!isBlank(c) && (Character.isISOControl(c) || Character.isWhitespace(c) || Character.isSpaceChar(c))) {
        throw new PepSyntaxException(String.format("Unexpected character U+%04X (PEP 508 allows spaces and tabs)",
            (int) c), text, i);
      }
    }
  }

  private Marker parseAtom() {
    skipBlanks();
    if (pos < text.length() && text.charAt(pos) == '(') {
      if (depth == MAX_NESTING) {
        throw error("Parentheses nested more than " + MAX_NESTING + " deep");
      }
      depth++;
      int open = pos++;
      Marker inner = parseOr();
      depth--;
      skipBlanks();
      if (pos >= text.length() || text.charAt(pos) != ')') {
        throw new PepSyntaxException(pos >= text.length() ? "Unclosed '('" : "Expected ')'", text,
            pos >= text.length() ? open : pos);
      }
      pos++;
      return inner;
    }
    skipBlanks();
    int leftAt = pos;
    Operand left = operand();
    skipBlanks();
    int operatorAt = pos;
    String operator = operator();
    skipBlanks();
    int rightAt = pos;
    Operand right = operand();
    checkComparison(left, operator, right, leftAt, operatorAt, rightAt);
    return new Comparison(left, operator, right);
  }

  /**
   * Refuses the comparisons 'packaging' cannot evaluate whatever the environment: two strings or two variables, a set
   * variable not tested with {@code in}, and {@code ~=}/{@code ===} where no version comparison is possible.
   */
  private void checkComparison(Operand left, String operator, Operand right, int leftAt, int operatorAt,
      int rightAt) {
    if (!left.variable() && !right.variable()) {
      throw new PepSyntaxException("A marker comparison needs a marker variable on one side", text, leftAt);
    }
    if (left.variable() && right.variable()) {
      throw new PepSyntaxException("A marker comparison needs a quoted string on one side", text, rightAt);
    }
    Operand variable = left.variable() ? left : right;
    if (variable.isSet()) {
      if (left.isSet() || operator.equals("~=") || operator.equals("===")) {
        throw new PepSyntaxException("'" + variable.value() + "' is a set: test it as \"name\" in "
            + variable.value() + " or \"name\" not in " + variable.value(), text, left.isSet() ? leftAt : operatorAt);
      }
      return;
    }
    if (variable.isVersion() && !operator.equals("===") && !operator.endsWith("in")) {
      refuseTooLargeNumbers(left.variable() ? right : left, left.variable() ? rightAt : leftAt);
    }
    if (!operator.equals("~=") && !operator.equals("===")) {
      return;
    }
    if (!variable.isVersion()) {
      throw new PepSyntaxException("'" + operator + "' compares versions, and " + variable.value()
          + " is not a version variable", text, operatorAt);
    }
    if (left.variable() && !Comparison.isVersionClause(operator, right.value())) {
      throw new PepSyntaxException("'" + operator + "' needs a version: '" + operator
          + PepSyntaxException.shorten(right.value())
          + "' is not a PEP 440 clause", text, rightAt);
    }
  }

  /** A version compared with a version variable holds no number envforge cannot read (see {@link Version}). */
  private void refuseTooLargeNumbers(Operand literal, int at) {
    String value = literal.value();
    int run = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      run = c >= '0' && c <= '9' ? (run == 0 && c == '0' ? 0 : run + 1) : 0;
      if (run > Version.MAX_DIGITS) {
        int start = i - Version.MAX_DIGITS;
        throw new PepSyntaxException(Version.TOO_LARGE, text, at + 1 + start);
      }
    }
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
      for (int i = pos + 1; i < close; i++) {
        if (text.charAt(i) == '\\') {
          // PEP 508 strings have no escapes; 'packaging' reads them as Python literals and refuses most.
          throw new PepSyntaxException("A backslash is not allowed in a marker string", text, i);
        }
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
      throw new PepSyntaxException("Unknown marker variable '" + PepSyntaxException.shorten(name) + "'", text, start);
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
      boolean spaced = pos < text.length() && isBlank(text.charAt(pos));
      if (spaced && keyword("in")) {
        return "not in";
      }
      throw new PepSyntaxException("Expected 'in' after 'not'", text, notAt);
    }
    throw error("Expected a comparison operator (==, !=, <, <=, >, >=, ~=, ===, in, not in)");
  }

  /** Consumes the keyword (lower case, as PEP 508 writes it) when it comes next as a whole word. */
  private boolean keyword(String word) {
    skipBlanks();
    int end = pos + word.length();
    if (text.startsWith(word, pos)
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
    while (pos < text.length() && isBlank(text.charAt(pos))) {
      pos++;
    }
  }

  /** PEP 508 whitespace: a space or a tab. */
  static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }

  private PepSyntaxException error(String message) {
    return new PepSyntaxException(message, text, pos);
  }
}
