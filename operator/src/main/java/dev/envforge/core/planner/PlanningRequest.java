package dev.envforge.core.planner;

import dev.envforge.core.lock.LockFormat;
import dev.envforge.core.plan.Target;
import dev.envforge.core.recipe.BuilderMode;
import dev.envforge.core.recipe.Installer;

/**
 * How to read a project and build its images.
 *
 * @param format the lock format, or null to detect it from the files
 * @param target the Python version (null: chosen from requires-python) and platform
 * @param baseImage the base image, or null for the official slim image of the target's Python
 * @param installer the installer used in the image by the Kaniko recipe
 * @param builderMode which builder makes the image; {@code auto} is resolved per plan
 */
public record PlanningRequest(LockFormat format, Target target, String baseImage, Installer installer,
    BuilderMode builderMode) {
  public static final PlanningRequest DEFAULTS = new PlanningRequest(null, Target.DEFAULT, null, Installer.UV);

  public PlanningRequest {
    builderMode = builderMode == null ? BuilderMode.AUTO : builderMode;
  }

  /** A request with the default builder mode, {@code auto}. */
  public PlanningRequest(LockFormat format, Target target, String baseImage, Installer installer) {
    this(format, target, baseImage, installer, BuilderMode.AUTO);
  }
}
