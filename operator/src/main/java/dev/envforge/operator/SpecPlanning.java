package dev.envforge.operator;

import dev.envforge.api.v1alpha1.PythonEnvironmentSpec;
import dev.envforge.api.v1alpha1.Variant;
import dev.envforge.core.lock.LockFormat;
import dev.envforge.core.plan.Selection;
import dev.envforge.core.plan.Target;
import dev.envforge.core.planner.PlanningRequest;
import dev.envforge.core.planner.VariantRequest;
import dev.envforge.core.recipe.BuilderMode;
import dev.envforge.core.recipe.Installer;
import java.util.List;

/** How a resource's spec becomes the core's planning requests: one place for the operator and its checks. */
public final class SpecPlanning {
  private SpecPlanning() {}

  /** The target and recipe inputs a spec asks for, for a project whose lock is of {@code format}. */
  public static PlanningRequest request(PythonEnvironmentSpec spec, LockFormat format) {
    return new PlanningRequest(format,
        new Target(spec.getPython(),
            spec.getPlatform() == null ? Target.DEFAULT_PLATFORM : spec.getPlatform().value()),
        spec.getBaseImage(),
        spec.getInstaller() == null ? Installer.UV : Installer.fromId(spec.getInstaller().value()),
        builderMode(spec));
  }

  /** spec.builder.mode; absent means auto. */
  static BuilderMode builderMode(PythonEnvironmentSpec spec) {
    return spec.getBuilder() == null || spec.getBuilder().getMode() == null ? BuilderMode.AUTO
        : BuilderMode.fromId(spec.getBuilder().getMode().value());
  }

  /** The spec's variants, or the one default variant (main dependencies only). */
  public static List<VariantRequest> variants(PythonEnvironmentSpec spec) {
    List<Variant> variants = spec.getVariants() == null || spec.getVariants().isEmpty()
        ? PythonEnvironmentSpec.defaultVariants() : spec.getVariants();
    return variants.stream().map(v -> new VariantRequest(v.getName(), new Selection(
        v.getGroups() == null ? List.of() : v.getGroups(), v.getExtras() == null ? List.of() : v.getExtras()),
        v.getRuntimeGroups())).toList();
  }
}
