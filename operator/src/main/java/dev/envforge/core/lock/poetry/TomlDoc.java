package dev.envforge.core.lock.poetry;

import dev.envforge.core.lock.LockInputException;
import dev.envforge.core.lock.support.Texts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * A parsed TOML file whose tables and arrays remember where each key and element was written, so that a problem
 * found later can name {@code file:line:column}.
 *
 * <p>Lock files are large (over 1 MB for a few hundred packages) and tomlj's ANTLR parser needs several hundred
 * milliseconds for one, so a small hand-written parser reads the common, valid case. It gives up on anything it does
 * not handle with certainty (dates, unusual table layouts, any syntax error); then tomlj parses the text, and either
 * reports the error with its position or yields the same tree.
 */
public final class TomlDoc {
  private final Lines lines;
  private final Table root;

  private TomlDoc(String file, String text, java.util.function.Function<TomlDoc, Table> reader) {
    this.lines = new Lines(file, text);
    this.root = reader.apply(this);
  }

  /**
   * Parses {@code text}; {@code file} is how the file is named in error messages.
   *
   * @throws LockInputException when the text is not valid TOML
   */
  public static TomlDoc parse(String text, String file) {
    try {
      return parseFast(text, file);
    } catch (TomlParser.Unsupported e) {
      return parseWithTomlj(text, file);
    }
  }

  /** The fast reader alone; throws {@link TomlParser.Unsupported} where it would hand over to tomlj. */
  static TomlDoc parseFast(String text, String file) {
    return new TomlDoc(file, text, doc -> new TomlParser(doc, text).parse());
  }

  /** tomlj alone. */
  static TomlDoc parseWithTomlj(String text, String file) {
    TomlParseResult result = org.tomlj.Toml.parse(text);
    if (result.hasErrors()) {
      TomlParseError error = result.errors().get(0);
      TomlPosition position = error.position();
      int line = position == null ? 0 : position.line();
      int column = position == null ? 0 : position.column();
      throw new LockInputException(file, line, column,
          "malformed TOML: " + Texts.escape(String.valueOf(error.getMessage())), error);
    }
    return new TomlDoc(file, text, doc -> doc.convert(result, 0));
  }

  /** The file's top-level table. */
  public Table root() {
    return root;
  }

  /** How the file is named in error messages. */
  public String file() {
    return lines.file;
  }

  /** The place of a character offset in the text. */
  public Location locate(int offset) {
    return new Location(lines, offset);
  }

  private int offsetOf(TomlPosition position) {
    if (position == null) {
      return 0;
    }
    int[] starts = lines.starts();
    int line = Math.min(Math.max(position.line(), 1), starts.length) - 1;
    return Math.min(starts[line] + Math.max(position.column(), 1) - 1, lines.text.length());
  }

  /**
   * The file's name and text, and where its lines start (worked out when first needed). Locations keep only this,
   * not the parsed tree, so a model that remembers where its parts were written stays small.
   */
  private static final class Lines {
    private final String file;
    private final String text;
    private int[] starts;

    Lines(String file, String text) {
      this.file = file;
      this.text = text;
    }

    synchronized int[] starts() {
      if (starts == null) {
        int count = 1;
        for (int i = 0; i < text.length(); i++) {
          if (text.charAt(i) == '\n') {
            count++;
          }
        }
        int[] found = new int[count];
        int line = 1;
        for (int i = 0; i < text.length(); i++) {
          if (text.charAt(i) == '\n') {
            found[line++] = i + 1;
          }
        }
        starts = found;
      }
      return starts;
    }
  }

  private Table convert(TomlTable source, int offset) {
    Table table = new Table(this, offset);
    for (Map.Entry<String, Object> entry : source.entrySet()) {
      int keyOffset = offsetOf(source.inputPositionOf(List.of(entry.getKey())));
      table.put(entry.getKey(), convertValue(entry.getValue(), keyOffset), keyOffset);
    }
    return table;
  }

  private Object convertValue(Object value, int offset) {
    if (value instanceof TomlTable t) {
      return convert(t, offset);
    }
    if (value instanceof TomlArray a) {
      Array array = new Array(this, offset);
      for (int i = 0; i < a.size(); i++) {
        int elementOffset = offsetOf(a.inputPositionOf(i));
        array.add(convertValue(a.get(i), elementOffset), elementOffset);
      }
      return array;
    }
    if (value instanceof String || value instanceof Long || value instanceof Double || value instanceof Boolean) {
      return value;
    }
    return new DateTime(String.valueOf(value));
  }

  /**
   * Where something was written: file, 1-based line and column. Most places are never reported, so the line is only
   * looked up when asked for.
   */
  public static final class Location {
    private final Lines lines;
    private final int offset;

    private Location(Lines lines, int offset) {
      this.lines = lines;
      this.offset = offset;
    }

