package dev.envforge.core.runtime;

import dev.envforge.core.lock.LockResolver;
import dev.envforge.core.lock.ProjectFiles;
import dev.envforge.core.pep.PackageNames;
import dev.envforge.core.plan.InstallPlan;
import dev.envforge.core.plan.PlannedPackage;
import dev.envforge.core.plan.Selection;
import dev.envforge.core.plan.Target;
import dev.envforge.core.recipe.RecipeInputException;
import dev.envforge.core.recipe.RuntimeRequirements;
import dev.envforge.core.text.Texts;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Works out what a variant's runtime groups add on top of its image: the same lock is resolved for the variant's
 * selection plus the runtime groups, and every package the image does not hold is a runtime package. A package the
 * image holds at another version (or from another source) cannot be installed beside it and is refused, naming both.
 */
public final class RuntimeResolver {
  private RuntimeResolver() {}

  /**
   * @param resolver the resolver of the project's lock (the one that made {@code image})
   * @param image the image's plan for the variant's selection on the target
   * @throws RuntimeInputException when a group is unknown or named twice, a package conflicts with the image, or a
   *     package cannot be installed at start-up
   */
  public static RuntimePlan resolve(LockResolver resolver, ProjectFiles files, Selection selection,
      List<String> runtimeGroups, Target target, InstallPlan image) {
    if (runtimeGroups.isEmpty()) {
      return RuntimePlan.NONE;
    }
    Set<String> seen = new LinkedHashSet<>();
    for (String group : runtimeGroups) {
      if (!seen.add(group)) {
        throw new RuntimeInputException("group " + Texts.quote(group) + " is named twice");
      }
      if (selection.groups().contains(group)) {
        throw new RuntimeInputException("group " + Texts.quote(group) + " is in the image already (groups);"
            + " name it in one of groups and runtimeGroups");
      }
    }
    List<String> groups = new ArrayList<>(selection.groups());
    groups.addAll(runtimeGroups);
    InstallPlan combined = resolver.resolve(files, new Selection(groups, selection.extras()), target);

    Map<String, PlannedPackage> inImage = new HashMap<>();
    for (PlannedPackage p : image.packages()) {
      inImage.put(PackageNames.normalize(p.name()), p);
    }
    List<PlannedPackage> added = new ArrayList<>();
    for (PlannedPackage p : combined.packages()) {
      PlannedPackage held = inImage.get(PackageNames.normalize(p.name()));
      if (held == null) {
        added.add(p);
      } else if (!held.version().equals(p.version()) || !Objects.equals(held.source(), p.source())) {
        throw new RuntimeInputException("package " + p.name() + " " + p.version() + describeSource(p, held)
            + " of runtime group" + (runtimeGroups.size() == 1 ? " " : "s ") + String.join(", ", runtimeGroups)
            + " conflicts with " + held.name() + " " + held.version() + describeSource(held, p)
            + " in the image's plan; a container cannot hold both");
      }
    }
    added.sort(Comparator.comparing(PlannedPackage::name));
    try {
      return new RuntimePlan(runtimeGroups, added, RuntimeRequirements.render(added, combined.indexes()));
    } catch (RecipeInputException e) {
      throw new RuntimeInputException(e.getMessage());
    }
  }

  /** The source, when it is what differs (same version from two places). */
  private static String describeSource(PlannedPackage p, PlannedPackage other) {
    if (!p.version().equals(other.version()) || Objects.equals(p.source(), other.source())) {
      return "";
    }
    return p.source() == null ? " (no source recorded)"
        : " (" + p.source().type().jsonName() + " " + p.source().url() + ")";
  }
}
