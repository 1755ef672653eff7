package dev.envforge.core.policy;

import dev.envforge.core.plan.InstallPlan;
import dev.envforge.core.plan.PlannedPackage;
import dev.envforge.core.plan.Selection;
import java.util.List;

/**
 * What policies are evaluated against: one resource (or one local project) with its variants' plans.
 *
 * @param imageRepository the repository images are pushed to, or null when there is none (a local check without
 *     a manifest)
 * @param variants the variants, in the order they were declared
 * @param positions where packages and groups are written in the project's files
 */
public record PolicySubject(String imageRepository, List<VariantSubject> variants, ProjectPositions positions) {
  public PolicySubject {
    variants = List.copyOf(variants);
    positions = positions == null ? ProjectPositions.NONE : positions;
  }

  /**
   * One variant: its name, what it selects, the base image its build starts from, its plan (null when only the
   * spec is evaluated), its runtime groups and the packages they add when a container starts.
   */
  public record VariantSubject(String name, Selection selection, String baseImage, InstallPlan plan,
      List<String> runtimeGroups, List<PlannedPackage> runtimePackages) {
    public VariantSubject {
      runtimeGroups = runtimeGroups == null ? List.of() : List.copyOf(runtimeGroups);
      runtimePackages = runtimePackages == null ? List.of() : List.copyOf(runtimePackages);
    }

    public VariantSubject(String name, Selection selection, String baseImage, InstallPlan plan) {
      this(name, selection, baseImage, plan, List.of(), List.of());
    }
  }
}
