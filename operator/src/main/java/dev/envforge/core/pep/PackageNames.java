package dev.envforge.core.pep;

import java.util.Locale;
import java.util.regex.Pattern;

/** PEP 503 / PEP 685 names. */
public final class PackageNames {
  private static final Pattern VALID = Pattern.compile("[A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9]",
      Pattern.CASE_INSENSITIVE);

  private PackageNames() {}

  /** PEP 503 normalization: lower case, runs of '-', '_', '.' become one '-'. */
  public static String normalize(String name) {
    StringBuilder sb = new StringBuilder(name.length());
    boolean inSeparatorRun = false;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '-' || c == '_' || c == '.') {
        if (!inSeparatorRun) {
          sb.append('-');
        }
        inSeparatorRun = true;
      } else {
        sb.append(c);
        inSeparatorRun = false;
      }
    }
    return sb.toString().toLowerCase(Locale.ROOT);
  }

  /** Whether the text is a valid distribution name as PEP 508 defines it. */
  public static boolean isValid(String name) {
    return name != null && VALID.matcher(name).matches();
  }
}
