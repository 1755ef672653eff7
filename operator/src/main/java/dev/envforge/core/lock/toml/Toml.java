package dev.envforge.core.lock.toml;

import dev.envforge.core.lock.LockInputException;
import dev.envforge.core.lock.toml.TomlTable.Origin;
import dev.envforge.core.text.Texts;
import java.util.List;
import java.util.Map;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;

/**
 * Reads TOML project files (pyproject.toml, poetry.lock, uv.lock, pylock.toml) into tables that remember where each
 * key and element was written, so that a problem found later can name {@code file:line:column}.
 *
 * <p>Lock files run to megabytes and are read on every change; tomlj's generated parser needs several hundred
 * milliseconds for one, so a hand-written single-pass parser reads valid TOML, every layout TOML 1.0 allows
 * included. It reports no errors itself: on text that is not valid TOML it stops, and tomlj parses the text again
 * to report the error with its message and position. Valid text is never parsed twice.
 */
public final class Toml {
  private Toml() {}

  /**
   * Parses {@code text}; {@code file} is how the file is named in messages. The root table is located at 1:1.
   *
   * @throws LockInputException when the text is not valid TOML
   */
  public static TomlTable parse(String file, String text) {
    try {
      return parseFast(file, text);
    } catch (TomlParser.Unsupported e) {
      return parseWithTomlj(file, text);
    }
  }

  /** The hand-written parser alone; throws {@link TomlParser.Unsupported} where it hands over to tomlj. */
  static TomlTable parseFast(String file, String text) {
    return new TomlParser(new SourceText(file, text)).parse();
  }

  /**
   * tomlj alone: the error of text that is not TOML, or (should the fast parser ever refuse valid text) the same
   * tables, with tomlj's positions.
   */
  static TomlTable parseWithTomlj(String file, String text) {
    TomlParseResult result = org.tomlj.Toml.parse(text);
    if (result.hasErrors()) {
      TomlParseError error = result.errors().get(0);
      TomlPosition position = error.position();
      int line = position == null ? 0 : position.line();
      int column = position == null ? 0 : position.column();
      throw new LockInputException(file, line, column,
          "malformed TOML: " + Texts.escape(String.valueOf(error.getMessage())), error);
    }
    SourceText source = new SourceText(file, text);
    return convert(source, result, 0);
  }

  private static TomlTable convert(SourceText source, org.tomlj.TomlTable from, int offset) {
    TomlTable table = new TomlTable(source, offset, Origin.EXPLICIT);
    for (Map.Entry<String, Object> entry : from.entrySet()) {
      int keyOffset = offsetOf(source, from.inputPositionOf(List.of(entry.getKey())));
      table.put(entry.getKey(), convertValue(source, entry.getValue(), keyOffset), keyOffset);
    }
    return table;
  }

  private static Object convertValue(SourceText source, Object value, int offset) {
    if (value instanceof org.tomlj.TomlTable table) {
      return convert(source, table, offset);
    }
    if (value instanceof org.tomlj.TomlArray from) {
      TomlArray array = new TomlArray(source, offset, false);
      for (int i = 0; i < from.size(); i++) {
        int elementOffset = offsetOf(source, from.inputPositionOf(i));
        array.add(convertValue(source, from.get(i), elementOffset), elementOffset);
      }
      return array;
    }
    if (value instanceof String || value instanceof Long || value instanceof Double || value instanceof Boolean) {
      return value;
    }
    return new TomlDateTime(String.valueOf(value));
  }

  private static int offsetOf(SourceText source, TomlPosition position) {
    return position == null ? 0 : source.offset(position.line(), position.column());
  }
}
