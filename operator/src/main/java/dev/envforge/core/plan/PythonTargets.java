package dev.envforge.core.plan;

import dev.envforge.core.pep.Version;
import dev.envforge.core.pep.VersionConstraint;
import dev.envforge.core.text.Texts;
import java.util.ArrayList;
import java.util.List;

/**
 * The one rule for what a target's Python version means, used by every lock format, the command line and the
 * operator (docs/reference.md, "Python version").
 *
 * <ul>
 *   <li>An image is for a CPython minor version, {@code 3.X}; its canonical form is that minor version. "3.12",
 *       "3.12.7", "3.12.3" and the default all give {@code 3.12} in the recipe, the hash, the labels and the status,
 *       so they give one tag whenever they install the same packages.
 *   <li>Markers on {@code python_full_version} (and {@code implementation_version}) are evaluated at the full
 *       version given, or at {@code 3.X.}{@value #REFERENCE_PATCH} for a bare minor version: the default base
 *       image {@code python:3.X-slim-bookworm} follows the newest patch release, which for the supported versions
 *       is at or past that one. A lock whose markers tell patch releases apart installs other packages for another
 *       patch release; the installed packages are hashed, so that gives another tag, never the same tag for two
 *       environments.
 *   <li>Without a version, {@value #DEFAULT} is used unless the project's requires-python excludes it, then the
 *       highest of 3.13, 3.11, 3.10 and 3.9 that it allows.
 *   <li>A version requires-python excludes is refused ({@link PythonVersionException}), given or chosen.
 * </ul>
 */
public final class PythonTargets {
  /** The minor version used when none is given and requires-python allows it. */
  public static final String DEFAULT = "3.12";
  /** The patch release a bare minor version stands for on {@code python_full_version}. */
  public static final int REFERENCE_PATCH = 7;
  /** Tried in this order when requires-python excludes {@link #DEFAULT}. */
  public static final List<String> FALLBACKS = List.of("3.13", "3.11", "3.10", "3.9");

  private PythonTargets() {}

  /** The canonical form of a CPython version: its minor version, {@code 3.X}. */
  public static String canonical(String version) {
    String[] parts = version.split("\\.");
    if (parts.length < 2) {
      throw new IllegalArgumentException("python: expected a CPython 3 version such as 3.12, got "
          + Texts.quote(version));
    }
    return parts[0] + "." + parts[1];
  }

  /** The version markers on python_full_version see: a full version as given, {@code 3.X.7} for {@code 3.X}. */
  public static String markerVersion(String version) {
    return version.split("\\.").length == 2 ? version + "." + REFERENCE_PATCH : version;
  }

  /**
   * The full version the lock is resolved for: {@code explicit} when given, else the default or a fallback, each as
   * {@link #markerVersion}. {@code requiresPython} (null: no restriction) must allow it.
   *
   * @throws PythonVersionException when requires-python excludes the given version, or every candidate
   */
  public static String choose(String explicit, VersionConstraint requiresPython) {
    if (explicit != null && !explicit.isBlank()) {
      String full = markerVersion(explicit);
      if (requiresPython != null && !requiresPython.contains(Version.parse(full))) {
        throw new PythonVersionException(explicit, "python " + Texts.quote(explicit) + " is excluded by the"
            + " project's requires-python " + Texts.quote(requiresPython.toString())
            + (full.equals(explicit) ? "" : " (" + explicit + " is evaluated as " + full + ")")
            + "; give a version it allows");
      }
      return full;
    }
    List<String> candidates = new ArrayList<>();
    candidates.add(DEFAULT);
    candidates.addAll(FALLBACKS);
    for (String candidate : candidates) {
      String full = markerVersion(candidate);
      if (requiresPython == null || requiresPython.contains(Version.parse(full))) {
        return full;
      }
    }
    throw new PythonVersionException(null, "python: the project's requires-python "
        + Texts.quote(requiresPython.toString()) + " allows none of " + String.join(", ", candidates)
        + ", the versions envforge chooses by itself; give the version explicitly");
  }
}
