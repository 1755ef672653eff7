package dev.envforge.core.lock.toml;

import dev.envforge.core.lock.LockInputException;
import dev.envforge.core.lock.toml.TomlTable.Origin;
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
 * A single-pass reader for TOML 1.0 that keeps the offset of every key, header and array element. It enforces every
 * rule that decides what a document means (duplicate keys, tables defined twice, dotted keys into a table defined
 * elsewhere, appending to inline tables or static arrays, control characters) but words no syntax errors: it throws
 * {@link Unsupported} where the text stops being TOML, and {@link Toml} lets tomlj report the error. The one error
 * it reports itself is nesting past {@link #MAX_NESTING}, which tomlj would answer with a stack overflow.
 */
final class TomlParser {
  /** Arrays and inline tables nest at most this deep, so hostile input cannot exhaust the stack (tomlj's either). */
  static final int MAX_NESTING = dev.envforge.core.lock.InputLimits.MAX_NESTING;

  /**
   * The text is not TOML; thrown without a stack trace, as a signal. {@code offset} is where reading stopped,
   * {@code statementStart} where the header or key-value that holds it began.
   */
  static final class Unsupported extends RuntimeException {
    final int offset;
    final int statementStart;
    /** What is wrong when it is about meaning rather than syntax, else null. */
    final String reason;

    Unsupported(int offset, int statementStart, String reason) {
      super(null, null, false, false);
      this.offset = offset;
      this.statementStart = statementStart;
      this.reason = reason;
    }
  }
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

  private final SourceText source;
  private final String s;
  private final int n;
  private int i;
  private int depth;
  private int statementStart;
  private final TomlTable root;
  private TomlTable current;

  TomlParser(SourceText source) {
    this.source = source;
    this.s = source.text;
    this.n = s.length();
    this.root = new TomlTable(source, 0, Origin.EXPLICIT);
    this.current = root;
  }

  TomlTable parse() {
    if (s.startsWith("\uFEFF")) {
      i = 1; // a byte order mark
    }
    while (true) {
      skipSpaces();
      if (i >= n) {
        return root;
      }
      char c = s.charAt(i);
      statementStart = i;
      if (c == '[') {
        header();
      } else if (c != '#' && c != '\n' && c != '\r') {
        keyValue(current);
      }
      endOfLine();
    }
  }

  private Unsupported bail() {
    return new Unsupported(Math.min(i, n), statementStart, null);
  }

  /** For a rule about meaning (a key or table defined twice): where the key or header starts. */
  private Unsupported bailAt(int offset) {
    return new Unsupported(Math.min(offset, n), statementStart, "this key or table is already defined");
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
      if (isForbiddenControl(c)) {
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
    TomlTable table = root;
    for (int k = 0; k < key.size() - 1; k++) {
      table = descend(table, key.get(k), start);
    }
    String last = key.get(key.size() - 1);
    Object existing = table.get(last);
    if (arrayOfTables) {
      TomlArray array;
      if (existing == null) {
        array = new TomlArray(source, start, true);
        table.put(last, array, start);
      } else if (existing instanceof TomlArray a && a.ofTables) {
        array = a;
      } else {
        throw bailAt(start);
      }
      TomlTable element = new TomlTable(source, start, Origin.EXPLICIT);
      array.add(element, start);
      current = element;
    } else if (existing == null) {
      TomlTable created = new TomlTable(source, start, Origin.EXPLICIT);
      table.put(last, created, start);
      current = created;
    } else if (existing instanceof TomlTable t && t.origin == Origin.IMPLICIT) {
      t.origin = Origin.EXPLICIT;
      t.offset = start;
      table.put(last, t, start);
      current = t;
    } else {
      throw bailAt(start);
    }
  }

  /** One step of a header's path: an existing table, the last table of an array of tables, or a new implicit one. */
  private TomlTable descend(TomlTable table, String key, int start) {
    Object existing = table.get(key);
    if (existing == null) {
      TomlTable created = new TomlTable(source, start, Origin.IMPLICIT);
      table.put(key, created, start);
      return created;
    }
    if (existing instanceof TomlTable t && t.origin != Origin.INLINE) {
      return t;
    }
    if (existing instanceof TomlArray a && a.ofTables) {
      return (TomlTable) a.last();
    }
    throw bailAt(start);
  }

  private void keyValue(TomlTable target) {
    int start = i;
    List<String> key = key();
    skipSpaces();
    expect('=');
    skipSpaces();
    Object value = value();
    TomlTable table = target;
    for (int k = 0; k < key.size() - 1; k++) {
      Object existing = table.get(key.get(k));
      if (existing == null) {
        TomlTable created = new TomlTable(source, start, Origin.DOTTED);
        table.put(key.get(k), created, start);
        table = created;
      } else if (existing instanceof TomlTable t && t.origin == Origin.IMPLICIT) {
        // made by the path of an earlier header ([a.b.c], then [a] and b.y = 1): TOML, tomlj and Python's
        // tomllib let the dotted key define it; a later [a.b] may then no longer
        t.origin = Origin.DOTTED;
        table = t;
      } else if (existing instanceof TomlTable t && t.origin == Origin.DOTTED) {
        table = t;
      } else {
        throw bailAt(start);
      }
    }
    String last = key.get(key.size() - 1);
    if (table.has(last)) {
      throw bailAt(start);
    }
    if (value instanceof TomlTable inline) {
      inline.offset = start; // an inline table is where its key is, as a header table is where its header is
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
      int partStart = i;
      parts.add(simpleKey());
      skipSpaces();
      if (parts.size() > MAX_NESTING) {
        throw new LockInputException(source.file, source.line(partStart), source.column(partStart),
            "malformed TOML: a dotted key has more than " + MAX_NESTING + " parts");
      }
    }
    return parts;
  }

  private String simpleKey() {
    if (i >= n) {
      throw bail();
    }
    char c = s.charAt(i);
    if (c == '"' || c == '\'') {
      return singleLineString(c);
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
        return s.startsWith("\"\"\"", i) ? multilineString('"') : singleLineString('"');
      case '\'':
        return s.startsWith("'''", i) ? multilineString('\'') : singleLineString('\'');
      case '[':
      case '{':
        if (++depth > MAX_NESTING) {
          throw tooDeep();
        }
        Object nested = c == '[' ? array() : inlineTable();
        depth--;
        return nested;
      case 't':
        return word("true", Boolean.TRUE);
      case 'f':
        return word("false", Boolean.FALSE);
      default:
        return number();
    }
  }

  private LockInputException tooDeep() {
    return new LockInputException(source.file, source.line(i), source.column(i),
        "malformed TOML: arrays and inline tables nest more than " + MAX_NESTING + " deep");
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
    if (isPlainInteger(token)) {
      return Long.parseLong(token);
    }
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

  /** Digits without sign, underscores or a leading zero, few enough to fit a long: most numbers in a lock. */
  private static boolean isPlainInteger(String token) {
    int length = token.length();
    if (length == 0 || length > 18 || (token.charAt(0) == '0' && length > 1)) {
      return false;
    }
    for (int k = 0; k < length; k++) {
      char c = token.charAt(k);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
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
          return new TomlDateTime(LocalDateTime.parse(local).toString());
        }
        return new TomlDateTime(OffsetDateTime.parse(local + m.group(3).toUpperCase(Locale.ROOT)).toString());
      }
      if (LOCAL_DATE.matcher(text).matches()) {
        return new TomlDateTime(LocalDate.parse(text).toString());
      }
      if (LOCAL_TIME.matcher(text).matches()) {
        return new TomlDateTime(LocalTime.parse(text).toString());
      }
    } catch (DateTimeParseException e) {
      throw bail();
    }
    throw bail();
  }

  private TomlArray array() {
    TomlArray array = new TomlArray(source, i, false);
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
      if (closes(']')) {
        return array;
      }
    }
  }

  private TomlTable inlineTable() {
    TomlTable table = new TomlTable(source, i, Origin.INLINE);
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
      if (closes('}')) {
        closeDottedTables(table);
        return table;
      }
    }
  }

  /** After an element of an array or inline table: a comma (more follow) or the closing bracket (true). */
  private boolean closes(char close) {
    if (i >= n) {
      throw bail();
    }
    char c = s.charAt(i++);
    if (c != ',' && c != close) {
      throw bail();
    }
    return c == close;
  }

  /** Tables made by dotted keys inside an inline table are as closed as the inline table itself. */
  private static void closeDottedTables(TomlTable table) {
    for (String key : table.keys()) {
      if (table.get(key) instanceof TomlTable t && t.origin == Origin.DOTTED) {
        t.origin = Origin.INLINE;
        closeDottedTables(t);
      }
    }
  }

  /** A one-line string: a basic one ("...") may hold escapes, a literal one ('...') is taken as written. */
  private String singleLineString(char quote) {
    i++;
    int start = i;
    while (i < n) {
      char c = s.charAt(i);
      if (c == quote) {
        String text = s.substring(start, i);
        i++;
        return text;
      }
      if (c == '\\' && quote == '"') {
        // finished in a loop of its own: building the string up in this one slows every string down by half
        return escapedString(start);
      }
      if (isForbiddenControl(c) || c == '\n' || c == '\r') {
        throw bail();
      }
      i++;
    }
    throw bail();
  }

  /** The rest of a basic string from its first escape: only such strings are built up, the rest are cut. */
  private String escapedString(int start) {
    StringBuilder out = new StringBuilder(i - start + 16);
    out.append(s, start, i);
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

  /** A multi-line string: escapes count in a basic one ({@code """}), not in a literal one ({@code '''}). */
  private String multilineString(char quote) {
    boolean basic = quote == '"';
    i += 3;
    skipFirstNewline();
    StringBuilder out = new StringBuilder();
    while (i < n) {
      char c = s.charAt(i);
      if (c == quote) {
        // one or two quotes may stand in the text and right before the closing three
        int quotes = quoteRun(quote);
        if (quotes > 5) {
          throw bail();
        }
        for (int k = quotes >= 3 ? 3 : 0; k < quotes; k++) {
          out.append(quote);
        }
        i += quotes;
        if (quotes >= 3) {
          return out.toString();
        }
      } else if (basic && c == '\\') {
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
    while (i < n && isWhitespaceOrNewline(s.charAt(i))) {
      if (s.charAt(i) == ' ' || s.charAt(i) == '\t') {
        i++;
      } else {
        newline();
      }
    }
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
