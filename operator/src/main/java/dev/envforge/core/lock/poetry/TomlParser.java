package dev.envforge.core.lock.poetry;

import dev.envforge.core.lock.poetry.TomlDoc.Array;
import dev.envforge.core.lock.poetry.TomlDoc.Table.Origin;
import dev.envforge.core.lock.poetry.TomlDoc.Table;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fast reader for valid TOML 1.0. It never reports errors itself: on anything it is not sure about (a syntax
 * error, a table layout it does not track) it throws {@link Unsupported}, and {@link TomlDoc} lets tomlj decide.
 */
final class TomlParser {
  /** The text needs the full parser; thrown without a stack trace, as a signal. */
  static final class Unsupported extends RuntimeException {
    Unsupported() {
      super(null, null, false, false);
    }
  }

  private static final Unsupported UNSUPPORTED = new Unsupported();
  private static final Pattern DECIMAL_INTEGER = Pattern.compile("[+-]?(0|[1-9](_?[0-9])*)");
  private static final Pattern PREFIXED_INTEGER =
      Pattern.compile("0x[0-9A-Fa-f](_?[0-9A-Fa-f])*|0o[0-7](_?[0-7])*|0b[01](_?[01])*");
  private static final Pattern FLOAT = Pattern.compile(
      "[+-]?(0|[1-9](_?[0-9])*)((\\.[0-9](_?[0-9])*)([eE][+-]?[0-9](_?[0-9])*)?|[eE][+-]?[0-9](_?[0-9])*)");
  private static final Pattern SPECIAL_FLOAT = Pattern.compile("[+-]?(inf|nan)");
  private static final Pattern LOCAL_DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
  private static final Pattern LOCAL_TIME = Pattern.compile("[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?");
  private static final Pattern DATE_TIME = Pattern.compile(
      "([0-9]{4}-[0-9]{2}-[0-9]{2})[Tt]([0-9]{2}:[0-9]{2}:[0-9]{2}(?:\\.[0-9]+)?)([Zz]|[+-][0-9]{2}:[0-9]{2})?");

  private final TomlDoc doc;
  private final String s;
  private final int n;
  private int i;
  private final Table root;
  private Table current;

  TomlParser(TomlDoc doc, String text) {
    this.doc = doc;
    this.s = text;
    this.n = text.length();
    this.root = new Table(doc, 0, Origin.EXPLICIT);
    this.current = root;
  }

  Table parse() {
    while (true) {
      skipSpaces();
      if (i >= n) {
        return root;
      }
      char c = s.charAt(i);
      if (c == '[') {
        header();
      } else if (c != '#' && c != '\n' && c != '\r') {
        keyValue(current);
      }
      endOfLine();
    }
  }

  private static Unsupported bail() {
    return UNSUPPORTED;
  }

  private void skipSpaces() {
    while (i < n) {
      char c = s.charAt(i);
      if (c != ' ' && c != '\t') {
        return;
      }
      i++;
    }
  }

  /** After a value or header: spaces, an optional comment, then a newline or the end. */
  private void endOfLine() {
    skipSpaces();
    if (i < n && s.charAt(i) == '#') {
      skipComment();
    }
    if (i >= n) {
      return;
    }
    newline();
  }

  private void newline() {
    char c = s.charAt(i);
    if (c == '\n') {
      i++;
    } else if (c == '\r' && i + 1 < n && s.charAt(i + 1) == '\n') {
      i += 2;
    } else {
      throw bail();
    }
  }

  private void skipComment() {
    i++;
    while (i < n) {
      char c = s.charAt(i);
      if (c == '\n' || c == '\r') {
        return;
      }
      if ((c < 0x20 && c != '\t') || c == 0x7f) {
        throw bail();
      }
      i++;
    }
  }

  /** Spaces, newlines and comments, as allowed between array elements. */
  private void skipBlank() {
    while (i < n) {
      char c = s.charAt(i);
      if (c == ' ' || c == '\t') {
        i++;
      } else if (c == '\n' || c == '\r') {
        newline();
      } else if (c == '#') {
        skipComment();
      } else {
        return;
      }
    }
  }

  private void expect(char c) {
    if (i >= n || s.charAt(i) != c) {
      throw bail();
    }
    i++;
  }

