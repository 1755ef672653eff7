package dev.envforge.core.plan;

import dev.envforge.core.pep.Version;
import dev.envforge.core.pep.VersionConstraint;
import java.util.List;

/** Chooses the CPython version of a target when the user names none. */
public final class PythonTargets {
  /** The default, then the fallbacks in the order they are tried. */
  public static final String DEFAULT = "3.12.7";
  private static final List<String> FALLBACKS = List.of("3.13.7", "3.11.7", "3.10.7", "3.9.7");

  private PythonTargets() {}

  /**
   * {@code explicit} when given; otherwise 3.12.7 unless the project's requires-python excludes it, then the highest
   * of 3.13.7, 3.11.7, 3.10.7, 3.9.7 that it allows, else 3.12.7.
   */
  public static String choose(String explicit, VersionConstraint requiresPython) {
    if (explicit != null && !explicit.isBlank()) {
      return explicit;
    }
    if (requiresPython == null || requiresPython.contains(Version.parse(DEFAULT))) {
      return DEFAULT;
    }
    for (String candidate : FALLBACKS) {
      if (requiresPython.contains(Version.parse(candidate))) {
        return candidate;
      }
    }
    return DEFAULT;
  }
}
