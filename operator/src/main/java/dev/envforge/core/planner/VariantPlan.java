package dev.envforge.core.planner;

import dev.envforge.core.hash.PlanHash;
import dev.envforge.core.plan.InstallPlan;
import dev.envforge.core.recipe.BuildContext;
import dev.envforge.core.recipe.BuildContextRenderer;
import dev.envforge.core.recipe.BuildRecipe;
import dev.envforge.core.recipe.ImageLabels;

/** Everything envforge knows about one variant's image before building it. */
public record VariantPlan(String variant, InstallPlan plan, BuildRecipe recipe, PlanHash hash, String lockDigest) {
  /** The build context that installs exactly this plan. */
  public BuildContext render() {
    return BuildContextRenderer.render(plan, recipe, new ImageLabels(variant, hash.hex(), lockDigest));
  }
}
