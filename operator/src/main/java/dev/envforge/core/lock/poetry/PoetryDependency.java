package dev.envforge.core.lock.poetry;

import dev.envforge.core.lock.toml.Location;
import dev.envforge.core.pep.Marker;
import dev.envforge.core.pep.MarkerEnvironment;
import dev.envforge.core.pep.Version;
import dev.envforge.core.pep.VersionConstraint;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One dependency edge: a declaration in pyproject.toml or a dependency of a locked package.
 *
 * @param name PEP 503 name of the target
 * @param constraints version constraints that must all hold (empty: any version)
 * @param extras PEP 685 names of the extras requested of the target
 * @param marker when the edge applies; Poetry's {@code python}/{@code platform} constraints are folded in
 * @param optional true for a locked package's dependency that only an extra pulls in
 * @param sourceName the {@code [[tool.poetry.source]]} the declaration names, or null
 * @param direct whether the declaration is a git, url or path dependency, or null for an index dependency
 * @param location where the declaration is written
 */
record PoetryDependency(String name, List<VersionConstraint> constraints, Set<String> extras, Marker marker,
    boolean optional, String sourceName, DirectKind direct, Location location) {

  PoetryDependency {
    constraints = List.copyOf(constraints);
    extras = Set.copyOf(extras);
  }

  /** The kinds of direct (non-index) dependency, and the lock source types each one matches. */
  enum DirectKind {
    GIT("git"), URL("url"), PATH("directory", "file");

    private final Set<String> sourceTypes;

    DirectKind(String... sourceTypes) {
      this.sourceTypes = Set.of(sourceTypes);
    }

    boolean matches(String sourceType) {
      return sourceType != null && sourceTypes.contains(sourceType);
    }
  }

  /** Whether a locked version satisfies every constraint; a locked pre-release counts like a final version. */
  boolean allows(Version version) {
    for (VersionConstraint c : constraints) {
      if (!c.containsAllowingPrereleases(version)) {
        return false;
      }
    }
    return true;
  }

  boolean applies(MarkerEnvironment environment, Set<String> requestedExtras) {
    return marker.evaluate(environment, requestedExtras);
  }

  /** The same edge with other extras requested of the target. */
  PoetryDependency withExtras(Set<String> newExtras) {
    return new PoetryDependency(name, constraints, newExtras, marker, optional, sourceName, direct, location);
  }

  /** Marker conjunction that keeps {@link Marker#TRUE} cheap. */
  static Marker and(Marker a, Marker b) {
    if (a == Marker.TRUE) {
      return b;
    }
    if (b == Marker.TRUE) {
      return a;
    }
    return (environment, extras) -> a.evaluate(environment, extras) && b.evaluate(environment, extras);
  }

  /**
   * A PEP 621 declaration enriched by Poetry's declaration of the same name, as Poetry 2 does: both version
   * constraints hold, both markers hold, and the Poetry side adds its source and direct reference.
   */
  PoetryDependency enrichedBy(PoetryDependency poetry) {
    List<VersionConstraint> both = new ArrayList<>(constraints);
    both.addAll(poetry.constraints);
    Set<String> allExtras = new TreeSet<>(extras);
    allExtras.addAll(poetry.extras);
    return new PoetryDependency(name, both, allExtras, and(marker, poetry.marker), false,
        sourceName != null ? sourceName : poetry.sourceName, direct != null ? direct : poetry.direct, location);
  }
}
