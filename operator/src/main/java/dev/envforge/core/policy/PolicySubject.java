package dev.envforge.core.policy;

import dev.envforge.core.plan.InstallPlan;
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
   * One variant: its name, what it selects, the base image its build starts from, and its plan (null when only the
   * spec is evaluated).
   */
  public record VariantSubject(String name, Selection selection, String baseImage, InstallPlan plan) {}
}
