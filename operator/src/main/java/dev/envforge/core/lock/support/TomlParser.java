package dev.envforge.core.lock.support;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A TOML 1.0 parser that remembers where every key, table header and array element starts. Lock files run to
 * megabytes (a uv.lock of 300 packages is over 1 MB) and are parsed on every change, so this is a single pass over
 * the text with no lexer tables; it is many times faster than a generated parser.
 *
 * <p>Values are String, Long, Double, Boolean, OffsetDateTime, LocalDateTime, LocalDate, LocalTime, {@link Table} and
 * {@link Array}. Every TOML rule that decides what a document means is enforced: duplicate keys, tables defined twice,
 * dotted keys into a table defined elsewhere, appending to inline tables or static arrays, control characters in
 * strings and comments.
 */
final class TomlParser {
  private static final Pattern DECIMAL = Pattern.compile("[+-]?(?:0|[1-9](?:_?[0-9])*)");
  private static final Pattern HEX = Pattern.compile("0x[0-9A-Fa-f](?:_?[0-9A-Fa-f])*");
  private static final Pattern OCTAL = Pattern.compile("0o[0-7](?:_?[0-7])*");
  private static final Pattern BINARY = Pattern.compile("0b[01](?:_?[01])*");
  private static final Pattern FLOAT = Pattern.compile(
      "[+-]?(?:0|[1-9](?:_?[0-9])*)(?:\\.[0-9](?:_?[0-9])*)?(?:[eE][+-]?[0-9](?:_?[0-9])*)?");
  private static final Pattern SPECIAL_FLOAT = Pattern.compile("[+-]?(?:inf|nan)");
  private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
  private static final Pattern DATE_TIME = Pattern.compile(
      "([0-9]{4}-[0-9]{2}-[0-9]{2})[Tt ]([0-9]{2}:[0-9]{2}:[0-9]{2}(?:\\.[0-9]+)?)([Zz]|[+-][0-9]{2}:[0-9]{2})?");
  private static final Pattern TIME = Pattern.compile("[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\\.[0-9]+)?");

  /** Arrays and inline tables nest at most this deep, so hostile input cannot exhaust the stack. */
  static final int MAX_NESTING = 100;

  private final String text;
  private final int[] lineStarts;
  private int pos;
  private int depth;

  /** A syntax error; line and column are 1-based. */
  static final class SyntaxException extends RuntimeException {
    final int line;
    final int column;

    SyntaxException(String message, int line, int column) {
      super(message);
      this.line = line;
      this.column = column;
    }
  }

  /** A value with the position where it, or its key or table header, starts. */
  record Entry(Object value, int line, int column) {}

  /** How a table came to be, which decides what may still be added to it. */
  private enum Origin { ROOT, HEADER, IMPLICIT, DOTTED, INLINE, ARRAY_ELEMENT }

  /** A table: keys in document order. */
  static final class Table {
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private Origin origin;

    private Table(Origin origin) {
      this.origin = origin;
    }

    Entry get(String key) {
      return entries.get(key);
    }

    Set<String> keys() {
      return Collections.unmodifiableSet(entries.keySet());
    }
  }

  /** An array; {@code ofTables} when built by {@code [[header]]} tables. */
  static final class Array {
    private final List<Entry> items = new ArrayList<>();
    private final boolean ofTables;

    private Array(boolean ofTables) {
      this.ofTables = ofTables;
    }

    int size() {
      return items.size();
    }

    Entry get(int index) {
      return items.get(index);
    }
  }

