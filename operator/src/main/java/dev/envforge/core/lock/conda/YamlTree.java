package dev.envforge.core.lock.conda;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.envforge.core.lock.InputLimits;
import dev.envforge.core.lock.LockInputException;
import dev.envforge.core.text.Texts;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as maps, lists and scalars that keep their text exactly as written ({@code 1.10} stays "1.10",
 * where a number would become 1.1) and their line and column, for messages that point at the value.
 */
final class YamlTree {
  private static final YAMLFactory FACTORY = new YAMLFactory();

  private YamlTree() {}

  /** A node: a {@link Mapping}, a {@link Sequence} or a {@link Scalar} (whose text is null for YAML null). */
  sealed interface Node permits Mapping, Sequence, Scalar {
    int line();

    int column();
  }

  record Mapping(Map<String, Node> entries, Map<String, int[]> keyPositions, int line, int column)
      implements Node {}

  record Sequence(List<Node> items, int line, int column) implements Node {}

  record Scalar(String text, int line, int column) implements Node {}

  /** @throws LockInputException at the parser's position when the text is not YAML */
  static Node parse(String file, String text) {
    try (JsonParser parser = FACTORY.createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new LockInputException(file, 1, 1, "empty YAML document");
      }
      return read(parser, file, 0);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new LockInputException(file, at == null ? 0 : Math.max(at.getLineNr(), 0),
          at == null ? 0 : Math.max(at.getColumnNr(), 0), "malformed YAML: " + Texts.escape(summary(e)), e);
    } catch (IOException e) {
      throw new LockInputException(file, 0, 0, "cannot read YAML: " + Texts.escape(e.getMessage()), e);
    }
  }

  /** SnakeYAML's message spans several lines with the offending text; its last problem line says what is wrong. */
  private static String summary(JsonProcessingException e) {
    String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    StringBuilder out = new StringBuilder();
    for (String line : message.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("in '") || trimmed.equals("^") || line.startsWith("    ")) {
        continue;
      }
      if (out.length() > 0) {
        out.append("; ");
      }
      out.append(trimmed);
    }
    return out.toString();
  }

  private static Node read(JsonParser parser, String file, int depth) throws IOException {
    JsonLocation at = parser.currentTokenLocation();
    int line = at.getLineNr();
    int column = at.getColumnNr();
    JsonToken token = parser.currentToken();
    if ((token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) && depth >= InputLimits.MAX_NESTING) {
      throw new LockInputException(file, line, column, "malformed YAML: mappings and sequences nest more than "
          + InputLimits.MAX_NESTING + " deep");
    }
    switch (token) {
      case START_OBJECT -> {
        Map<String, Node> entries = new LinkedHashMap<>();
        Map<String, int[]> keyPositions = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String key = parser.currentName();
          JsonLocation keyAt = parser.currentTokenLocation();
          if (entries.containsKey(key)) {
            throw new LockInputException(file, keyAt.getLineNr(), keyAt.getColumnNr(),
                "duplicate key " + Texts.quote(key));
          }
          parser.nextToken();
          entries.put(key, read(parser, file, depth + 1));
          keyPositions.put(key, new int[] {keyAt.getLineNr(), keyAt.getColumnNr()});
        }
        return new Mapping(entries, keyPositions, line, column);
      }
      case START_ARRAY -> {
        List<Node> items = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          items.add(read(parser, file, depth + 1));
        }
        return new Sequence(items, line, column);
      }
      case VALUE_NULL -> {
        return new Scalar(null, line, column);
      }
      default -> {
        return new Scalar(parser.getText(), line, column);
      }
    }
  }
}
