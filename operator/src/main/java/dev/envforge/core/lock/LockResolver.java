package dev.envforge.core.lock;

import dev.envforge.core.plan.InstallPlan;
import dev.envforge.core.plan.Selection;
import dev.envforge.core.plan.Target;

/** Works out the exact install plan of one selection of a project's lock for one target. */
public interface LockResolver {
  /**
   * @throws LockInputException for bad input: malformed files, a lock that does not match its pyproject, an unknown
   *     group or extra, an unknown lock version, a package the lock references but does not contain.
   */
  InstallPlan resolve(ProjectFiles files, Selection selection, Target target);
}
