package dev.envforge.core.pep;

import java.util.Locale;

/**
 * Which distribution files an installer could pick for a Linux CPython target (PEP 425, 427, 600, 656).
 *
 * <p>The supported tags are those 'packaging' lists for CPython X.Y on Linux ({@code packaging.tags.sys_tags}): python
 * tag {@code cpXY} with ABI {@code cpXY}, {@code abi3} or {@code none}; {@code cp3Y'} for Y' from Y down to 2 with
 * {@code abi3}; {@code pyXY}, {@code py3} and {@code py3Y'} for Y' from Y down to 0 with ABI {@code none}. Platforms
 * are {@code any}, {@code linux_<machine>}, the manylinux aliases {@code manylinux1}/{@code manylinux2010}/
 * {@code manylinux2014} and {@code manylinux_<major>_<minor>_<machine>} for every glibc version: envforge assumes its
 * base image has a recent glibc, so the glibc bound of a manylinux tag is not checked. musllinux wheels are not
 * installable on a glibc base. Platform {@code any} goes with ABI {@code none} only. Free-threaded ({@code cp313t})
 * and debug ABIs are not supported.
 */
public final class WheelTags {
  private static final String[] SDIST_SUFFIXES = {".tar.gz", ".tgz", ".zip", ".tar.bz2", ".tbz", ".tar.xz", ".txz",
      ".tar.lz", ".tar.lzma", ".tar.zst", ".tar", ".tar.z"};
  private static final String[] LINUX_PREFIXES = {"linux_", "manylinux1_", "manylinux2010_", "manylinux2014_"};

  private WheelTags() {}

  /**
   * Whether an installer on the target could install this file: an sdist always; a wheel when one of its tag triples
   * is supported by CPython {@code environment.python_version} on manylinux (glibc) for the environment's machine.
   * Eggs, Windows installers and other files are not installable. A URL or path is reduced to its file name.
   */
  public static boolean isInstallable(String filename, MarkerEnvironment environment) {
    String name = fileName(filename);
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".whl")) {
      return isCompatibleWheel(name.substring(0, name.length() - 4), environment);
    }
    for (String suffix : SDIST_SUFFIXES) {
      if (lower.endsWith(suffix)) {
        return true;
      }
    }
    return false;
  }

  /** Whether the wheel file name (with or without '.whl') has a tag triple the target supports. */
  public static boolean isCompatibleWheel(String wheelName, MarkerEnvironment environment) {
    String stem = wheelName.toLowerCase(Locale.ROOT).endsWith(".whl")
        ? wheelName.substring(0, wheelName.length() - 4) : wheelName;
    String[] parts = stem.split("-");
    if (parts.length != 5 && parts.length != 6) {
      return false; // not a PEP 427 name
    }
    int n = parts.length;
    String[] pythonTags = parts[n - 3].toLowerCase(Locale.ROOT).split("\\.");
    String[] abiTags = parts[n - 2].toLowerCase(Locale.ROOT).split("\\.");
    String[] platformTags = parts[n - 1].toLowerCase(Locale.ROOT).split("\\.");
    int minor = python3Minor(environment.pythonVersion());
    if (minor < 0) {
      return false;
    }
    String machine = environment.platformMachine().toLowerCase(Locale.ROOT);
    String cpython = "cp3" + minor;

    for (String platform : platformTags) {
      if (!isSupportedPlatform(platform, machine)) {
        continue;
      }
      for (String python : pythonTags) {
        for (String abi : abiTags) {
          // 'any' goes with ABI 'none' only: no installer lists cp312-cp312-any or cp39-abi3-any.
          if ((!platform.equals("any") || abi.equals("none")) && isSupportedInterpreterAbi(python, abi, minor, cpython)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /**
   * Y of a Python version {@code 3.Y} or {@code 3.Y.anything} (Y of one to four digits), else -1. Read by hand: it
   * runs for every wheel of a lock.
   */
  static int python3Minor(String version) {
    if (!version.startsWith("3.")) {
      return -1;
    }
    int end = 2;
    while (end < version.length() && version.charAt(end) >= '0' && version.charAt(end) <= '9') {
      end++;
    }
    if (end == 2 || end > 6 || end < version.length() && (version.charAt(end) != '.'
        || hasLineTerminator(version, end))) {
      return -1;
    }
    return Integer.parseInt(version, 2, end, 10);
  }

  /** Whether the text has a character that a regular expression's '.' does not match, from {@code from} on. */
  private static boolean hasLineTerminator(String text, int from) {
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
        return true;
      }
    }
    return false;
  }

  private static boolean isSupportedInterpreterAbi(String python, String abi, int minor, String cpython) {
    switch (abi) {
      case "none":
        return python.equals(cpython) || python.equals("py3") || pyMinorAtMost(python, "py3", minor);
      case "abi3":
        return python.equals(cpython) || pyMinorAtMost(python, "cp3", minor) && minorOf(python, "cp3") >= 2;
      default:
        return abi.equals(cpython) && python.equals(cpython);
    }
  }

  /** Whether the tag is prefix + a minor version at most {@code minor} (py3Y, cp3Y). */
  private static boolean pyMinorAtMost(String tag, String prefix, int minor) {
    int tagMinor = minorOf(tag, prefix);
    return tagMinor >= 0 && tagMinor <= minor;
  }

  private static int minorOf(String tag, String prefix) {
    if (!tag.startsWith(prefix) || tag.length() == prefix.length() || tag.length() > prefix.length() + 3) {
      return -1;
    }
    for (int i = prefix.length(); i < tag.length(); i++) {
      if (!Character.isDigit(tag.charAt(i))) {
        return -1;
      }
    }
    return Integer.parseInt(tag, prefix.length(), tag.length(), 10);
  }

  /** {@code any}, or a Linux platform tag of the machine: {@code linux_}, the manylinux aliases, {@code manylinux_X_Y_}. */
  private static boolean isSupportedPlatform(String platform, String machine) {
    if (platform.equals("any")) {
      return true;
    }
    int prefixLength = platform.length() - machine.length();
    if (prefixLength <= 0 || !platform.endsWith(machine)) {
      return false;
    }
    for (String prefix : LINUX_PREFIXES) {
      if (prefix.length() == prefixLength && platform.startsWith(prefix)) {
        return true;
      }
    }
    // manylinux_<major>_<minor>_<machine>
    if (!platform.startsWith("manylinux_") || machine.isEmpty() || hasLineTerminator(machine, 0)) {
      return false;
    }
    int i = "manylinux_".length();
    for (int number = 0; number < 2; number++) {
      int start = i;
      while (i < prefixLength && platform.charAt(i) >= '0' && platform.charAt(i) <= '9') {
        i++;
      }
      if (i == start || i >= prefixLength || platform.charAt(i) != '_') {
        return false;
      }
      i++;
    }
    return i == prefixLength;
  }

  private static String fileName(String pathOrUrl) {
    String name = pathOrUrl;
    int cut = indexOfAny(name, '#', '?');
    if (cut >= 0) {
      name = name.substring(0, cut);
    }
    return name.substring(name.lastIndexOf('/') + 1);
  }

  private static int indexOfAny(String text, char a, char b) {
    int i = text.indexOf(a);
    int j = text.indexOf(b);
    return i < 0 ? j : j < 0 ? i : Math.min(i, j);
  }
}
