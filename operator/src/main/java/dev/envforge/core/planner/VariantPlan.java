package dev.envforge.core.planner;

import dev.envforge.core.hash.PlanHash;
import dev.envforge.core.plan.InstallPlan;
import dev.envforge.core.recipe.BuildContext;
import dev.envforge.core.recipe.BuildContextRenderer;
import dev.envforge.core.recipe.BuildRecipe;
import dev.envforge.core.recipe.ImageLabels;
import dev.envforge.core.recipe.RenderOptions;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Everything envforge knows about one variant's image before building it. The lock's digest (a label of the image)
 * is worked out when first asked for: printing a tag does not need it.
 */
public final class VariantPlan {
  private final String variant;
  private final InstallPlan plan;
  private final BuildRecipe recipe;
  private final PlanHash hash;
  private final String builderReason;
  private Supplier<String> lockDigestSource;
  private String lockDigest;

  public VariantPlan(String variant, InstallPlan plan, BuildRecipe recipe, PlanHash hash, String lockDigest) {
    this(variant, plan, recipe, hash, () -> lockDigest, null);
  }

  VariantPlan(String variant, InstallPlan plan, BuildRecipe recipe, PlanHash hash, Supplier<String> lockDigest,
      String builderReason) {
    this.variant = variant;
    this.plan = plan;
    this.recipe = recipe;
    this.hash = hash;
    this.lockDigestSource = lockDigest;
    this.builderReason = builderReason;
  }

  public String variant() {
    return variant;
  }

  public InstallPlan plan() {
    return plan;
  }

  public BuildRecipe recipe() {
    return recipe;
  }

  public PlanHash hash() {
    return hash;
  }

  /** Why {@code recipe().builder()} builds this image (see {@link BuilderChoice}); null when not recorded. */
  public String builderReason() {
    return builderReason;
  }

  /** SHA-256 of the lock file the plan was resolved from. */
  public synchronized String lockDigest() {
    if (lockDigest == null) {
      lockDigest = lockDigestSource.get();
      lockDigestSource = null; // lets the lock's text go
    }
    return lockDigest;
  }

  /** The build context that installs exactly this plan. */
  public BuildContext render() {
    return render(RenderOptions.DEFAULT);
  }

  /** The same, fetching uv and the packages as {@code options} say; the installed packages are the same. */
  public BuildContext render(RenderOptions options) {
    return BuildContextRenderer.render(plan, recipe, new ImageLabels(variant, hash.hex(), lockDigest()), options);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VariantPlan other && variant.equals(other.variant) && plan.equals(other.plan)
        && recipe.equals(other.recipe) && hash.equals(other.hash) && lockDigest().equals(other.lockDigest());
  }

  @Override
  public int hashCode() {
    return Objects.hash(variant, plan, recipe, hash);
  }

  @Override
  public String toString() {
    return "VariantPlan[variant=" + variant + ", hash=" + hash.tag() + ", packages=" + plan.packages().size() + "]";
  }
}
