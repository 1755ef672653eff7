package dev.envforge.core.lock.poetry;

import dev.envforge.core.lock.toml.TomlArray;
import dev.envforge.core.lock.toml.TomlDateTime;
import dev.envforge.core.lock.toml.TomlTable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Poetry's {@code content-hash} of a pyproject.toml, as Poetry's Locker computes it: the SHA-256 of
 * {@code json.dumps(relevant, sort_keys=True)}, where {@code relevant} is the dependency-related part of the file.
 * With a {@code [project]} table that has requires-python, dependencies or optional-dependencies, it is
 * {@code {"project": {those keys}, "tool": {"poetry": {dependencies, source, extras, dev-dependencies, group, when
 * set}}, "dependency-groups": {...} when set}}; without, the {@code [tool.poetry]} keys at top level, the four legacy
 * keys written as null when absent.
 */
public final class PoetryContentHash {
  private static final List<String> LEGACY_KEYS = List.of("dependencies", "source", "extras", "dev-dependencies");
  private static final List<String> RELEVANT_KEYS = List.of("dependencies", "source", "extras", "dev-dependencies",
      "group");
  private static final List<String> PROJECT_KEYS = List.of("requires-python", "dependencies",
      "optional-dependencies");

  private PoetryContentHash() {}

  public static String of(TomlTable pyproject) {
    TomlTable project = pyproject.table("project");
    TomlTable tool = pyproject.table("tool");
    TomlTable poetry = tool == null ? null : tool.table("poetry");
    Object groups = pyproject.get("dependency-groups");

    Map<String, Object> projectContent = new LinkedHashMap<>();
    for (String key : PROJECT_KEYS) {
      Object value = project == null ? null : project.get(key);
      if (value != null) {
        projectContent.put(key, value);
      }
    }
    Map<String, Object> poetryContent = new LinkedHashMap<>();
    for (String key : RELEVANT_KEYS) {
      Object value = poetry == null ? null : poetry.get(key);
      if (value == null && (!LEGACY_KEYS.contains(key) || !projectContent.isEmpty())) {
        continue;
      }
      poetryContent.put(key, value);
    }
    Object relevant;
    if (!projectContent.isEmpty()) {
      Map<String, Object> content = new LinkedHashMap<>();
      content.put("project", projectContent);
      content.put("tool", Map.of("poetry", poetryContent));
      if (groups instanceof TomlTable t && !t.isEmpty()) {
        content.put("dependency-groups", groups);
      }
      relevant = content;
    } else {
      relevant = poetryContent;
    }
    StringBuilder json = new StringBuilder();
    pythonJson(relevant, json);
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(json.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  /** Python's {@code json.dumps(value, sort_keys=True)}: ", " and ": " separators, ASCII only. */
  static void pythonJson(Object value, StringBuilder out) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String s) {
      string(s, out);
    } else if (value instanceof Boolean b) {
      out.append(b ? "true" : "false");
    } else if (value instanceof Long || value instanceof Integer) {
      out.append(value);
    } else if (value instanceof Double d) {
      out.append(pythonFloat(d));
    } else if (value instanceof TomlDateTime d) {
      string(d.text(), out); // Poetry cannot hash dates; keeps the check total
    } else if (value instanceof TomlTable table) {
      Map<String, Object> sorted = new TreeMap<>();
      for (String key : table.keys()) {
        sorted.put(key, table.get(key));
      }
      object(sorted, out);
    } else if (value instanceof Map<?, ?> map) {
      Map<String, Object> sorted = new TreeMap<>();
      map.forEach((k, v) -> sorted.put((String) k, v));
      object(sorted, out);
    } else if (value instanceof TomlArray array) {
      List<Object> items = new ArrayList<>();
      for (int i = 0; i < array.size(); i++) {
        items.add(array.get(i));
      }
      list(items, out);
    } else {
      throw new IllegalArgumentException("unexpected TOML value " + value.getClass().getName());
    }
  }

  private static void object(Map<String, Object> sorted, StringBuilder out) {
    out.append('{');
    boolean first = true;
    for (Map.Entry<String, Object> e : sorted.entrySet()) {
      if (!first) {
        out.append(", ");
      }
      first = false;
      string(e.getKey(), out);
      out.append(": ");
      pythonJson(e.getValue(), out);
    }
    out.append('}');
  }

  private static void list(List<Object> items, StringBuilder out) {
    out.append('[');
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        out.append(", ");
      }
      pythonJson(items.get(i), out);
    }
    out.append(']');
  }

  private static void string(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20 || c > 0x7e) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static String pythonFloat(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    String text = Double.toString(d);
    return text.replace("E", "e+").replace("e+-", "e-");
  }
}
