package dev.envforge.core.runtime;

import dev.envforge.core.hash.PlanHasher;
import dev.envforge.core.plan.PlannedPackage;
import java.util.List;

/**
 * What a variant's runtime groups add on top of its image's plan, installed by the image's launcher when a
 * container starts. It takes no part in the image's plan or hash.
 *
 * @param groups the runtime groups, as the variant names them
 * @param packages the packages the groups add that the image does not hold, sorted by name
 * @param requirements the pip requirements file that installs exactly them: pinned, every file's hash, the index
 *     URLs without credentials; empty when there are no packages
 */
public record RuntimePlan(List<String> groups, List<PlannedPackage> packages, String requirements) {
  /** A variant without runtime groups. */
  public static final RuntimePlan NONE = new RuntimePlan(List.of(), List.of(), "");

  public RuntimePlan {
    groups = List.copyOf(groups);
    packages = List.copyOf(packages);
  }

  /** Whether the variant names runtime groups (even when they add nothing the image lacks). */
  public boolean present() {
    return !groups.isEmpty();
  }

  /** SHA-256 (hex) of the requirements file: the runtime ConfigMap's name comes from it. */
  public String digest() {
    return PlanHasher.sha256Hex(requirements);
  }
}
