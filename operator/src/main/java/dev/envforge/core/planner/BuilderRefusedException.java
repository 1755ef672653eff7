package dev.envforge.core.planner;

import dev.envforge.core.recipe.RecipeInputException;

/** The builder asked for cannot build the plan; the message names the package and why. */
public class BuilderRefusedException extends RecipeInputException {
  public BuilderRefusedException(String message) {
    super(message);
  }
}
