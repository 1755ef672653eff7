package dev.envforge.core.recipe;

/**
 * An input of the build that cannot be used: a recipe value (base image, Python version, platform, installer) or a
 * planned package the build context cannot install safely. A problem of the input, never of envforge: callers
 * report it and do not retry.
 */
public class RecipeInputException extends IllegalArgumentException {
  public RecipeInputException(String message) {
    super(message);
  }

  public RecipeInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
