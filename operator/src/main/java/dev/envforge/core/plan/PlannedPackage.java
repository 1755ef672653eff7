package dev.envforge.core.plan;

import java.util.List;

/**
 * One package of an install plan. {@code name} is PEP 503-normalized for Python packages and kept as written for
 * conda packages. {@code manager} is null for Python locks and "conda" or "pip" for conda locks. {@code source} is
 * null where the format records none (requirements files, conda). {@code artifacts} are only the files an installer
 * could pick for the target (compatible wheels and the sdist), sorted by file name.
 */
public record PlannedPackage(String name, String version, PackageSource source, String manager,
    List<Artifact> artifacts) {
  public PlannedPackage {
    artifacts = List.copyOf(artifacts);
  }

  public static PlannedPackage python(String name, String version, PackageSource source, List<Artifact> artifacts) {
    return new PlannedPackage(name, version, source, null, artifacts);
  }
}
