package dev.envforge.core.lock.support;

import dev.envforge.core.lock.toml.Location;
import dev.envforge.core.pep.Marker;
import dev.envforge.core.pep.PackageNames;
import dev.envforge.core.pep.PepSyntaxException;
import dev.envforge.core.pep.Requirement;
import dev.envforge.core.pep.Version;
import dev.envforge.core.pep.VersionConstraint;
import java.util.HashMap;
import java.util.Map;

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
    Marker cached = markers.get(text);
    if (cached == null) {
      try {
        cached = Marker.parse(text);
      } catch (PepSyntaxException e) {
        throw where.error("invalid marker " + Texts.quote(text) + ": " + Texts.escape(e.getMessage()));
      }
      markers.put(text, cached);
    }
    return cached;
  }

  public VersionConstraint poetryConstraint(String text, Location where) {
    VersionConstraint cached = poetryConstraints.get(text);
    if (cached == null) {
      try {
        cached = VersionConstraint.parsePoetry(text);
      } catch (PepSyntaxException e) {
        throw where.error("invalid version constraint " + Texts.quote(text) + ": "
            + Texts.escape(e.getMessage()));
      }
      poetryConstraints.put(text, cached);
    }
    return cached;
  }

  public VersionConstraint pep440Constraint(String text, Location where) {
    VersionConstraint cached = pep440Constraints.get(text);
    if (cached == null) {
      try {
        cached = VersionConstraint.parsePep440(text);
      } catch (PepSyntaxException e) {
        throw where.error("invalid version specifier " + Texts.quote(text) + ": "
            + Texts.escape(e.getMessage()));
      }
      pep440Constraints.put(text, cached);
    }
    return cached;
  }

  public Version version(String text, Location where) {
    try {
      return Version.parse(text);
    } catch (PepSyntaxException e) {
      throw where.error("invalid version " + Texts.quote(text) + ": " + Texts.escape(e.getMessage()));
    }
  }

  public Requirement requirement(String text, Location where) {
    try {
      return Requirement.parse(text);
    } catch (PepSyntaxException e) {
      throw where.error("invalid requirement " + Texts.quote(text) + ": " + Texts.escape(e.getMessage()));
    }
  }

  /** The PEP 503 form of a distribution name, after checking that it is a valid PEP 508 name. */
  public String packageName(String text, Location where) {
    String cached = names.get(text);
    if (cached == null) {
      if (!PackageNames.isValid(text)) {
        throw where.error(Texts.quote(text) + " is not a valid package name");
      }
      cached = PackageNames.normalize(text);
      names.put(text, cached);
    }
    return cached;
  }

  /** The PEP 685 form of an extra name, after checking that it is a valid name. */
  public String extraName(String text, Location where) {
    String cached = names.get(text);
    if (cached == null) {
      if (!PackageNames.isValid(text)) {
        throw where.error(Texts.quote(text) + " is not a valid extra name");
      }
      cached = PackageNames.normalize(text);
      names.put(text, cached);
    }
    return cached;
  }
}
