package dev.envforge.core.lock.support;

import dev.envforge.core.lock.toml.Location;
import dev.envforge.core.pep.Marker;
import dev.envforge.core.pep.PackageNames;
import dev.envforge.core.pep.PepSyntaxException;
import dev.envforge.core.pep.Requirement;
import dev.envforge.core.pep.Version;
import dev.envforge.core.pep.VersionConstraint;
import dev.envforge.core.text.Texts;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Parses PEP 440/508 and Poetry strings once each: a lock repeats the same markers and constraints many times. Syntax
 * errors become {@link dev.envforge.core.lock.LockInputException}s at the place the string was written. One instance
 * serves one reading of a file; it is not thread-safe.
 */
public final class PepCache {
  private final Map<String, Marker> markers = new HashMap<>();
  private final Map<String, VersionConstraint> poetryConstraints = new HashMap<>();
  private final Map<String, VersionConstraint> pep440Constraints = new HashMap<>();
  private final Map<String, String> names = new HashMap<>();

  public Marker marker(String text, Location where) {
    return cached(markers, text, where, Marker::parse, "marker");
  }

  /** A Poetry constraint ({@code ^1.2}, {@code ~1.2}, {@code >=1,<2 || 3.*}). */
  public VersionConstraint poetryConstraint(String text, Location where) {
    return cached(poetryConstraints, text, where, VersionConstraint::parsePoetry, "version constraint");
  }

  /** A PEP 440 version specifier. */
  public VersionConstraint pep440Constraint(String text, Location where) {
    return cached(pep440Constraints, text, where, VersionConstraint::parsePep440, "version specifier");
  }

  public Version version(String text, Location where) {
    return parsed(text, where, Version::parse, "version");
  }

  public Requirement requirement(String text, Location where) {
    return parsed(text, where, Requirement::parse, "requirement");
  }

  /** The PEP 503 form of a distribution name, after checking that it is a valid PEP 508 name. */
  public String packageName(String text, Location where) {
    String cached = names.get(text);
    return cached != null ? cached : normalizedName(text, where, "package name");
  }

  /** The PEP 685 form of an extra name, after checking that it is a valid name. */
  public String extraName(String text, Location where) {
    String cached = names.get(text);
    return cached != null ? cached : normalizedName(text, where, "extra name");
  }

  /** Not {@code computeIfAbsent}, and no lambda per call: most calls are hits, and a failed parse must not be kept. */
  private static <T> T cached(Map<String, T> cache, String text, Location where, Function<String, T> parser,
      String what) {
    T value = cache.get(text);
    if (value == null) {
      value = parsed(text, where, parser, what);
      cache.put(text, value);
    }
    return value;
  }

  private static <T> T parsed(String text, Location where, Function<String, T> parser, String what) {
    try {
      return parser.apply(text);
    } catch (PepSyntaxException e) {
      throw where.error("invalid " + what + " " + Texts.quote(text) + ": " + Texts.escape(e.getMessage()));
    }
  }

  private String normalizedName(String text, Location where, String what) {
    if (!PackageNames.isValid(text)) {
      throw where.error(Texts.quote(text) + " is not a valid " + what);
    }
    String normalized = PackageNames.normalize(text);
    names.put(text, normalized);
    return normalized;
  }
}
