package dev.envforge.core.lock.poetry;

/** Puts text from input files into error messages without letting it break the message. */
final class Messages {
  private static final int MAX_LENGTH = 200;

  private Messages() {}

  /** {@code 'text'} with control characters escaped and very long text shortened. */
  static String quote(String text) {
    return "'" + escape(text) + "'";
  }

  /** Escapes control and line-breaking characters (\n, \t, \\uXXXX) and shortens text over 200 characters. */
  static String escape(String text) {
    if (text == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_LENGTH) + 8);
    for (int i = 0; i < text.length(); i++) {
      if (out.length() >= MAX_LENGTH) {
        out.append("...");
        break;
      }
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || Character.getType(c) == Character.FORMAT) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}
