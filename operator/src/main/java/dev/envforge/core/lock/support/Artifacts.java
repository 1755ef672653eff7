package dev.envforge.core.lock.support;

import dev.envforge.core.pep.MarkerEnvironment;
import dev.envforge.core.pep.WheelTags;
import dev.envforge.core.plan.Artifact;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/** File names, hashes and the target filter shared by the lock formats that list distribution files. */
public final class Artifacts {
  private static final Pattern HASH = Pattern.compile("[a-z0-9_]{2,20}:[0-9a-fA-F]{16,128}");

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
    if (segment == null || segment.isEmpty() || segment.contains("/") || segment.equals(".") || segment.equals("..")
        || Texts.hasControlOrSpace(segment)) {
      return null;
    }
    return segment;
  }

  /** {@code algorithm:hex}, or null when the text is not a plausible hash (so hostile text never reaches a plan). */
  public static String hash(String algorithm, String hex) {
    if (algorithm == null || hex == null) {
      return null;
    }
    String text = algorithm.toLowerCase(java.util.Locale.ROOT) + ":" + hex;
    return HASH.matcher(text).matches() ? text : null;
  }

  /** Whether {@code algorithm:hex} text is a plausible hash. */
  public static boolean isHash(String text) {
    return text != null && HASH.matcher(text).matches();
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
