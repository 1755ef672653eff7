package dev.envforge.core.planner;

import dev.envforge.core.plan.Selection;

/** One variant of a project: a name and the groups and extras it installs beyond the main dependencies. */
public record VariantRequest(String name, Selection selection) {
  public static final String DEFAULT_NAME = "default";
}