  private void header() {
    int start = i;
    i++;
    boolean arrayOfTables = i < n && s.charAt(i) == '[';
    if (arrayOfTables) {
      i++;
    }
    skipSpaces();
    List<String> key = key();
    skipSpaces();
    expect(']');
    if (arrayOfTables) {
      expect(']');
    }
    Table table = root;
    for (int k = 0; k < key.size() - 1; k++) {
      table = descend(table, key.get(k), start);
    }
    String last = key.get(key.size() - 1);
    Table.Entry existing = table.entry(last);
    if (arrayOfTables) {
      Array array;
      if (existing == null) {
        array = new Array(doc, start, true);
        table.put(last, array, start);
      } else if (existing.value() instanceof Array a && a.ofTables) {
        array = a;
      } else {
        throw bail();
      }
      Table element = new Table(doc, start, Origin.EXPLICIT);
      array.add(element, start);
      current = element;
    } else if (existing == null) {
      Table created = new Table(doc, start, Origin.EXPLICIT);
      table.put(last, created, start);
      current = created;
    } else if (existing.value() instanceof Table t && t.origin == Origin.IMPLICIT) {
      t.origin = Origin.EXPLICIT;
      t.offset = start;
      table.put(last, t, start);
      current = t;
    } else {
      throw bail();
    }
  }

  /** One step of a header's path: an existing table, the last table of an array of tables, or a new implicit one. */
  private Table descend(Table table, String key, int start) {
    Table.Entry existing = table.entry(key);
    if (existing == null) {
      Table created = new Table(doc, start, Origin.IMPLICIT);
      table.put(key, created, start);
      return created;
    }
    if (existing.value() instanceof Table t && t.origin != Origin.INLINE) {
      return t;
    }
    if (existing.value() instanceof Array a && a.ofTables) {
      return (Table) a.last();
    }
    throw bail();
  }

  private void keyValue(Table target) {
    int start = i;
    List<String> key = key();
    skipSpaces();
    expect('=');
    skipSpaces();
    Object value = value();
    Table table = target;
    for (int k = 0; k < key.size() - 1; k++) {
      Table.Entry existing = table.entry(key.get(k));
      if (existing == null) {
        Table created = new Table(doc, start, Origin.DOTTED);
        table.put(key.get(k), created, start);
        table = created;
      } else if (existing.value() instanceof Table t && t.origin == Origin.DOTTED) {
        table = t;
      } else {
        throw bail();
      }
    }
    String last = key.get(key.size() - 1);
    if (table.entry(last) != null) {
      throw bail();
    }
    table.put(last, value, start);
  }

  private List<String> key() {
    String first = simpleKey();
    skipSpaces();
    if (i >= n || s.charAt(i) != '.') {
      return List.of(first);
    }
    List<String> parts = new ArrayList<>(4);
    parts.add(first);
    while (i < n && s.charAt(i) == '.') {
      i++;
      skipSpaces();
      parts.add(simpleKey());
      skipSpaces();
    }
    return parts;
  }

  private String simpleKey() {
    if (i >= n) {
      throw bail();
    }
    char c = s.charAt(i);
    if (c == '"') {
      return basicString();
    }
    if (c == '\'') {
      return literalString();
    }
    int start = i;
    while (i < n && isBareKeyChar(s.charAt(i))) {
      i++;
    }
    if (i == start) {
      throw bail();
    }
    return s.substring(start, i);
  }

