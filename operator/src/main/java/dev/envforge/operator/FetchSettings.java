package dev.envforge.operator;

import dev.envforge.api.v1alpha1.BuilderSpec;
import dev.envforge.api.v1alpha1.Reason;
import dev.envforge.api.v1alpha1.IndexMirror;
import dev.envforge.core.recipe.RecipeInputException;
import dev.envforge.core.recipe.RenderOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a resource's builds fetch uv and packages: its {@code spec.builder.uvImage} and {@code indexMirrors} over
 * the operator's (the builder settings file), as the core's {@link RenderOptions}. The uv image is the resource's,
 * else the operator's; mirrors are merged by index URL, the resource's entry winning.
 */
final class FetchSettings {
  private FetchSettings() {}

  /**
   * @param operatorWide the operator's builder settings, checked at start-up ({@link #checkOperatorWide})
   * @throws SpecProblemException naming the field of {@code spec.builder} that is not usable
   */
  static RenderOptions of(BuilderSpec operatorWide, BuilderSpec resource) {
    checkResource(resource);
    String uvImage = resource != null && resource.getUvImage() != null ? resource.getUvImage()
        : operatorWide == null ? null : operatorWide.getUvImage();
    Map<String, String> mirrors = new LinkedHashMap<>();
    addMirrors(mirrors, operatorWide);
    addMirrors(mirrors, resource);
    return new RenderOptions(uvImage, mirrors);
  }

  /** Checks the resource's own fields one by one, so that the message names the one at fault. */
  static void checkResource(BuilderSpec resource) {
    check(resource, "spec.builder", (field, message) -> new SpecProblemException(Reason.INVALID_SPEC,
        field + ": " + message));
  }

  /**
   * Checks the operator's builder settings (file or flags) at start-up.
   *
   * @throws IllegalArgumentException naming the setting at fault
   */
  static void checkOperatorWide(BuilderSpec operatorWide) {
    check(operatorWide, "builder settings", (field, message) -> new IllegalArgumentException(field + ": "
        + message));
  }

  private interface Problem {
    RuntimeException of(String field, String message);
  }

  private static void check(BuilderSpec spec, String prefix, Problem problem) {
    if (spec == null) {
      return;
    }
    for (String[] image : new String[][] {{"image", spec.getImage()}, {"uvImage", spec.getUvImage()}}) {
      if (image[1] != null) {
        try {
          RenderOptions.checkImage(image[1], image[0]);
        } catch (RecipeInputException e) {
          throw problem.of(prefix + "." + image[0], e.getMessage().substring(image[0].length() + 2));
        }
      }
    }
    List<IndexMirror> mirrors = spec.getIndexMirrors() == null ? List.of() : spec.getIndexMirrors();
    for (int i = 0; i < mirrors.size(); i++) {
      IndexMirror mirror = mirrors.get(i);
      String field = prefix + ".indexMirrors[" + i + "]";
      if (mirror == null || mirror.getUrl() == null || mirror.getMirror() == null) {
        throw problem.of(field, "url and mirror are required");
      }
      try {
        new RenderOptions(null, Map.of(mirror.getUrl(), mirror.getMirror()));
      } catch (RecipeInputException e) {
        throw problem.of(field, e.getMessage());
      }
    }
  }

  private static void addMirrors(Map<String, String> mirrors, BuilderSpec spec) {
    if (spec != null && spec.getIndexMirrors() != null) {
      for (IndexMirror mirror : spec.getIndexMirrors()) {
        String url = mirror.getUrl().endsWith("/") ? mirror.getUrl().substring(0, mirror.getUrl().length() - 1)
            : mirror.getUrl();
        mirrors.put(url, mirror.getMirror());
      }
    }
  }
}
