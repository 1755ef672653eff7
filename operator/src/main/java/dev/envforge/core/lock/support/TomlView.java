package dev.envforge.core.lock.support;

import dev.envforge.core.lock.LockInputException;
import dev.envforge.core.lock.support.TomlParser.Array;
import dev.envforge.core.lock.support.TomlParser.Entry;
import dev.envforge.core.lock.support.TomlParser.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A TOML table of one project file together with where it is, so that every value read from it can be blamed on its
 * file, line and column. Reading a value of the wrong type raises a {@link LockInputException} at that value.
 */
public final class TomlView {
  private final String file;
  private final Table table;
  private final int line;
  private final int column;

  private TomlView(String file, Table table, int line, int column) {
    this.file = file;
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
    try {
      return new TomlView(file, TomlParser.parse(text), 1, 1);
    } catch (TomlParser.SyntaxException e) {
      throw new LockInputException(file, e.line, e.column, "malformed TOML: " + e.getMessage());
    }
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
    return table.keys();
  }

  public boolean has(String key) {
    return table.get(key) != null;
  }

  /** An error at this table (for an array element: at the element; for a whole file: at 1:1). */
  public LockInputException error(String problem) {
    return new LockInputException(file, line, column, problem);
  }

  /** An error at {@code key} (where its key or table header starts), or at this table when the key is absent. */
  public LockInputException error(String key, String problem) {
    Entry entry = table.get(key);
    return entry == null ? error(problem) : new LockInputException(file, entry.line(), entry.column(), problem);
  }

  /**
   * The value of a key: String, Long, Double, Boolean, a java.time value, an array or a table (read those with
   * {@link #tables}, {@link #strings}, {@link #mixed} and {@link #table}); null when absent.
   */
  public Object raw(String key) {
    Entry entry = table.get(key);
    return entry == null ? null : entry.value();
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

  /** A value placed at the position of {@code key} (at this table when the key is absent). */
  public <T> Located<T> at(String key, T value) {
    Entry entry = table.get(key);
    return entry == null ? new Located<>(value, file, line, column)
        : new Located<>(value, file, entry.line(), entry.column());
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
    Entry entry = table.get(key);
    if (entry == null) {
      return null;
    }
    if (!(entry.value() instanceof Table sub)) {
      throw error(key, "'" + Texts.escape(key) + "' must be a table");
    }
    return new TomlView(file, sub, entry.line(), entry.column());
  }

  /** The elements of an array of tables (or of inline tables), each placed at its own position; empty when absent. */
  public List<TomlView> tables(String key) {
    Array array = array(key);
    if (array == null) {
      return List.of();
    }
    List<TomlView> views = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      Entry element = array.get(i);
      if (!(element.value() instanceof Table sub)) {
        throw new LockInputException(file, element.line(), element.column(),
            "'" + Texts.escape(key) + "' must hold tables only");
      }
      views.add(new TomlView(file, sub, element.line(), element.column()));
    }
    return views;
  }

  /** The elements of an array of strings, each with its position; empty when absent. */
  public List<Located<String>> strings(String key) {
    Array array = array(key);
    if (array == null) {
      return List.of();
    }
    List<Located<String>> values = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      Entry element = array.get(i);
      if (!(element.value() instanceof String s)) {
        throw new LockInputException(file, element.line(), element.column(),
            "'" + Texts.escape(key) + "' must hold strings only");
      }
      values.add(new Located<>(s, file, element.line(), element.column()));
    }
    return values;
  }

  /**
   * The elements of an array whose items are strings or tables (PEP 735 dependency groups), each with its
   * position; a table item comes back as a TomlView.
   */
  public List<Located<Object>> mixed(String key) {
    Array array = array(key);
    if (array == null) {
      return List.of();
    }
    List<Located<Object>> values = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      Entry element = array.get(i);
      Object value = element.value() instanceof Table sub
          ? new TomlView(file, sub, element.line(), element.column()) : element.value();
      values.add(new Located<>(value, file, element.line(), element.column()));
    }
    return values;
  }

  private Array array(String key) {
    Object value = raw(key);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Array array)) {
      throw error(key, "'" + Texts.escape(key) + "' must be an array");
    }
    return array;
  }

  /** A value with the place it was read from. */
  public record Located<T>(T value, String file, int line, int column) {
    public LockInputException error(String problem) {
      return new LockInputException(file, line, column, problem);
    }
  }
}
