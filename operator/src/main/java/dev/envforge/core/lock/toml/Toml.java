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
 *
 * <p>tomlj needs hundreds of bytes of memory per byte of text and recurses once per nesting level, so it only ever
 * sees a bounded piece of text: the whole text when it is small, else the statement where the reader stopped, and
 * never text that nests deeper than the reader allows. Beyond that the reader's own position is reported.
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
      return reportError(file, text, e.offset, e.statementStart, e.reason);
    }
  }

  /** Texts up to this many characters are given to tomlj whole (about 60 MiB of heap at most, measured). */
  static final int TOMLJ_WHOLE_TEXT = 128 * 1024;
  /** A statement up to this many characters is given to tomlj alone when the text is larger. */
  static final int TOMLJ_STATEMENT = 16 * 1024;

  /** The error of text the fast reader stopped on at {@code offset}, inside the statement at {@code statementStart}. */
  static TomlTable reportError(String file, String text, int offset, int statementStart, String reason) {
    SourceText source = new SourceText(file, text);
    int lineEnd = text.indexOf('\n', offset);
    lineEnd = lineEnd < 0 ? text.length() : lineEnd + 1;
    if (text.length() <= TOMLJ_WHOLE_TEXT && shallow(text, 0, text.length())) {
      return parseWithTomlj(file, text);
    }
    int windowStart = text.lastIndexOf('\n', Math.max(statementStart - 1, 0)) + 1;
    if (statementStart == 0) {
      windowStart = 0;
    }
    if (lineEnd - windowStart <= TOMLJ_STATEMENT && shallow(text, windowStart, lineEnd)) {
      TomlParseResult result = org.tomlj.Toml.parse(text.substring(windowStart, lineEnd));
      if (result.hasErrors()) {
        throw tomljError(file, result.errors().get(0), source.line(windowStart) - 1);
      }
    }
    throw new LockInputException(file, source.line(offset), source.column(offset),
        "malformed TOML: " + (reason != null ? reason : "not valid here") + (offset >= text.length() ? " (unexpected end of input)"
            : ": " + Texts.quote(text.substring(offset, Math.min(text.length(), Math.min(lineEnd, offset + 40)))
                .stripTrailing())));
  }

  /**
   * Whether brackets and braces nest at most twice the reader's limit in this part of the text, counted without
   * regard to strings (so a string can only make it look deeper): tomlj recurses once per level.
   */
  private static boolean shallow(String text, int from, int to) {
    int depth = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c == '[' || c == '{') {
        if (++depth > 2 * TomlParser.MAX_NESTING) {
          return false;
        }
      } else if ((c == ']' || c == '}') && depth > 0) {
        depth--;
      }
    }
    return true;
  }

  private static String shortened(String message) {
    return message.length() <= 200 ? message : message.substring(0, 200) + "...";
  }

  private static LockInputException tomljError(String file, TomlParseError error, int lineShift) {
    TomlPosition position = error.position();
    int line = position == null ? 0 : position.line() + lineShift;
    int column = position == null ? 0 : position.column();
    return new LockInputException(file, line, column,
        "malformed TOML: " + shortened(Texts.oneLine(String.valueOf(error.getMessage()))), error);
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
      throw tomljError(file, result.errors().get(0), 0);
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