    public String file() {
      return lines.file;
    }

    public int line() {
      return lineIndex() + 1;
    }

    public int column() {
      return offset - lines.starts()[lineIndex()] + 1;
    }

    private int lineIndex() {
      int index = Arrays.binarySearch(lines.starts(), offset);
      return index >= 0 ? index : -index - 2;
    }

    /** An input error at this place. */
    public LockInputException error(String problem) {
      return new LockInputException(file(), line(), column(), problem);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Location other && file().equals(other.file()) && line() == other.line()
          && column() == other.column();
    }

    @Override
    public int hashCode() {
      return Objects.hash(file(), line(), column());
    }

    @Override
    public String toString() {
      return file() + ":" + line() + ":" + column();
    }
  }

  /** A TOML date, time or date-time, kept as written; envforge reads none. */
  public record DateTime(String text) {}

  /** A TOML table: keys in the order written. */
  public static final class Table {
    private final TomlDoc doc;
    /** Where the table is defined; a table first made implicitly by a header path moves to its own header. */
    int offset;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();
    /** How the parser came to create this table; decides which later definitions TOML allows. */
    Origin origin = Origin.EXPLICIT;

    Table(TomlDoc doc, int offset) {
      this.doc = doc;
      this.offset = offset;
    }

    Table(TomlDoc doc, int offset, Origin origin) {
      this(doc, offset);
      this.origin = origin;
    }

    enum Origin { EXPLICIT, IMPLICIT, DOTTED, INLINE }

    record Entry(Object value, int offset) {}

    void put(String key, Object value, int keyOffset) {
      entries.put(key, new Entry(value, keyOffset));
    }

    Entry entry(String key) {
      return entries.get(key);
    }

    /** Where the table starts: its header, its inline brace, or the key that created it. */
    public Location location() {
      return doc.locate(offset);
    }

    /** Where {@code key} was written, or where the table starts when it has no such key. */
    public Location location(String key) {
      Entry e = entries.get(key);
      return doc.locate(e == null ? offset : e.offset);
    }

    public Set<String> keys() {
      return Collections.unmodifiableSet(entries.keySet());
    }

    public boolean isEmpty() {
      return entries.isEmpty();
    }

    /** The value of {@code key} (String, Long, Double, Boolean, Table, Array or DateTime), or null. */
    public Object get(String key) {
      Entry e = entries.get(key);
      return e == null ? null : e.value;
    }

    public String string(String key) {
      return typed(key, String.class);
    }

    public Table table(String key) {
      return typed(key, Table.class);
    }

    public Array array(String key) {
      return typed(key, Array.class);
    }

    public boolean bool(String key, boolean absent) {
      Boolean value = typed(key, Boolean.class);
      return value == null ? absent : value;
    }

    private <T> T typed(String key, Class<T> type) {
      Object value = get(key);
      if (value == null || type.isInstance(value)) {
        return type.cast(value);
      }
      throw location(key).error("'" + Texts.escape(key) + "' must be " + typeName(type) + ", not "
          + typeName(value.getClass()));
    }
  }

  /** A TOML array (of values or of tables). */
  public static final class Array {
    private final TomlDoc doc;
    private final int offset;
    private final ArrayList<Object> values = new ArrayList<>();
    private int[] offsets = new int[4];
    /** True for an array of tables ({@code [[name]]}), which later headers may extend. */
    final boolean ofTables;

    Array(TomlDoc doc, int offset) {
      this(doc, offset, false);
    }

    Array(TomlDoc doc, int offset, boolean ofTables) {
      this.doc = doc;
      this.offset = offset;
      this.ofTables = ofTables;
    }

    void add(Object value, int valueOffset) {
      if (values.size() == offsets.length) {
        offsets = Arrays.copyOf(offsets, offsets.length * 2);
      }
      offsets[values.size()] = valueOffset;
      values.add(value);
    }

    Object last() {
      return values.get(values.size() - 1);
    }

    public int size() {
      return values.size();
    }

    public Object get(int index) {
      return values.get(index);
    }

    public Location location() {
      return doc.locate(offset);
    }

    /** Where element {@code index} starts ({@code [[name]]} for an array of tables). */
    public Location location(int index) {
      return doc.locate(offsets[index]);
    }

    public String string(int index) {
      return typed(index, String.class);
    }

    public Table table(int index) {
      return typed(index, Table.class);
    }

    private <T> T typed(int index, Class<T> type) {
      Object value = get(index);
      if (type.isInstance(value)) {
        return type.cast(value);
      }
      throw location(index).error("element " + (index + 1) + " must be " + typeName(type) + ", not "
          + typeName(value.getClass()));
    }
  }

  static String typeName(Class<?> type) {
    if (type == String.class) {
      return "a string";
    } else if (type == Table.class) {
      return "a table";
    } else if (type == Array.class) {
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
