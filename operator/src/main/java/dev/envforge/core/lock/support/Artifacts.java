package dev.envforge.core.lock.support;

import dev.envforge.core.pep.MarkerEnvironment;
import dev.envforge.core.pep.WheelTags;
import dev.envforge.core.plan.Artifact;
import dev.envforge.core.text.Texts;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/** File names, hashes and the target filter shared by the lock formats that list distribution files. */
public final class Artifacts {
  private Artifacts() {}

  /**
   * The file name of a URL or path: its last segment, without query or fragment, percent-decoded ({@code %2B} is
   * '+', and a '+' stays a '+'). Null when there is no usable last segment.
   */
  public static String filenameOf(String urlOrPath) {
    if (urlOrPath == null) {
      return null;
    }
    String s = urlOrPath;
    int cut = indexOfAny(s, '?', '#');
    if (cut >= 0) {
      s = s.substring(0, cut);
    }
    int slash = Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\'));
    String segment = percentDecode(s.substring(slash + 1));
    return isPlainFilename(segment) ? segment : null;
  }

  /** {@code algorithm:hex}, or null when the text is not a plausible hash (so hostile text never reaches a plan). */
  public static String hash(String algorithm, String hex) {
    if (algorithm == null || hex == null) {
      return null;
    }
    String text = algorithm.toLowerCase(Locale.ROOT) + ":" + hex;
    return isHash(text) ? text : null;
  }

  /**
   * Whether text is a plausible hash: {@code algorithm:hex}, 2 to 20 characters of [a-z0-9_], then 16 to 128 hex
   * digits. Checked without a regular expression: a lock lists thousands.
   */
  public static boolean isHash(String text) {
    if (text == null) {
      return false;
    }
    int colon = text.indexOf(':');
    int hexLength = text.length() - colon - 1;
    if (colon < 2 || colon > 20 || hexLength < 16 || hexLength > 128) {
      return false;
    }
    for (int k = 0; k < colon; k++) {
      char c = text.charAt(k);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
        return false;
      }
    }
    for (int k = colon + 1; k < text.length(); k++) {
      char c = text.charAt(k);
      // a digit lookup, not three range tests: hex digits are random, and branches on them mispredict
      if (c > 'f' || Character.digit(c, 16) < 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether a distribution's file name is a plain name: not empty, not {@code .} or {@code ..}, without path
   * separators, whitespace or control characters (checked per character: a lock lists thousands).
   */
  public static boolean isPlainFilename(String name) {
    if (name == null || name.isEmpty() || name.equals(".") || name.equals("..")) {
      return false;
    }
    for (int k = 0; k < name.length(); k++) {
      char c = name.charAt(k);
      if (c <= ' ' || c == 0x7f || c == '/' || c == '\\') {
        return false;
      }
      if (c > 0x7e) {
        return !Texts.hasControlOrSpace(name);
      }
    }
    return true;
  }

  /** The artifacts an installer on the target could pick (by {@link WheelTags#isInstallable}), sorted. */
  public static List<Artifact> installable(Collection<Artifact> artifacts, MarkerEnvironment environment) {
    List<Artifact> kept = new ArrayList<>();
    for (Artifact a : artifacts) {
      if (a.filename() != null && WheelTags.isInstallable(a.filename(), environment)) {
        kept.add(a);
      }
    }
    kept.sort(PlanOrder.ARTIFACTS);
    return kept;
  }

  private static int indexOfAny(String s, char a, char b) {
    int i = s.indexOf(a);
    int j = s.indexOf(b);
    return i < 0 ? j : (j < 0 ? i : Math.min(i, j));
  }

  private static String percentDecode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int i = 0;
    while (i < s.length()) {
      int c = s.codePointAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          return null;
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        bytes.write(hi * 16 + lo);
        i += 3;
      } else {
        byte[] encoded = new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8);
        bytes.write(encoded, 0, encoded.length);
        i += Character.charCount(c);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