  private static boolean isBareKeyChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  }

  private Object value() {
    if (i >= n) {
      throw bail();
    }
    char c = s.charAt(i);
    switch (c) {
      case '"':
        return s.startsWith("\"\"\"", i) ? multilineBasicString() : basicString();
      case '\'':
        return s.startsWith("'''", i) ? multilineLiteralString() : literalString();
      case '[':
        return array();
      case '{':
        return inlineTable();
      case 't':
        return word("true", Boolean.TRUE);
      case 'f':
        return word("false", Boolean.FALSE);
      default:
        return number();
    }
  }

  private Object word(String word, Object value) {
    if (!s.startsWith(word, i)) {
      throw bail();
    }
    i += word.length();
    return value;
  }

  private Object number() {
    int start = i;
    while (i < n) {
      char c = s.charAt(i);
      if (isBareKeyChar(c) || c == '+' || c == '.' || c == ':') {
        i++;
      } else {
        break;
      }
    }
    String token = s.substring(start, i);
    try {
      if (DECIMAL_INTEGER.matcher(token).matches()) {
        return Long.parseLong(token.replace("_", ""));
      }
      if (PREFIXED_INTEGER.matcher(token).matches()) {
        int radix = token.charAt(1) == 'x' ? 16 : token.charAt(1) == 'o' ? 8 : 2;
        return Long.parseLong(token.substring(2).replace("_", ""), radix);
      }
      if (FLOAT.matcher(token).matches()) {
        return Double.parseDouble(token.replace("_", ""));
      }
      if (SPECIAL_FLOAT.matcher(token).matches()) {
        return token.endsWith("nan") ? Double.NaN
            : token.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
      }
    } catch (NumberFormatException e) {
      throw bail();
    }
    return dateTime(token);
  }

  /** A TOML date, time or date-time, kept in java.time's text form (as tomlj's values print). */
  private Object dateTime(String token) {
    String text = token;
    if (LOCAL_DATE.matcher(text).matches() && i + 1 < n && s.charAt(i) == ' ' && Character.isDigit(s.charAt(i + 1))) {
      // "1979-05-27 07:32:00": a space may separate date and time
      int start = ++i;
      while (i < n && (Character.isLetterOrDigit(s.charAt(i)) || "+-.:".indexOf(s.charAt(i)) >= 0)) {
        i++;
      }
      text = text + "T" + s.substring(start, i);
    }
    try {
      Matcher m = DATE_TIME.matcher(text);
      if (m.matches()) {
        String local = m.group(1) + "T" + m.group(2);
        if (m.group(3) == null) {
          return new TomlDoc.DateTime(LocalDateTime.parse(local).toString());
        }
        return new TomlDoc.DateTime(OffsetDateTime.parse(local + m.group(3).toUpperCase(Locale.ROOT)).toString());
      }
      if (LOCAL_DATE.matcher(text).matches()) {
        return new TomlDoc.DateTime(LocalDate.parse(text).toString());
      }
      if (LOCAL_TIME.matcher(text).matches()) {
        return new TomlDoc.DateTime(LocalTime.parse(text).toString());
      }
    } catch (DateTimeParseException e) {
      throw bail();
    }
    throw bail();
  }

  private Array array() {
    Array array = new Array(doc, i);
    i++;
    while (true) {
      skipBlank();
      if (i < n && s.charAt(i) == ']') {
        i++;
        return array;
      }
      int start = i;
      array.add(value(), start);
      skipBlank();
      if (i >= n) {
        throw bail();
      }
      char c = s.charAt(i);
      if (c == ',') {
        i++;
      } else if (c == ']') {
        i++;
        return array;
      } else {
        throw bail();
      }
    }
  }

  private Table inlineTable() {
    Table table = new Table(doc, i, Origin.INLINE);
    i++;
    skipSpaces();
    if (i < n && s.charAt(i) == '}') {
      i++;
      return table;
    }
    while (true) {
      skipSpaces();
      keyValue(table);
      skipSpaces();
      if (i >= n) {
        throw bail();
      }
      char c = s.charAt(i);
      if (c == ',') {
        i++;
      } else if (c == '}') {
        i++;
        closeDottedTables(table);
        return table;
      } else {
        throw bail();
      }
    }
  }

  /** Tables made by dotted keys inside an inline table are as closed as the inline table itself. */
  private static void closeDottedTables(Table table) {
    for (String key : table.keys()) {
      if (table.get(key) instanceof Table t && t.origin == Origin.DOTTED) {
        t.origin = Origin.INLINE;
        closeDottedTables(t);
      }
    }
  }

  private String basicString() {
    i++;
    int start = i;
    while (i < n) {
      char c = s.charAt(i);
      if (c == '"') {
        String plain = s.substring(start, i);
        i++;
        return plain;
      }
      if (c == '\\') {
        StringBuilder out = new StringBuilder(i - start + 16);
        out.append(s, start, i);
        return basicStringWithEscapes(out);
      }
      if (isForbiddenControl(c) || c == '\n' || c == '\r') {
        throw bail();
      }
      i++;
    }
    throw bail();
  }

  private String basicStringWithEscapes(StringBuilder out) {
    while (i < n) {
      char c = s.charAt(i);
      if (c == '"') {
        i++;
        return out.toString();
      }
      if (c == '\\') {
        escape(out);
      } else if (isForbiddenControl(c) || c == '\n' || c == '\r') {
        throw bail();
      } else {
        out.append(c);
        i++;
      }
    }
    throw bail();
  }

  private static boolean isForbiddenControl(char c) {
    return (c < 0x20 && c != '\t') || c == 0x7f;
  }

  private void escape(StringBuilder out) {
    if (i + 1 >= n) {
      throw bail();
    }
    char e = s.charAt(i + 1);
    i += 2;
    switch (e) {
      case 'b' -> out.append('\b');
      case 't' -> out.append('\t');
      case 'n' -> out.append('\n');
      case 'f' -> out.append('\f');
      case 'r' -> out.append('\r');
      case '"' -> out.append('"');
      case '\\' -> out.append('\\');
      case 'u' -> out.appendCodePoint(hex(4));
      case 'U' -> out.appendCodePoint(hex(8));
      default -> throw bail();
    }
  }

  private int hex(int digits) {
    if (i + digits > n) {
      throw bail();
    }
    int value = 0;
    for (int k = 0; k < digits; k++) {
      int d = Character.digit(s.charAt(i + k), 16);
      if (d < 0) {
        throw bail();
      }
      value = value * 16 + d;
      if (value > 0x10FFFF) {
        throw bail();
      }
    }
    if (value >= 0xD800 && value <= 0xDFFF) {
      throw bail();
    }
    i += digits;
    return value;
  }

  private String literalString() {
    i++;
    int start = i;
    while (i < n) {
      char c = s.charAt(i);
      if (c == '\'') {
        String text = s.substring(start, i);
        i++;
        return text;
      }
      if (isForbiddenControl(c) || c == '\n' || c == '\r') {
        throw bail();
      }
      i++;
    }
    throw bail();
  }

  private String multilineBasicString() {
    i += 3;
    skipFirstNewline();
    StringBuilder out = new StringBuilder();
    while (i < n) {
      char c = s.charAt(i);
      if (c == '"') {
        int quotes = quoteRun('"');
        if (quotes >= 3) {
          if (quotes > 5) {
            throw bail();
          }
          out.append("\"\"", 0, quotes - 3);
          i += quotes;
          return out.toString();
        }
        out.append("\"\"", 0, quotes);
        i += quotes;
      } else if (c == '\\') {
        if (i + 1 < n && isWhitespaceOrNewline(s.charAt(i + 1))) {
          lineEndingBackslash();
        } else {
          escape(out);
        }
      } else if (c == '\n' || c == '\r') {
        newline();
        out.append('\n');
      } else if (isForbiddenControl(c)) {
        throw bail();
      } else {
        out.append(c);
        i++;
      }
    }
    throw bail();
  }

  private static boolean isWhitespaceOrNewline(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }

  /** A backslash at the end of a line removes it and the whitespace up to the next non-blank character. */
  private void lineEndingBackslash() {
    i++;
    skipSpaces();
    if (i >= n || (s.charAt(i) != '\n' && s.charAt(i) != '\r')) {
      throw bail();
    }
    while (i < n) {
      char c = s.charAt(i);
      if (c == ' ' || c == '\t') {
        i++;
      } else if (c == '\n' || c == '\r') {
        newline();
      } else {
        return;
      }
    }
  }

  private String multilineLiteralString() {
    i += 3;
    skipFirstNewline();
    StringBuilder out = new StringBuilder();
    while (i < n) {
      char c = s.charAt(i);
      if (c == '\'') {
        int quotes = quoteRun('\'');
        if (quotes >= 3) {
          if (quotes > 5) {
            throw bail();
          }
          out.append("''", 0, quotes - 3);
          i += quotes;
          return out.toString();
        }
        out.append("''", 0, quotes);
        i += quotes;
      } else if (c == '\n' || c == '\r') {
        newline();
        out.append('\n');
      } else if (isForbiddenControl(c)) {
        throw bail();
      } else {
        out.append(c);
        i++;
      }
    }
    throw bail();
  }

  private void skipFirstNewline() {
    if (i < n && (s.charAt(i) == '\n' || s.charAt(i) == '\r')) {
      newline();
    }
  }

  private int quoteRun(char quote) {
    int k = i;
    while (k < n && s.charAt(k) == quote) {
      k++;
    }
    return k - i;
  }
}
