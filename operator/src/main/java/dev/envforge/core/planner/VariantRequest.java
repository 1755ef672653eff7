package dev.envforge.core.planner;

import dev.envforge.core.plan.Selection;
import java.util.List;

/**
 * One variant of a project: a name, the groups and extras its image installs beyond the main dependencies, and the
 * runtime groups whose packages are installed when a container starts (never part of the image or its hash).
 */
public record VariantRequest(String name, Selection selection, List<String> runtimeGroups) {
  public static final String DEFAULT_NAME = "default";

  public VariantRequest {
    runtimeGroups = runtimeGroups == null ? List.of() : List.copyOf(runtimeGroups);
  }

  public VariantRequest(String name, Selection selection) {
    this(name, selection, List.of());
  }

  /** Whether the variant names runtime groups. */
  public boolean hasRuntimeGroups() {
    return !runtimeGroups.isEmpty();
  }
}
