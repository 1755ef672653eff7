package dev.envforge.core.lock.support;

import dev.envforge.core.lock.LockInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * A TOML table of one project file together with where it is, so that every value read from it can be blamed on its
 * file, line and column. Reading a value of the wrong type raises a {@link LockInputException} at that value.
 */
public final class TomlView {
  private final String file;
  private final Source source;
  private final TomlTable table;
  private final int line;
  private final int column;

  private TomlView(String file, Source source, TomlTable table, int line, int column) {
    this.file = file;
    this.source = source;
    this.table = table;
    this.line = line;
    this.column = column;
  }

  /**
   * Parses a whole file.
   *
   * @param file how the file is named in messages
   * @throws LockInputException at the parser's position when the text is not TOML
   */
  public static TomlView parse(String file, String text) {
    TomlParseResult result = Toml.parse(text);
    if (result.hasErrors()) {
      TomlParseError first = result.errors().get(0);
      TomlPosition at = first.position();
      throw new LockInputException(file, at == null ? 0 : at.line(), at == null ? 0 : at.column(),
          "malformed TOML: " + Texts.escape(first.getMessage()));
    }
    return new TomlView(file, new Source(text), result, 1, 1);
  }

  /** How the file is named in messages. */
  public String file() {
    return file;
  }

  public int line() {
    return line;
  }

  public int column() {
    return column;
  }

  public Set<String> keys() {
    return table.keySet();
  }

  public boolean has(String key) {
    return table.get(List.of(key)) != null;
  }

  /** An error at this table (for an array element: at the element; for a whole file: at 1:1). */
  public LockInputException error(String problem) {
    return new LockInputException(file, line, column, problem);
  }

  /** An error at the value of {@code key}, or at this table when the key is absent. */
  public LockInputException error(String key, String problem) {
    TomlPosition at = table.inputPositionOf(List.of(key));
    return at == null ? error(problem) : new LockInputException(file, at.line(), at.column(), problem);
  }

  /** The value of a key: String, Long, Double, Boolean, a date/time, TomlArray or TomlTable; null when absent. */
  public Object raw(String key) {
    return table.get(List.of(key));
  }

  /** A string value, or null when absent. */
  public String string(String key) {
    Object value = raw(key);
    if (value == null || value instanceof String) {
      return (String) value;
    }
    throw error(key, "'" + Texts.escape(key) + "' must be a string");
  }

  public String requiredString(String key) {
    String value = string(key);
    if (value == null) {
      throw error("missing '" + Texts.escape(key) + "'");
    }
    return value;
  }

  /** A string value with its position, or null when absent. */
  public Located<String> locatedString(String key) {
    String value = string(key);
    return value == null ? null : at(key, value);
  }

  /** A value placed at the position of {@code key} (at this table when the key has no position). */
  public <T> Located<T> at(String key, T value) {
    TomlPosition at = table.inputPositionOf(List.of(key));
    return at == null ? new Located<>(value, file, line, column)
        : new Located<>(value, file, at.line(), at.column());
  }

  /** An integer value, or null when absent. */
  public Long integer(String key) {
    Object value = raw(key);
    if (value == null || value instanceof Long) {
      return (Long) value;
    }
    throw error(key, "'" + Texts.escape(key) + "' must be an integer");
  }

  /** A boolean value, or null when absent. */
  public Boolean bool(String key) {
    Object value = raw(key);
    if (value == null || value instanceof Boolean) {
      return (Boolean) value;
    }
    throw error(key, "'" + Texts.escape(key) + "' must be true or false");
  }

  /** A sub-table (standard or inline), or null when absent. */
  public TomlView table(String key) {
    Object value = raw(key);
    if (value == null) {
      return null;
    }
    if (!(value instanceof TomlTable sub)) {
      throw error(key, "'" + Texts.escape(key) + "' must be a table");
    }
    TomlPosition at = table.inputPositionOf(List.of(key));
    return at == null ? new TomlView(file, source, sub, line, column)
        : new TomlView(file, source, sub, at.line(), at.column());
  }

