package dev.envforge.core.recipe;

import java.util.Locale;

/**
 * What makes an image from a plan. It is part of the recipe, and so of the hash: a tag names the builder that made
 * the image, and the same plan made by the other builder is another image.
 */
public enum Builder {
  /** The rendered build context (Dockerfile, requirements, scripts), built by Kaniko in a build Job. */
  KANIKO("kaniko"),
  /** {@code envforge assemble}: the image written from the plan's wheels, one layer per package, no builder. */
  ASSEMBLE("assemble");

  private final String id;

  Builder(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  public static Builder fromId(String id) {
    for (Builder b : values()) {
      if (b.id.equals(id.toLowerCase(Locale.ROOT))) {
        return b;
      }
    }
    throw new RecipeInputException("unknown builder '" + id + "' (known: assemble, kaniko)");
  }
}
