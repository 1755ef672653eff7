package dev.envforge.core.recipe;

/** Shows untrusted text in messages without letting control characters through. */
public final class Printable {
  private Printable() {}

  /** The text in double quotes, with control and non-ASCII characters escaped; "null" for null. */
  public static String quote(String text) {
    if (text == null) {
      return "null";
    }
    StringBuilder sb = new StringBuilder(text.length() + 2).append('"');
    int limit = Math.min(text.length(), 200);
    for (int i = 0; i < limit; i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f || c > 0x7e) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    if (text.length() > limit) {
      sb.append("...");
    }
    return sb.append('"').toString();
  }
}