  /** The elements of an array of tables (or of inline tables), each placed at its own position; empty when absent. */
  public List<TomlView> tables(String key) {
    TomlArray array = array(key);
    if (array == null) {
      return List.of();
    }
    List<TomlView> views = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      Object element = array.get(i);
      int[] at = elementPosition(array, i);
      int elementLine = at[0];
      int elementColumn = at[1];
      if (!(element instanceof TomlTable sub)) {
        throw new LockInputException(file, elementLine, elementColumn,
            "'" + Texts.escape(key) + "' must hold tables only");
      }
      views.add(new TomlView(file, source, sub, elementLine, elementColumn));
    }
    return views;
  }

  /** The elements of an array of strings, each with its position; empty when absent. */
  public List<Located<String>> strings(String key) {
    TomlArray array = array(key);
    if (array == null) {
      return List.of();
    }
    List<Located<String>> values = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      values.add(element(key, array, i, String.class, "strings"));
    }
    return values;
  }

  /**
   * The elements of an array whose items are strings or tables (PEP 735 dependency groups), each with its
   * position; a table item comes back as a TomlView.
   */
  public List<Located<Object>> mixed(String key) {
    TomlArray array = array(key);
    if (array == null) {
      return List.of();
    }
    List<Located<Object>> values = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      Object element = array.get(i);
      int[] at = elementPosition(array, i);
      int elementLine = at[0];
      int elementColumn = at[1];
      Object value = element instanceof TomlTable sub ? new TomlView(file, source, sub, elementLine, elementColumn)
          : element;
      values.add(new Located<>(value, file, elementLine, elementColumn));
    }
    return values;
  }

  private <T> Located<T> element(String key, TomlArray array, int index, Class<T> type, String what) {
    Object element = array.get(index);
    int[] at = elementPosition(array, index);
    int elementLine = at[0];
    int elementColumn = at[1];
    if (!type.isInstance(element)) {
      throw new LockInputException(file, elementLine, elementColumn,
          "'" + Texts.escape(key) + "' must hold " + what + " only");
    }
    return new Located<>(type.cast(element), file, elementLine, elementColumn);
  }

  /**
   * Where an array element starts. tomlj places an element just after the '[' or ',' before it, so whitespace,
   * newlines and comments are skipped to reach the value itself.
   */
  private int[] elementPosition(TomlArray array, int index) {
    TomlPosition at = array.inputPositionOf(index);
    if (at == null) {
      return new int[] {line, column};
    }
    return source.skipBlank(at.line(), at.column());
  }

  private TomlArray array(String key) {
    Object value = raw(key);
    if (value == null) {
      return null;
    }
    if (!(value instanceof TomlArray array)) {
      throw error(key, "'" + Texts.escape(key) + "' must be an array");
    }
    return array;
  }

  /** The text of a file, to turn positions into offsets and back. */
  private static final class Source {
    private final String text;
    private final int[] lineStarts;

    Source(String text) {
      this.text = text;
      List<Integer> starts = new ArrayList<>();
      starts.add(0);
      for (int i = 0; i < text.length(); i++) {
        if (text.charAt(i) == '\n') {
          starts.add(i + 1);
        }
      }
      lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The first position at or after (line, column) that is not whitespace or a comment. */
    int[] skipBlank(int line, int column) {
      if (line < 1 || line > lineStarts.length) {
        return new int[] {line, column};
      }
      int offset = lineStarts[line - 1] + column - 1;
      while (offset < text.length()) {
        char c = text.charAt(offset);
        if (c == '#') {
          int end = text.indexOf('\n', offset);
          offset = end < 0 ? text.length() : end;
        } else if (Character.isWhitespace(c)) {
          offset++;
        } else {
          break;
        }
      }
      int found = java.util.Arrays.binarySearch(lineStarts, offset);
      int lineIndex = found >= 0 ? found : -found - 2;
      return new int[] {lineIndex + 1, offset - lineStarts[lineIndex] + 1};
    }
  }

  /** A value with the place it was read from. */
  public record Located<T>(T value, String file, int line, int column) {
    public LockInputException error(String problem) {
      return new LockInputException(file, line, column, problem);
    }
  }
}
