package dev.envforge.core.plan;

import dev.envforge.core.lock.LockFormat;
import dev.envforge.core.pep.MarkerEnvironment;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The exact set of packages one variant installs on one target. {@code packages} is sorted by name, then by PEP 440
 * version; {@code localSkipped} lists the local packages (directories, editables, workspace members) the walk reached,
 * except the root project, sorted by name. {@code requested} names the packages of the plan that the project asks for
 * itself (the rest are there as dependencies), or is null where the format does not say; it is information only and
 * takes no part in the plan's hash.
 */
public record InstallPlan(LockFormat format, Selection selection, MarkerEnvironment environment,
    List<PlannedPackage> packages, List<String> localSkipped, Set<String> requested) {
  public InstallPlan {
    packages = List.copyOf(packages);
    localSkipped = List.copyOf(localSkipped);
    if (requested != null) {
      Set<String> installed = new TreeSet<>();
      packages.forEach(p -> installed.add(p.name()));
      installed.retainAll(requested);
      requested = java.util.Collections.unmodifiableSet(installed);
    }
  }

  /** A plan whose format does not say which packages were asked for. */
  public InstallPlan(LockFormat format, Selection selection, MarkerEnvironment environment,
      List<PlannedPackage> packages, List<String> localSkipped) {
    this(format, selection, environment, packages, localSkipped, null);
  }

  /** Whether the format says which packages were asked for. */
  public boolean marksRequested() {
    return requested != null;
  }

  /** True when the project asks for the package itself, false when it is a dependency or the format does not say. */
  public boolean isRequested(PlannedPackage p) {
    return requested != null && requested.contains(p.name());
  }

  /** The number of requested packages, or -1 when the format does not say. */
  public int requestedCount() {
    return requested == null ? -1 : requested.size();
  }
}
