package dev.envforge.core.recipe;

import java.util.Locale;

/** The tool that installs the plan inside the image. */
public enum Installer {
  /** uv, copied into the build from its official image at a pinned version. */
  UV("uv", Installer.UV_VERSION),
  /**
   * The base image's own pip ({@code python3 -m pip}, 22.3 or newer), installing into the venv through
   * {@code --python}; its version comes with the base image.
   */
  PIP("pip", "bundled");

  /** The uv version builds install with; the uv image must hold it. */
  public static final String UV_VERSION = "0.9.5";

  private final String id;
  private final String pinnedVersion;

  Installer(String id, String pinnedVersion) {
    this.id = id;
    this.pinnedVersion = pinnedVersion;
  }

  public String id() {
    return id;
  }

  /** The version the recipe installs with; part of the image hash. */
  public String pinnedVersion() {
    return pinnedVersion;
  }

  public static Installer fromId(String id) {
    for (Installer i : values()) {
      if (i.id.equals(id.toLowerCase(Locale.ROOT))) {
        return i;
      }
    }
    throw new RecipeInputException("unknown installer '" + id + "' (known: uv, pip)");
  }
}
