package dev.envforge.core.lock.poetry;

import dev.envforge.core.lock.support.PepCache;
import dev.envforge.core.lock.toml.Location;
import dev.envforge.core.pep.Marker;
import dev.envforge.core.pep.MarkerEnvironment;
import dev.envforge.core.pep.Version;
import dev.envforge.core.pep.VersionConstraint;
import dev.envforge.core.text.Texts;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Poetry's {@code python = "..."} and {@code platform = "..."} dependency constraints as markers, the way Poetry
 * writes them: each bound with at most two release parts compares {@code python_version}, a longer one
 * {@code python_full_version}; {@code platform} compares {@code sys_platform}.
 */
final class PythonConstraints {
  private static final Pattern OPERATOR_SPACE = Pattern.compile("(\\^|~=|~|===|==|!=|<=|>=|<|>|=)\\s+");
  private static final Pattern BOUND = Pattern.compile("(\\^|~=|~|==|!=|<=|>=|<|>|=)?([0-9][0-9A-Za-z.+!-]*?)(\\.\\*)?");
  private static final Pattern RELEASE = Pattern.compile("[0-9]+(\\.[0-9]+)*");

  private PythonConstraints() {}

  /** One comparison of the Python version; {@code full} selects python_full_version. */
  private record Bound(VersionConstraint specifier, boolean full) {
    boolean test(MarkerEnvironment environment) {
      String value = full ? environment.pythonFullVersion() : environment.pythonVersion();
      return specifier.contains(Version.parse(value));
    }
  }

  /** The marker of a Poetry {@code python} constraint such as {@code ">=3.9,<3.12"}, {@code "^3.10"} or {@code "3.11.*"}. */
  static Marker pythonMarker(String constraint, Location where, PepCache pep) {
    List<List<Bound>> alternatives = new ArrayList<>();
    for (String alternative : constraint.split("\\|\\|?")) {
      String compact = OPERATOR_SPACE.matcher(alternative.trim()).replaceAll("$1");
      List<Bound> bounds = new ArrayList<>();
      for (String term : compact.split("[,\\s]+")) {
        if (!term.isEmpty() && !term.equals("*")) {
          bounds.addAll(bounds(term, constraint, where, pep));
        }
      }
      alternatives.add(bounds);
    }
    return (environment, extras) -> {
      for (List<Bound> all : alternatives) {
        boolean holds = true;
        for (Bound b : all) {
          if (!b.test(environment)) {
            holds = false;
            break;
          }
        }
        if (holds) {
          return true;
        }
      }
      return false;
    };
  }

  private static List<Bound> bounds(String term, String constraint, Location where, PepCache pep) {
    Matcher m = BOUND.matcher(term);
    if (!m.matches()) {
      throw where.error("invalid python constraint " + Texts.quote(constraint));
    }
    String operator = m.group(1) == null ? "==" : m.group(1);
    String version = m.group(2);
    boolean wildcard = m.group(3) != null;
    Matcher release = RELEASE.matcher(version);
    if (!release.lookingAt()) {
      throw where.error("invalid python constraint " + Texts.quote(constraint));
    }
    int[] parts = parts(release.group());
    switch (operator) {
      case "^" -> {
        return List.of(bound(">=", version, parts.length, pep, where), bound("<", caretUpper(parts), parts.length, pep,
            where));
      }
      case "~", "~=" -> {
        return List.of(bound(">=", version, parts.length, pep, where),
            bound("<", tildeUpper(parts, operator.equals("~=")), parts.length, pep, where));
      }
      default -> {
        String op = operator.equals("=") ? "==" : operator;
        if (wildcard) {
          if (!op.equals("==") && !op.equals("!=")) {
            throw where.error("invalid python constraint " + Texts.quote(constraint));
          }
          // "3.11.*" is python_version == "3.11": the same as comparing the full version with the wildcard
          return List.of(new Bound(pep.pep440Constraint(op + version + ".*", where), true));
        }
        return List.of(bound(op, version, parts.length, pep, where));
      }
    }
  }

  private static Bound bound(String operator, String version, int precision, PepCache pep, Location where) {
    return new Bound(pep.pep440Constraint(operator + version, where), precision > 2);
  }

  private static int[] parts(String release) {
    String[] texts = release.split("\\.");
    int[] parts = new int[texts.length];
    for (int k = 0; k < texts.length; k++) {
      parts[k] = Integer.parseInt(texts[k].length() > 9 ? texts[k].substring(0, 9) : texts[k]);
    }
    return parts;
  }

  /** ^1.2.3 → 2.0.0, ^0.2.3 → 0.3.0, ^0.0.3 → 0.0.4: the first non-zero part goes up, precision is kept. */
  private static String caretUpper(int[] parts) {
    int k = 0;
    while (k < parts.length - 1 && parts[k] == 0) {
      k++;
    }
    return bump(parts, k, parts.length);
  }

  /** ~1.2.3 → 1.3.0, ~1.2 → 1.3, ~1 → 2; ~=1.2 → 2.0, ~=1.2.3 → 1.3.0. */
  private static String tildeUpper(int[] parts, boolean compatibleRelease) {
    int k;
    if (compatibleRelease) {
      k = Math.max(parts.length - 2, 0);
    } else {
      k = parts.length == 1 ? 0 : 1;
    }
    return bump(parts, k, parts.length);
  }

  private static String bump(int[] parts, int index, int precision) {
    StringBuilder out = new StringBuilder();
    for (int k = 0; k < precision; k++) {
      if (k > 0) {
        out.append('.');
      }
      out.append(k < index ? parts[k] : k == index ? parts[k] + 1 : 0);
    }
    return out.toString();
  }

  /** The marker of a Poetry {@code platform} constraint: {@code "linux"}, {@code "!win32"}, {@code "linux || darwin"}. */
  static Marker platformMarker(String constraint) {
    List<List<String>> alternatives = new ArrayList<>();
    for (String alternative : constraint.split("\\|\\|?")) {
      List<String> terms = new ArrayList<>();
      for (String term : alternative.split(",")) {
        if (!term.isBlank()) {
          terms.add(term.trim());
        }
      }
      alternatives.add(terms);
    }
    return (environment, extras) -> {
      for (List<String> terms : alternatives) {
        boolean holds = true;
        for (String term : terms) {
          if (!platformTerm(term, environment.sysPlatform())) {
            holds = false;
            break;
          }
        }
        if (holds) {
          return true;
        }
      }
      return false;
    };
  }

  private static boolean platformTerm(String term, String platform) {
    if (term.equals("*")) {
      return true;
    }
    if (term.startsWith("!=")) {
      return !term.substring(2).trim().equals(platform);
    }
    if (term.startsWith("!")) {
      return !term.substring(1).trim().equals(platform);
    }
    if (term.startsWith("==")) {
      return term.substring(2).trim().equals(platform);
    }
    return term.equals(platform);
  }
}
