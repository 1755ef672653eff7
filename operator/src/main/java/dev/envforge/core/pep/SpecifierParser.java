package dev.envforge.core.pep;

import dev.envforge.core.pep.Specifier.Operator;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Parses PEP 440 clauses and Poetry constraints, reporting offsets into the whole text. */
final class SpecifierParser {
  private static final String[] PEP440_OPERATORS = {"===", "~=", "==", "!=", "<=", ">=", "<", ">"};
  private static final Pattern POETRY_ANY = Pattern.compile("v?[xX*](?:\\.[xX*])*");
  private static final Pattern POETRY_WILDCARD_SUFFIX = Pattern.compile("(?:\\.[xX*])+$");

  private SpecifierParser() {}

  /** A comma-separated PEP 440 specifier set; empty clauses are skipped as 'packaging' does. */
  static List<Specifier> parseSpecifierSet(String text, int start, int end) {
    List<Specifier> clauses = new ArrayList<>();
    int clauseStart = start;
    for (int i = start; i <= end; i++) {
      if (i == end || text.charAt(i) == ',') {
        if (!isBlank(text, clauseStart, i)) {
          clauses.add(parseClause(text, clauseStart, i, false));
        }
        clauseStart = i + 1;
      }
    }
    return clauses;
  }

  /** One PEP 440 clause in {@code text[start, end)}; {@code lenient} is Poetry's tolerance of odd combinations. */
  static Specifier parseClause(String text, int start, int end, boolean lenient) {
    start = skipBlanks(text, start, end);
    end = trimEnd(text, start, end);
    if (start == end) {
      throw new PepSyntaxException("Expected a version clause", text, start);
    }
    String symbol = null;
    for (String candidate : PEP440_OPERATORS) {
      if (text.startsWith(candidate, start) && start + candidate.length() <= end) {
        symbol = candidate;
        break;
      }
    }
    if (symbol == null) {
      throw new PepSyntaxException("Expected an operator (==, !=, <=, >=, <, >, ~=, ===)", text, start);
    }
    return clause(text, Operator.fromSymbol(symbol), skipBlanks(text, start + symbol.length(), end), end, lenient);
  }

  private static Specifier clause(String text, Operator operator, int versionStart, int end, boolean lenient) {
    if (versionStart == end && operator != Operator.ARBITRARY) { // '===' alone matches the empty text
      throw new PepSyntaxException("Expected a version after '" + operator.symbol() + "'", text, versionStart);
    }
    for (int i = versionStart; i < end; i++) {
      if (Character.isWhitespace(text.charAt(i))) {
        throw new PepSyntaxException("Unexpected whitespace in a version", text, i);
      }
    }
    String versionText = text.substring(versionStart, end);
    if (operator == Operator.ARBITRARY) {
      int stop = indexOfAny(versionText, ";)");
      if (stop >= 0) {
        throw new PepSyntaxException("Unexpected '" + versionText.charAt(stop) + "' after '==='", text,
            versionStart + stop);
      }
      return new Specifier(operator, Version.tryParse(versionText), false, versionText);
    }
    boolean wildcard = versionText.endsWith(".*");
    String exact = wildcard ? versionText.substring(0, versionText.length() - 2) : versionText;
    Version version = version(text, versionStart, exact);
    boolean equality = operator == Operator.EQUAL || operator == Operator.NOT_EQUAL;
    if (wildcard) {
      if (!equality && !lenient) {
        throw new PepSyntaxException("'.*' is only allowed with == and !=", text, end - 2);
      }
      if (version.isPrerelease() || version.isPostrelease() || version.isLocal()) {
        throw new PepSyntaxException("'.*' may only follow a release", text, end - 2);
      }
      wildcard = equality;
    }
    if (version.isLocal() && !equality && !lenient) {
      throw new PepSyntaxException("A local version is only allowed with == and !=", text, versionStart);
    }
    if (operator == Operator.COMPATIBLE && version.releaseLength() < 2) {
      throw new PepSyntaxException("'~=' needs a version with at least two release numbers", text, versionStart);
    }
    return new Specifier(operator, version, wildcard, version.toString());
  }

  private static Version version(String text, int offset, String versionText) {
    try {
      return Version.parse(versionText);
    } catch (PepSyntaxException e) {
      throw new PepSyntaxException("Invalid PEP 440 version '" + PepSyntaxException.shorten(versionText) + "'", text,
          offset + e.offset());
    }
  }

  /** A Poetry constraint: alternatives split on '||' or '|', each a comma- or space-separated AND of clauses. */
  static List<List<Specifier>> parsePoetry(String text) {
    return parsePoetry(text, 0, text.length());
  }

