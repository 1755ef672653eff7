package dev.envforge.core.lock.toml;

import dev.envforge.core.lock.LockInputException;
import dev.envforge.core.text.Texts;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;

/**
 * A TOML table, keys in the order written, that knows where each key was written. Reading a value of the wrong type
 * raises a {@link LockInputException} at that key.
 */
public final class TomlTable {
  /** How the table came to be, which decides what TOML still lets a document add to it. */
  enum Origin {
    /** The root, a {@code [header]} or an element of an {@code [[array of tables]]}. */
    EXPLICIT,
    /** Made on the way by a header's path ({@code a} of {@code [a.b]}); a later {@code [a]} may still define it. */
    IMPLICIT,
    /** Made by a dotted key ({@code a} of {@code a.b = 1}). */
    DOTTED,
    /** An inline table, or a table a dotted key made inside one: complete, nothing may be added. */
    INLINE
  }

  private final SourceText source;
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();
  /** Where the table is defined: its header, the key that holds it, or where it starts as an array element. */
  int offset;
  Origin origin;

  private record Entry(Object value, int offset) {}

  TomlTable(SourceText source, int offset, Origin origin) {
    this.source = source;
    this.offset = offset;
    this.origin = origin;
  }

  void put(String key, Object value, int keyOffset) {
    entries.put(key, new Entry(value, keyOffset));
  }

  /** Where the table is defined: its header, the key that holds it, or where it starts as an array element. */
  public Location location() {
    return new Location(source, offset);
  }

  /** Where {@code key} was written (a dotted key: where the whole key starts), or {@link #location()} without it. */
  public Location location(String key) {
    Entry entry = entries.get(key);
    return new Location(source, entry == null ? offset : entry.offset);
  }

  /** The value of {@code key} placed where the key was written (at the table when it is absent). */
  public <T> Located<T> at(String key, T value) {
    return new Located<>(value, location(key));
  }

  /** An input error at this table. */
  public LockInputException error(String problem) {
    return location().error(problem);
  }

  /** An input error at {@code key}, or at this table when the key is absent. */
  public LockInputException error(String key, String problem) {
    return location(key).error(problem);
  }

  public Set<String> keys() {
    return Collections.unmodifiableSet(entries.keySet());
  }

  public boolean has(String key) {
    return entries.containsKey(key);
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /**
   * The value of {@code key}: String, Long, Double, Boolean, {@link TomlDateTime}, {@link TomlTable} or
   * {@link TomlArray}; null when absent.
   */
  public Object get(String key) {
    Entry entry = entries.get(key);
    return entry == null ? null : entry.value;
  }

  /** A string, or null when absent. */
  public String string(String key) {
    return typed(key, String.class);
  }

  /** A string with where its key was written, or null when absent. */
  public Located<String> locatedString(String key) {
    String value = string(key);
    return value == null ? null : at(key, value);
  }

  /** A string that must be there; its absence is reported at this table. */
  public String requiredString(String key) {
    String value = string(key);
    if (value == null) {
      throw error("missing " + Texts.quote(key));
    }
    return value;
  }

  /** An integer, or null when absent. */
  public Long integer(String key) {
    return typed(key, Long.class);
  }

  /** A boolean, or {@code absent} when there is none. */
  public boolean bool(String key, boolean absent) {
    Boolean value = typed(key, Boolean.class);
    return value == null ? absent : value;
  }

  /** A sub-table (a header's, a dotted key's or an inline one), or null when absent. */
  public TomlTable table(String key) {
    return typed(key, TomlTable.class);
  }

  /** An array, or null when absent. */
  public TomlArray array(String key) {
    return typed(key, TomlArray.class);
  }

  /** The elements of an array of tables (or of inline tables); empty when absent. */
  public List<TomlTable> tables(String key) {
    TomlArray array = array(key);
    if (array == null) {
      return List.of();
    }
    List<TomlTable> tables = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      tables.add(array.table(i));
    }
    return tables;
  }

  /** The elements of an array of strings, each where it was written; empty when absent. */
  public List<Located<String>> strings(String key) {
    TomlArray array = array(key);
    if (array == null) {
      return List.of();
    }
    List<Located<String>> strings = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      strings.add(new Located<>(array.string(i), array.location(i)));
    }
    return strings;
  }

  private <T> T typed(String key, Class<T> type) {
    Object value = get(key);
    if (value == null || type.isInstance(value)) {
      return type.cast(value);
    }
    throw error(key, Texts.quote(key) + " must be " + typeName(type) + ", not " + typeName(value.getClass()));
  }

  /** How a value type is named in messages. */
  static String typeName(Class<?> type) {
    if (type == String.class) {
      return "a string";
    } else if (type == TomlTable.class) {
      return "a table";
    } else if (type == TomlArray.class) {
      return "an array";
    } else if (type == Boolean.class) {
      return "a boolean";
    } else if (type == Long.class) {
      return "an integer";
    } else if (type == Double.class) {
      return "a float";
    }
    return "a date or time";
  }
}
