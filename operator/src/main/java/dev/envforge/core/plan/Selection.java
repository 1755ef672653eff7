package dev.envforge.core.plan;

import java.util.List;

/**
 * What a variant installs beyond the project's main dependencies: dependency groups (as the project writes them)
 * and extras of the root project. For conda locks the groups are categories.
 */
public record Selection(List<String> groups, List<String> extras) {
  public static final Selection MAIN = new Selection(List.of(), List.of());

  public Selection {
    groups = List.copyOf(groups);
    extras = List.copyOf(extras);
  }
}
