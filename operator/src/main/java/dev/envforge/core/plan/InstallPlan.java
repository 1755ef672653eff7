package dev.envforge.core.plan;

import dev.envforge.core.lock.LockFormat;
import dev.envforge.core.pep.MarkerEnvironment;
import java.util.List;

/**
 * The exact set of packages one variant installs on one target. {@code packages} is sorted by name, then by PEP 440
 * version; {@code localSkipped} lists the local packages (directories, editables, workspace members) the walk reached,
 * except the root project, sorted by name.
 */
public record InstallPlan(LockFormat format, Selection selection, MarkerEnvironment environment,
    List<PlannedPackage> packages, List<String> localSkipped) {
  public InstallPlan {
    packages = List.copyOf(packages);
    localSkipped = List.copyOf(localSkipped);
  }
}
