package dev.envforge.core.planner;

import dev.envforge.core.assemble.Assemblability;
import dev.envforge.core.plan.InstallPlan;
import dev.envforge.core.recipe.Builder;
import dev.envforge.core.recipe.BuilderMode;

/**
 * The builder of a variant's image and why it was chosen. Pure: the plan and the recipe inputs decide, so the
 * command line and the operator choose the same builder, and the tag, which includes it, names what was built.
 *
 * @param builder the concrete builder
 * @param reason why, in words a person reads in the status: the mode that was asked for, or for {@code auto} what
 *     the plan allowed ("package foo 1.0 has ... (only an sdist, which must be built)")
 */
public record BuilderChoice(Builder builder, String reason) {

  /**
   * Resolves a builder mode for a plan.
   *
   * @throws BuilderRefusedException when {@code assemble} is asked for a plan that cannot be assembled
   */
  public static BuilderChoice resolve(BuilderMode mode, InstallPlan plan, String baseImage, String python,
      String platform) {
    if (mode == BuilderMode.KANIKO) {
      return new BuilderChoice(Builder.KANIKO, "builder mode kaniko");
    }
    Assemblability.Verdict verdict = Assemblability.check(plan, baseImage, python, platform);
    if (mode == BuilderMode.ASSEMBLE) {
      if (!verdict.assemblable()) {
        throw new BuilderRefusedException("builder mode assemble, but " + verdict.reason()
            + "; the assembler installs wheels only: use builder mode auto or kaniko for this environment");
      }
      return new BuilderChoice(Builder.ASSEMBLE, "builder mode assemble; " + verdict.reason());
    }
    return verdict.assemblable() ? new BuilderChoice(Builder.ASSEMBLE, verdict.reason())
        : new BuilderChoice(Builder.KANIKO, verdict.reason());
  }
}
