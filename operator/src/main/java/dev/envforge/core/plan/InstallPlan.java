package dev.envforge.core.plan;

import dev.envforge.core.lock.LockFormat;
import dev.envforge.core.pep.MarkerEnvironment;
import java.util.List;

/**
 * The exact set of packages one variant installs on one target. {@code packages} is sorted by name, then by PEP 440
 * version; {@code localSkipped} lists the local packages (directories, editables, workspace members) the walk reached,
 * except the root project, sorted by name. {@code indexes} are the package indexes a lock names for all of its packages
 * in the order it names them (a requirements file's {@code --index-url} and {@code --extra-index-url}); empty when
 * each package's source says where it comes from, or the only index is PyPI.
 */
public record InstallPlan(LockFormat format, Selection selection, MarkerEnvironment environment,
    List<PlannedPackage> packages, List<String> localSkipped, List<String> indexes) {
  public InstallPlan {
    packages = List.copyOf(packages);
    localSkipped = List.copyOf(localSkipped);
    indexes = List.copyOf(indexes);
  }

  public InstallPlan(LockFormat format, Selection selection, MarkerEnvironment environment,
      List<PlannedPackage> packages, List<String> localSkipped) {
    this(format, selection, environment, packages, localSkipped, List.of());
  }
}