  /** A Poetry constraint in {@code text[start, end)}. */
  static List<List<Specifier>> parsePoetry(String text, int start, int end) {
    List<List<Specifier>> alternatives = new ArrayList<>();
    int alternativeStart = start;
    for (int i = start; i <= end; i++) {
      if (i == end || text.charAt(i) == '|') {
        if (isBlank(text, alternativeStart, i)) {
          throw new PepSyntaxException("Empty alternative in a constraint", text, skipBlanks(text, alternativeStart, i));
        }
        alternatives.add(parsePoetryConjunction(text, alternativeStart, i));
        if (i + 1 < end && text.charAt(i + 1) == '|') {
          i++;
        }
        alternativeStart = i + 1;
      }
    }
    return alternatives;
  }

  private static List<Specifier> parsePoetryConjunction(String text, int start, int end) {
    List<Specifier> clauses = new ArrayList<>();
    int i = start;
    while (i < end) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c) || c == ',') {
        i++;
        continue;
      }
      int clauseStart = i;
      while (i < end && "<>=!~^".indexOf(text.charAt(i)) >= 0) {
        i++;
      }
      int operatorEnd = i;
      i = skipBlanks(text, i, end);
      int versionStart = i;
      while (i < end && !Character.isWhitespace(text.charAt(i)) && text.charAt(i) != ',') {
        i++;
      }
      clauses.addAll(poetryClause(text, clauseStart, operatorEnd, versionStart, i));
    }
    return clauses;
  }

  /** One Poetry clause; returns the PEP 440 clauses it means (none for '*'). */
  private static List<Specifier> poetryClause(String text, int start, int operatorEnd, int versionStart, int end) {
    String symbol = text.substring(start, operatorEnd);
    String versionText = text.substring(versionStart, end);
    if (symbol.isEmpty() && POETRY_ANY.matcher(versionText).matches()) {
      return List.of();
    }
    if (versionStart == end) {
      throw new PepSyntaxException("Expected a version after '" + symbol + "'", text, versionStart);
    }
    switch (symbol) {
      case "^" -> {
        Version version = version(text, versionStart, versionText);
        return List.of(Specifier.of(Operator.GREATER_EQUAL, version),
            Specifier.of(Operator.LESS, caretBound(version)));
      }
      case "~" -> {
        Version version = version(text, versionStart, versionText);
        Version high = version.releaseLength() == 1 ? version.bump(0) : version.bump(1);
        return List.of(Specifier.of(Operator.GREATER_EQUAL, version), Specifier.of(Operator.LESS, high));
      }
      case "~=" -> {
        Version version = version(text, versionStart, versionText);
        if (version.releaseLength() == 1) { // Poetry reads ~=1 as >=1,<1.1
          return List.of(Specifier.of(Operator.GREATER_EQUAL, version),
              Specifier.of(Operator.LESS, version.bump(1)));
        }
        return List.of(clause(text, Operator.COMPATIBLE, versionStart, end, true));
      }
      default -> {
        Operator operator = switch (symbol) {
          case "", "=" -> Operator.EQUAL;
          case "<>" -> Operator.NOT_EQUAL;
          default -> Operator.fromSymbol(symbol);
        };
        if (operator == null) {
          throw new PepSyntaxException("Unknown operator '" + PepSyntaxException.shorten(symbol) + "'", text, start);
        }
        // Poetry writes wildcards as .*, .x or .X; the clause parser knows only .*.
        var suffix = POETRY_WILDCARD_SUFFIX.matcher(versionText);
        if (suffix.find() && operator != Operator.ARBITRARY) {
          String prefix = versionText.substring(0, suffix.start());
          String rewritten = text.substring(0, versionStart) + prefix + ".*" + text.substring(end);
          return List.of(clause(rewritten, operator, versionStart, versionStart + prefix.length() + 2, true));
        }
        return List.of(clause(text, operator, versionStart, end, true));
      }
    }
  }

  /** Poetry's next breaking version: bump the first non-zero of major/minor/patch as written. */
  private static Version caretBound(Version version) {
    if (version.major() > 0 || version.releaseLength() == 1) {
      return version.bump(0);
    }
    if (version.minor() > 0 || version.releaseLength() == 2) {
      return version.bump(1);
    }
    return version.bump(2);
  }

  private static int indexOfAny(String text, String chars) {
    for (int i = 0; i < text.length(); i++) {
      if (chars.indexOf(text.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }

  static boolean isBlank(String text, int start, int end) {
    return skipBlanks(text, start, end) == end;
  }

  static int skipBlanks(String text, int start, int end) {
    while (start < end && Character.isWhitespace(text.charAt(start))) {
      start++;
    }
    return start;
  }

  static int trimEnd(String text, int start, int end) {
    while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
      end--;
    }
    return end;
  }
}
