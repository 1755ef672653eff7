package dev.envforge.core.planner;

/**
 * Why a variant cannot be planned or built: a problem of the input, reported to the user and not retried. Anything
 * else that goes wrong while planning is a defect of envforge and is thrown, never turned into one of these.
 *
 * @param kind which input is at fault
 * @param message what is wrong, naming the file (and line and column when known) or the field
 */
public record PlanningProblem(Kind kind, String message) {
  /** Which input is at fault. */
  public enum Kind {
    /** The project files: a lock or pyproject that cannot be read, an unknown group or extra. */
    LOCK,
    /** A recipe value: base image, Python version, platform or installer. */
    RECIPE,
    /** The target's Python version: one the project's requires-python excludes. */
    PYTHON,
    /** A lock that reads fine but whose packages cannot be installed by a build (the build context refuses them). */
    BUILD_CONTEXT,
    /**
     * The variant's runtime groups: an unknown group, a package that conflicts with the image's plan, or one that
     * cannot be installed at start-up (no hashes, no wheel, not from an index).
     */
    RUNTIME,
    /** The builder asked for cannot build the plan (builder mode assemble, a package without a wheel). */
    BUILDER
  }
}
