package dev.envforge.core.text;

/** Puts text from project files into messages safely: quoted, control characters escaped, long text shortened. */
public final class Texts {
  private static final int MAX_SHOWN = 120;

  private Texts() {}

  /** The text in single quotes, with control characters escaped and anything past 120 characters cut. */
  public static String quote(String text) {
    if (text == null) {
      return "null";
    }
    return "'" + escape(text) + "'";
  }

  /** The text with control characters (and quotes) escaped, cut after 120 characters. */
  public static String escape(String text) {
    StringBuilder out = new StringBuilder();
    int shown = 0;
    for (int i = 0; i < text.length(); i++) {
      if (shown == MAX_SHOWN) {
        out.append("...");
        break;
      }
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\\' -> out.append("\\\\");
        case '\'' -> out.append("\\'");
        default -> {
          if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
              || Character.isSurrogate(c) && !validSurrogatePair(text, i)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
      shown++;
    }
    return out.toString();
  }

  private static boolean validSurrogatePair(String text, int i) {
    char c = text.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
  }

  /** Whether the text holds a control character (which has no place in a path or URL, though a space may). */
  public static boolean hasControl(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (Character.isISOControl(text.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  /** Whether the text holds a character that has no place in a name, version, URL or hash: controls, whitespace. */
  public static boolean hasControlOrSpace(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c) || Character.isWhitespace(c) || Character.isSpaceChar(c)
          || Character.getType(c) == Character.FORMAT) {
        return true;
      }
    }
    return false;
  }
}
