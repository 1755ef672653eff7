package dev.envforge.core.recipe;

import dev.envforge.core.registry.ImageReference;
import dev.envforge.core.text.Texts;
import java.util.regex.Pattern;

/**
 * Every input of the build besides the install plan. All of it goes into the image hash, so changing any of it
 * builds a new image.
 *
 * @param baseImage image reference of the base (should be pinned by digest for reproducible builds)
 * @param python the CPython version of the image in its canonical form, the minor version {@code 3.X}; a full version
 *     given here is reduced to it ({@link dev.envforge.core.plan.PythonTargets#canonical}), so every spelling of one
 *     version hashes the same
 * @param platform OCI platform, linux/amd64 or linux/arm64
 * @param installer the installer and, through it, its pinned version (used by the Kaniko recipe only)
 * @param builder what makes the image: the Kaniko recipe, or the assembler
 */
public record BuildRecipe(String baseImage, String python, String platform, Installer installer, Builder builder) {
  /**
   * Bumped whenever the rendered build context changes in a way that changes images. 2: a venv without pip, the
   * installer run from outside it, checked-hash bytecode. 3: the
   * image's {@code dev.envforge.python} label is the canonical minor version ("3.12"). 4: the launcher as the
   * entrypoint (runtime groups).
   */
  public static final int RECIPE_VERSION = 4;

  private static final Pattern PYTHON_VERSION = Pattern.compile("^3\\.[0-9]{1,2}(\\.[0-9]{1,3})?$");

  public BuildRecipe {
    // the text goes into FROM as it is: the strict OCI grammar keeps anything else out of the Dockerfile
    if (baseImage == null || baseImage.length() > 255) {
      throw new RecipeInputException("baseImage: not a valid image reference: " + Texts.quote(baseImage));
    }
    try {
      ImageReference.parse(baseImage);
    } catch (IllegalArgumentException e) {
      throw new RecipeInputException("baseImage: " + e.getMessage(), e);
    }
    if (python == null || !PYTHON_VERSION.matcher(python).matches()) {
      throw new RecipeInputException("python: expected a CPython 3 version such as 3.12, got "
          + Texts.quote(python));
    }
    python = dev.envforge.core.plan.PythonTargets.canonical(python);
    try {
      dev.envforge.core.plan.Target.machine(platform);
    } catch (IllegalArgumentException e) {
      throw new RecipeInputException("platform: " + e.getMessage(), e);
    }
    if (installer == null) {
      throw new RecipeInputException("installer: required");
    }
    if (builder == null) {
      throw new RecipeInputException("builder: required");
    }
  }

  /** A recipe built by Kaniko. */
  public BuildRecipe(String baseImage, String python, String platform, Installer installer) {
    this(baseImage, python, platform, installer, Builder.KANIKO);
  }

  /**
   * The default base image for a Python version: the official slim image of its minor version, which follows the
   * newest patch release.
   */
  public static String defaultBaseImage(String pythonFullVersion) {
    String[] parts = pythonFullVersion.split("\\.");
    return "docker.io/library/python:" + parts[0] + "." + parts[1] + "-slim-bookworm";
  }
}
