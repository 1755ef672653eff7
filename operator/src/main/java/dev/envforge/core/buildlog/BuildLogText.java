package dev.envforge.core.buildlog;

import dev.envforge.core.text.Texts;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A builder's log made fit to keep: credentials removed (the user info of URLs, and every known secret value in
 * plain, base64 and URL-encoded form), and its tail cut to a size a status can hold.
 */
public final class BuildLogText {
  /** Shorter values (a user name, "{}") are too common to tell a secret from ordinary text. */
  public static final int MIN_SECRET_LENGTH = 8;
  /** What the tail starts with when the log was longer. */
  public static final String CUT = "[...]\n";

  private BuildLogText() {}

  /** The log with URL user info ({@link Texts#redact}) and every known secret value replaced by "***". */
  public static String redact(String log, Collection<String> secretValues) {
    if (log == null) {
      return null;
    }
    String text = Texts.redact(log);
    for (String secret : forms(secretValues)) {
      text = text.replace(secret, Texts.REDACTED);
    }
    return text;
  }

  /** The secret values worth looking for, longest first, so no shorter one leaves a part of a longer one. */
  static List<String> forms(Collection<String> secretValues) {
    Set<String> forms = new LinkedHashSet<>();
    for (String value : secretValues) {
      if (value == null || value.length() < MIN_SECRET_LENGTH) {
        continue;
      }
      forms.add(value);
      forms.add(Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
      forms.add(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }
    List<String> ordered = new ArrayList<>(forms);
    ordered.sort(Comparator.comparingInt(String::length).reversed());
    return ordered;
  }

  /**
   * The end of the log in at most {@code maxBytes} bytes of UTF-8: whole lines when the last line fits, never a
   * split character, starting with {@value #CUT} when something was cut.
   */
  public static String tail(String log, int maxBytes) {
    if (log == null) {
      return null;
    }
    byte[] bytes = log.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= maxBytes) {
      return log;
    }
    int budget = maxBytes - CUT.length();
    if (budget <= 0) {
      throw new IllegalArgumentException("a tail needs more than " + CUT.length() + " bytes");
    }
    int start = bytes.length - budget;
    // not inside a character: skip UTF-8 continuation bytes
    while (start < bytes.length && (bytes[start] & 0xC0) == 0x80) {
      start++;
    }
    // from the start of a line, when that leaves the last line whole
    for (int i = start; i < bytes.length - 1; i++) {
      if (bytes[i] == '\n') {
        start = i + 1;
        break;
      }
    }
    return CUT + new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8);
  }
}
