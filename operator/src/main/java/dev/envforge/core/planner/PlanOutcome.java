package dev.envforge.core.planner;

import dev.envforge.core.recipe.BuildContext;

/** What planning one variant gave: a plan with its rendered, validated build context, or an input problem. */
public sealed interface PlanOutcome permits PlanOutcome.Planned, PlanOutcome.Refused {

  /** The variant's plan and the build context that installs it; both are checked, so a build can start. */
  record Planned(VariantPlan plan, BuildContext context) implements PlanOutcome {}

  /** The input cannot be planned or built; the problem says why. */
  record Refused(PlanningProblem problem) implements PlanOutcome {}
}
