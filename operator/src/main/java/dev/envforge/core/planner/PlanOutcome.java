package dev.envforge.core.planner;

import dev.envforge.core.recipe.BuildContext;
import dev.envforge.core.runtime.RuntimePlan;

/** What planning one variant gave: a plan with its rendered, validated build context, or an input problem. */
public sealed interface PlanOutcome permits PlanOutcome.Planned, PlanOutcome.Refused {

  /**
   * The variant's plan and the build context that installs it; both are checked, so a build can start. {@code runtime}
   * is what the variant's runtime groups add at start-up, or {@link RuntimePlan#NONE} when it names none.
   */
  record Planned(VariantPlan plan, BuildContext context, RuntimePlan runtime) implements PlanOutcome {
    public Planned {
      runtime = runtime == null ? RuntimePlan.NONE : runtime;
    }

    public Planned(VariantPlan plan, BuildContext context) {
      this(plan, context, RuntimePlan.NONE);
    }
  }

  /** The input cannot be planned or built; the problem says why. */
  record Refused(PlanningProblem problem) implements PlanOutcome {}
}
