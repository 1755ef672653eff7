package dev.envforge.core.text;

/**
 * Puts text from project files into messages safely: quoted, control characters and line separators escaped, long
 * text shortened, and the user info (credentials) of URLs redacted. Every message envforge writes about its input
 * goes through here, so no path prints a password or token.
 */
public final class Texts {
  /** What stands in a message where a URL's user info (user name, password or token) was. */
  public static final String REDACTED = "***";

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
    text = redact(text);
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
          if (needsEscape(c) || Character.isSurrogate(c) && !validSurrogatePair(text, i)) {
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

  /**
   * A whole message made safe for one line of a terminal or log: credentials redacted, control characters, format
   * characters and line separators escaped; nothing cut and no quotes added (its parts are quoted already).
   */
  public static String oneLine(String message) {
    String text = redact(message == null ? "null" : message);
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (needsEscape(c) || Character.isSurrogate(c) && !validSurrogatePair(text, i)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  /** Controls, format characters and line or paragraph separators (U+2028, U+2029), which can forge lines. */
  private static boolean needsEscape(char c) {
    int type = Character.getType(c);
    return Character.isISOControl(c) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR;
  }

  /**
   * The text with the user info of every URL in it replaced by {@value #REDACTED}: {@code https://user:token@host/}
   * becomes {@code https://***@host/}. A user name without a password is kept only for non-HTTP schemes
   * ({@code git+ssh://git@github.com}), where it names an account and not a secret.
   */
  public static String redact(String text) {
    if (text == null || text.indexOf('@') < 0 || !text.contains("://")) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int from = 0;
    int scan = 0;
    while (true) {
      int sep = text.indexOf("://", scan);
      if (sep < 0) {
        break;
      }
      int schemeStart = sep;
      while (schemeStart > 0 && isSchemeChar(text.charAt(schemeStart - 1))) {
        schemeStart--;
      }
      int authorityStart = sep + 3;
      int authorityEnd = authorityStart;
      while (authorityEnd < text.length() && !endsAuthority(text.charAt(authorityEnd))) {
        authorityEnd++;
      }
      int at = text.lastIndexOf('@', authorityEnd - 1);
      if (at >= authorityStart) {
        String scheme = text.substring(schemeStart, sep);
        String userInfo = text.substring(authorityStart, at);
        if (isSecret(scheme, userInfo)) {
          out.append(text, from, authorityStart).append(REDACTED);
          from = at;
        }
      }
      scan = Math.max(authorityEnd, sep + 3);
    }
    return from == 0 ? text : out.append(text, from, text.length()).toString();
  }

  /**
   * The text with the secret user info of every URL in it removed ({@code https://user:token@host/} becomes
   * {@code https://host/}), so that a project file can be handed on without credentials: the plan made from it is
   * the same, because plans keep no credentials either.
   */
  public static String withoutUrlCredentials(String text) {
    String redacted = redact(text);
    return redacted == text ? text : redacted.replace("://" + REDACTED + "@", "://");
  }

  /**
   * The URL without its user info when that is a secret (see {@link #redact}); plans, hashes and rendered files keep
   * no credentials, which come to a build from its credentials Secret instead.
   */
  public static String withoutUserInfo(String url) {
    if (url == null || url.indexOf('@') < 0) {
      return url;
    }
    String redacted = redact(url);
    return redacted.equals(url) ? url : redacted.replaceFirst("://" + java.util.regex.Pattern.quote(REDACTED) + "@",
        "://");
  }

  private static boolean isSecret(String scheme, String userInfo) {
    String s = scheme.toLowerCase(java.util.Locale.ROOT);
    boolean http = s.equals("http") || s.equals("https") || s.endsWith("+http") || s.endsWith("+https");
    return http || userInfo.indexOf(':') >= 0 || userInfo.indexOf('%') >= 0;
  }

  private static boolean isSchemeChar(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.';
  }

  private static boolean endsAuthority(char c) {
    return c == '/' || c == '?' || c == '#' || c == '\\' || c == '"' || c == '\'' || c == '<' || c == '>'
        || Character.isWhitespace(c) || Character.isISOControl(c);
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
