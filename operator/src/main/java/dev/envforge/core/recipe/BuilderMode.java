package dev.envforge.core.recipe;

import java.util.Locale;

/**
 * Which builder a variant asks for. {@link #AUTO} is resolved to a concrete {@link Builder} before hashing, so a
 * tag always names what was built.
 */
public enum BuilderMode {
  /** Assemble when every package of the plan has a wheel for the target, else Kaniko. */
  AUTO("auto"),
  /** Always assemble; a plan that cannot be assembled is refused. */
  ASSEMBLE("assemble"),
  /** Always build the rendered context with Kaniko. */
  KANIKO("kaniko");

  private final String id;

  BuilderMode(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  public static BuilderMode fromId(String id) {
    for (BuilderMode m : values()) {
      if (m.id.equals(id.toLowerCase(Locale.ROOT))) {
        return m;
      }
    }
    throw new RecipeInputException("unknown builder mode '" + id + "' (known: auto, assemble, kaniko)");
  }
}
