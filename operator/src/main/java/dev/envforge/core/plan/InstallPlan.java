package dev.envforge.core.plan;

import dev.envforge.core.lock.LockFormat;
import dev.envforge.core.pep.MarkerEnvironment;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The exact set of packages one variant installs on one target. {@code packages} is sorted by name, then by PEP 440
 * version; {@code localSkipped} lists the local packages (directories, editables, workspace members) the walk reached,
 * except the root project, sorted by name. {@code indexes} are the package indexes a lock names for all of its packages
 * in the order it names them (a requirements file's {@code --index-url} and {@code --extra-index-url}); empty when
 * each package's source says where it comes from, or the only index is PyPI. {@code requested} names the packages of
 * the plan that the project asks for itself (the rest are there as dependencies), or is null where the format does not
 * say; it is information only and takes no part in the plan's hash.
 */
public record InstallPlan(LockFormat format, Selection selection, MarkerEnvironment environment,
    List<PlannedPackage> packages, List<String> localSkipped, List<String> indexes, Set<String> requested) {
  public InstallPlan {
    packages = List.copyOf(packages);
    localSkipped = List.copyOf(localSkipped);
    indexes = List.copyOf(indexes);
    if (requested != null) {
      Set<String> installed = new TreeSet<>();
      packages.forEach(p -> installed.add(p.name()));
      installed.retainAll(requested);
      requested = Collections.unmodifiableSet(installed);
    }
  }

  public InstallPlan(LockFormat format, Selection selection, MarkerEnvironment environment,
      List<PlannedPackage> packages, List<String> localSkipped, List<String> indexes) {
    this(format, selection, environment, packages, localSkipped, indexes, null);
  }

  public InstallPlan(LockFormat format, Selection selection, MarkerEnvironment environment,
      List<PlannedPackage> packages, List<String> localSkipped) {
    this(format, selection, environment, packages, localSkipped, List.of(), null);
  }

  /** The same plan with the packages the project asks for itself. */
  public InstallPlan withRequested(Set<String> names) {
    return new InstallPlan(format, selection, environment, packages, localSkipped, indexes, names);
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