  private TomlParser(String text) {
    this.text = text;
    List<Integer> starts = new ArrayList<>();
    starts.add(0);
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        starts.add(i + 1);
      }
    }
    this.lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
  }

  /** @throws SyntaxException at the first thing that is not TOML */
  static Table parse(String text) {
    return new TomlParser(text).document();
  }

  private Table document() {
    Table root = new Table(Origin.ROOT);
    Table current = root;
    if (text.startsWith("\uFEFF")) {
      pos = 1;
    }
    while (true) {
      skipBlankLines();
      if (pos >= text.length()) {
        return root;
      }
      if (text.charAt(pos) == '[') {
        current = header(root);
      } else {
        keyValue(current, Origin.DOTTED);
      }
      endOfLine();
    }
  }

  // ---- table headers

  private Table header(Table root) {
    int start = pos;
    boolean arrayOfTables = text.startsWith("[[", pos);
    pos += arrayOfTables ? 2 : 1;
    skipSpaces();
    List<String> key = new ArrayList<>();
    List<Integer> keyStarts = new ArrayList<>();
    key(key, keyStarts);
    skipSpaces();
    if (arrayOfTables ? !text.startsWith("]]", pos) : !text.startsWith("]", pos)) {
      throw error(arrayOfTables ? "expected ']]' to close the table header" : "expected ']' to close the table header");
    }
    pos += arrayOfTables ? 2 : 1;
    int[] at = position(start);
    Table table = root;
    for (int i = 0; i < key.size() - 1; i++) {
      table = descendForHeader(table, key.get(i), at, keyStarts.get(i));
    }
    String last = key.get(key.size() - 1);
    Entry existing = table.entries.get(last);
    if (arrayOfTables) {
      Array array;
      if (existing == null) {
        array = new Array(true);
        table.entries.put(last, new Entry(array, at[0], at[1]));
      } else if (existing.value() instanceof Array a && a.ofTables) {
        array = a;
      } else {
        throw errorAt(keyStarts.get(key.size() - 1), "cannot append to '" + Texts.escape(last)
            + "': it is not an array of tables");
      }
      Table element = new Table(Origin.ARRAY_ELEMENT);
      array.items.add(new Entry(element, at[0], at[1]));
      return element;
    }
    if (existing == null) {
      Table created = new Table(Origin.HEADER);
      table.entries.put(last, new Entry(created, at[0], at[1]));
      return created;
    }
    if (existing.value() instanceof Table t && t.origin == Origin.IMPLICIT) {
      t.origin = Origin.HEADER;
      table.entries.put(last, new Entry(t, at[0], at[1]));
      return t;
    }
    throw errorAt(keyStarts.get(key.size() - 1), "'" + Texts.escape(String.join(".", key)) + "' is defined twice");
  }

  private Table descendForHeader(Table table, String part, int[] at, int partStart) {
    Entry existing = table.entries.get(part);
    if (existing == null) {
      Table created = new Table(Origin.IMPLICIT);
      table.entries.put(part, new Entry(created, at[0], at[1]));
      return created;
    }
    Object value = existing.value();
    if (value instanceof Table t && t.origin != Origin.INLINE) {
      return t;
    }
    if (value instanceof Array a && a.ofTables) {
      return (Table) a.items.get(a.items.size() - 1).value();
    }
    throw errorAt(partStart, "'" + Texts.escape(part) + "' is not a table");
  }

  // ---- key/value pairs

  private void keyValue(Table table, Origin dottedOrigin) {
    int start = pos;
    List<String> key = new ArrayList<>();
    List<Integer> keyStarts = new ArrayList<>();
    key(key, keyStarts);
    skipSpaces();
    if (pos >= text.length() || text.charAt(pos) != '=') {
      throw error("expected '=' after a key");
    }
    pos++;
    skipSpaces();
    Object value = value();
    Table target = table;
    for (int i = 0; i < key.size() - 1; i++) {
      String part = key.get(i);
      Entry existing = target.entries.get(part);
      if (existing == null) {
        Table created = new Table(dottedOrigin);
        int[] at = position(start); // as tomlj places it: where the whole dotted key starts
        target.entries.put(part, new Entry(created, at[0], at[1]));
        target = created;
      } else if (existing.value() instanceof Table t && t.origin == dottedOrigin) {
        target = t;
      } else {
        throw errorAt(keyStarts.get(i), "cannot add to '" + Texts.escape(part) + "' with a dotted key");
      }
    }
    String last = key.get(key.size() - 1);
    if (target.entries.containsKey(last)) {
      throw errorAt(keyStarts.get(key.size() - 1), "duplicate key '" + Texts.escape(last) + "'");
    }
    int[] at = position(start);
    target.entries.put(last, new Entry(value, at[0], at[1]));
  }

  private void key(List<String> parts, List<Integer> starts) {
    while (true) {
      starts.add(pos);
      parts.add(simpleKey());
      skipSpaces();
      if (pos < text.length() && text.charAt(pos) == '.') {
        pos++;
        skipSpaces();
      } else {
        return;
      }
    }
  }

  private String simpleKey() {
    if (pos >= text.length()) {
      throw error("expected a key");
    }
    char c = text.charAt(pos);
    if (c == '"') {
      if (text.startsWith("\"\"\"", pos)) {
        throw error("a key cannot be a multi-line string");
      }
      return basicString();
    }
    if (c == '\'') {
      if (text.startsWith("'''", pos)) {
        throw error("a key cannot be a multi-line string");
      }
      return literalString();
    }
    int start = pos;
    while (pos < text.length() && isBareKeyChar(text.charAt(pos))) {
      pos++;
    }
    if (start == pos) {
      throw error("expected a key");
    }
    return text.substring(start, pos);
  }

  private static boolean isBareKeyChar(char c) {
    return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-';
  }

  // ---- values

  private Object value() {
    if (pos >= text.length()) {
      throw error("expected a value");
    }
    char c = text.charAt(pos);
    switch (c) {
      case '"':
        return text.startsWith("\"\"\"", pos) ? multiLineBasicString() : basicString();
      case '\'':
        return text.startsWith("'''", pos) ? multiLineLiteralString() : literalString();
      case '[':
      case '{':
        if (++depth > MAX_NESTING) {
          throw error("arrays and inline tables nest more than " + MAX_NESTING + " deep");
        }
        Object nested = c == '[' ? array() : inlineTable();
        depth--;
        return nested;
      case 't':
        if (text.startsWith("true", pos) && !isBareKeyChar(charAt(pos + 4))) {
          pos += 4;
          return Boolean.TRUE;
        }
        break;
      case 'f':
        if (text.startsWith("false", pos) && !isBareKeyChar(charAt(pos + 5))) {
          pos += 5;
          return Boolean.FALSE;
        }
        break;
      default:
        break;
    }
    return scalarToken();
  }

  private char charAt(int index) {
    return index < text.length() ? text.charAt(index) : '\0';
  }

  /** A number or a date/time. */
  private Object scalarToken() {
    int start = pos;
    while (pos < text.length() && isTokenChar(text.charAt(pos))) {
      pos++;
    }
    // a date and a time may be separated by one space
    if (pos - start == 10 && charAt(pos) == ' ' && Character.isDigit(charAt(pos + 1))
        && Character.isDigit(charAt(pos + 2)) && charAt(pos + 3) == ':') {
      pos++;
      while (pos < text.length() && isTokenChar(text.charAt(pos))) {
        pos++;
      }
    }
    String token = text.substring(start, pos);
    if (token.isEmpty()) {
      throw errorAt(start, "expected a value");
    }
    try {
      if (DECIMAL.matcher(token).matches()) {
        return Long.parseLong(token.replace("_", ""));
      }
      if (HEX.matcher(token).matches()) {
        return Long.parseLong(token.substring(2).replace("_", ""), 16);
      }
      if (OCTAL.matcher(token).matches()) {
        return Long.parseLong(token.substring(2).replace("_", ""), 8);
      }
      if (BINARY.matcher(token).matches()) {
        return Long.parseLong(token.substring(2).replace("_", ""), 2);
      }
    } catch (NumberFormatException e) {
      throw errorAt(start, "integer out of range: " + Texts.escape(token));
    }
    if (FLOAT.matcher(token).matches()) {
      return Double.parseDouble(token.replace("_", ""));
    }
    if (SPECIAL_FLOAT.matcher(token).matches()) {
      boolean negative = token.startsWith("-");
      return token.endsWith("inf") ? (negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY) : Double.NaN;
    }
    try {
      var dateTime = DATE_TIME.matcher(token);
      if (dateTime.matches()) {
        String iso = dateTime.group(1) + "T" + dateTime.group(2);
        if (dateTime.group(3) == null) {
          return LocalDateTime.parse(iso);
        }
        return OffsetDateTime.parse(iso + dateTime.group(3).toUpperCase(java.util.Locale.ROOT));
      }
      if (DATE.matcher(token).matches()) {
        return LocalDate.parse(token);
      }
      if (TIME.matcher(token).matches()) {
        return LocalTime.parse(token);
      }
    } catch (DateTimeParseException e) {
      throw errorAt(start, "invalid date or time: " + Texts.escape(token));
    }
    throw errorAt(start, "invalid value: " + Texts.escape(token));
  }

  private static boolean isTokenChar(char c) {
    return isBareKeyChar(c) || c == '+' || c == '.' || c == ':';
  }

  private Array array() {
    pos++; // [
    Array array = new Array(false);
    while (true) {
      skipBlankLines();
      if (pos >= text.length()) {
        throw error("unterminated array");
      }
      if (text.charAt(pos) == ']') {
        pos++;
        return array;
      }
      int[] at = position(pos);
      array.items.add(new Entry(value(), at[0], at[1]));
      skipBlankLines();
      if (pos >= text.length()) {
        throw error("unterminated array");
      }
      char c = text.charAt(pos);
      if (c == ',') {
        pos++;
      } else if (c != ']') {
        throw error("expected ',' or ']' in an array");
      }
    }
  }

  private Table inlineTable() {
    pos++; // {
    Table table = new Table(Origin.INLINE);
    skipSpaces();
    if (charAt(pos) == '}') {
      pos++;
      return table;
    }
    while (true) {
      skipSpaces();
      keyValue(table, Origin.DOTTED);
      skipSpaces();
      char c = charAt(pos);
      if (c == ',') {
        pos++;
      } else if (c == '}') {
        pos++;
        freeze(table);
        return table;
      } else {
        throw error("expected ',' or '}' in an inline table");
      }
    }
  }

  /** An inline table and the tables its dotted keys made are complete: nothing may be added to them later. */
  private static void freeze(Table table) {
    table.origin = Origin.INLINE;
    for (Entry entry : table.entries.values()) {
      if (entry.value() instanceof Table sub && sub.origin == Origin.DOTTED) {
        freeze(sub);
      }
    }
  }

  // ---- strings

  private String basicString() {
    int start = pos;
    pos++; // "
    StringBuilder out = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw errorAt(start, "unterminated string");
      }
      char c = text.charAt(pos);
      if (c == '"') {
        pos++;
        return out.toString();
      }
      if (c == '\\') {
        escape(out);
      } else if (c == '\n' || c == '\r') {
        throw errorAt(start, "unterminated string");
      } else {
        checkControl(c, false);
        out.append(c);
        pos++;
      }
    }
  }

  private String multiLineBasicString() {
    int start = pos;
    pos += 3;
    skipFirstNewline();
    StringBuilder out = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw errorAt(start, "unterminated multi-line string");
      }
      char c = text.charAt(pos);
      if (c == '"' && text.startsWith("\"\"\"", pos)) {
        int quotes = countQuotes('"');
        if (quotes > 5) {
          throw error("too many quotes closing a multi-line string");
        }
        out.append("\"".repeat(quotes - 3));
        pos += quotes;
        return out.toString();
      }
      if (c == '\\') {
        int after = pos + 1;
        while (after < text.length() && (text.charAt(after) == ' ' || text.charAt(after) == '\t')) {
          after++;
        }
        if (after < text.length() && (text.charAt(after) == '\n' || text.startsWith("\r\n", after))) {
          pos = after; // a line-ending backslash trims the newline and the whitespace after it
          while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0) {
            checkNewline();
            pos++;
          }
          continue;
        }
        escape(out);
      } else {
        checkNewline();
        checkControl(c, true);
        out.append(c);
        pos++;
      }
    }
  }

  private String literalString() {
    int start = pos;
    pos++; // '
    int end = pos;
    while (end < text.length() && text.charAt(end) != '\'') {
      char c = text.charAt(end);
      if (c == '\n' || c == '\r') {
        throw errorAt(start, "unterminated string");
      }
      pos = end;
      checkControl(c, false);
      end++;
    }
    if (end >= text.length()) {
      throw errorAt(start, "unterminated string");
    }
    pos = end + 1;
    return text.substring(start + 1, end);
  }

  private String multiLineLiteralString() {
    int start = pos;
    pos += 3;
    skipFirstNewline();
    StringBuilder out = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw errorAt(start, "unterminated multi-line string");
      }
      char c = text.charAt(pos);
      if (c == '\'' && text.startsWith("'''", pos)) {
        int quotes = countQuotes('\'');
        if (quotes > 5) {
          throw error("too many quotes closing a multi-line string");
        }
        out.append("'".repeat(quotes - 3));
        pos += quotes;
        return out.toString();
      }
      checkNewline();
      checkControl(c, true);
      out.append(c);
      pos++;
    }
  }

  private int countQuotes(char quote) {
    int n = 0;
    while (pos + n < text.length() && text.charAt(pos + n) == quote) {
      n++;
    }
    return n;
  }

  private void skipFirstNewline() {
    if (text.startsWith("\n", pos)) {
      pos++;
    } else if (text.startsWith("\r\n", pos)) {
      pos += 2;
    }
  }

  /** A carriage return is only allowed as part of CRLF. */
  private void checkNewline() {
    if (text.charAt(pos) == '\r' && !text.startsWith("\r\n", pos)) {
      throw error("a carriage return must be followed by a newline");
    }
  }

  private void checkControl(char c, boolean newlinesAllowed) {
    boolean control = c < 0x20 && c != '\t' || c == 0x7f;
    if (control && !(newlinesAllowed && (c == '\n' || c == '\r'))) {
      throw error(String.format("control character U+%04X must be escaped", (int) c));
    }
  }

  private void escape(StringBuilder out) {
    int start = pos;
    pos++; // backslash
    if (pos >= text.length()) {
      throw errorAt(start, "unterminated escape");
    }
    char c = text.charAt(pos++);
    switch (c) {
      case 'b' -> out.append('\b');
      case 't' -> out.append('\t');
      case 'n' -> out.append('\n');
      case 'f' -> out.append('\f');
      case 'r' -> out.append('\r');
      case '"' -> out.append('"');
      case '\\' -> out.append('\\');
      case 'u', 'U' -> {
        int digits = c == 'u' ? 4 : 8;
        if (pos + digits > text.length()) {
          throw errorAt(start, "invalid unicode escape");
        }
        String hex = text.substring(pos, pos + digits);
        int codePoint;
        try {
          codePoint = Integer.parseUnsignedInt(hex, 16);
        } catch (NumberFormatException e) {
          throw errorAt(start, "invalid unicode escape");
        }
        if (!Character.isValidCodePoint(codePoint) || codePoint >= 0xD800 && codePoint <= 0xDFFF) {
          throw errorAt(start, "invalid unicode escape");
        }
        out.appendCodePoint(codePoint);
        pos += digits;
      }
      default -> throw errorAt(start, "invalid escape '\\" + Texts.escape(String.valueOf(c)) + "'");
    }
  }

  // ---- whitespace, comments, line ends

  private void skipSpaces() {
    while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
      pos++;
    }
  }

  /** Spaces, comments and newlines. */
  private void skipBlankLines() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == ' ' || c == '\t' || c == '\n') {
        pos++;
      } else if (c == '\r') {
        checkNewline();
        pos++;
      } else if (c == '#') {
        comment();
      } else {
        return;
      }
    }
  }

  private void comment() {
    pos++; // #
    while (pos < text.length() && text.charAt(pos) != '\n') {
      char c = text.charAt(pos);
      if (c == '\r') {
        checkNewline();
      } else {
        checkControl(c, false);
      }
      pos++;
    }
  }

  private void endOfLine() {
    skipSpaces();
    if (pos >= text.length()) {
      return;
    }
    char c = text.charAt(pos);
    if (c == '#') {
      comment();
      return;
    }
    if (c == '\n' || text.startsWith("\r\n", pos)) {
      return;
    }
    throw error("expected the end of the line");
  }

  // ---- positions and errors

  private int[] position(int offset) {
    int found = java.util.Arrays.binarySearch(lineStarts, offset);
    int line = found >= 0 ? found : -found - 2;
    return new int[] {line + 1, offset - lineStarts[line] + 1};
  }

  private SyntaxException error(String message) {
    return errorAt(Math.min(pos, text.length()), message);
  }

  private SyntaxException errorAt(int offset, String message) {
    int[] at = position(offset);
    return new SyntaxException(message, at[0], at[1]);
  }
}
