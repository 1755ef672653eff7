package dev.envforge.core.recipe;

import dev.envforge.core.registry.ImageReference;
import dev.envforge.core.text.Texts;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Where a build fetches what it installs, without changing what it installs: the image uv is copied from, and a
 * mirror for each package index. Neither is part of the image hash: the uv image must hold the pinned uv version,
 * and the installers check every recorded artifact hash whichever index serves it (docs/reference.md, "Package-index
 * mirrors and pinned images").
 *
 * @param uvImage the image holding {@code /uv}, a tag or {@code repository@sha256:<64 hex>}; null for
 *     {@code ghcr.io/astral-sh/uv:<pinned version>}
 * @param indexMirrors index URL as the lock names it → the mirror that serves the same packages; compared without a
 *     trailing slash
 */
public record RenderOptions(String uvImage, Map<String, String> indexMirrors) {
  public static final RenderOptions DEFAULT = new RenderOptions(null, Map.of());
  /** A pinned image: a digest, if any, is {@code @sha256:} and 64 lower-case hex digits. */
  private static final Pattern DIGEST_SUFFIX = Pattern.compile(".*@sha256:[0-9a-f]{64}");

  public RenderOptions {
    if (uvImage == null) {
      uvImage = BuildContextRenderer.UV_IMAGE + ":" + Installer.UV.pinnedVersion();
    }
    checkImage(uvImage, "uvImage");
    Map<String, String> mirrors = new TreeMap<>();
    if (indexMirrors != null) {
      indexMirrors.forEach((index, mirror) -> {
        refuseCredentials(index, "index mirror: index URL");
        refuseCredentials(mirror, "index mirror");
        if (mirror != null && (mirror.contains("?") || mirror.contains("#"))) {
          // a query can carry a token: not repeated
          throw new RecipeInputException("index mirror must not have a query or fragment");
        }
        String from = withoutTrailingSlash(BuildContextRenderer.checkedUrl(index, "index mirror: index URL"));
        String to = BuildContextRenderer.checkedUrl(mirror, "index mirror of " + from);
        mirrors.put(from, to);
      });
    }
    indexMirrors = java.util.Collections.unmodifiableMap(mirrors);
  }

  /**
   * Checks an image reference a build pulls: the OCI grammar, and a digest only in the pinned form
   * {@code @sha256:<64 hex>}.
   *
   * @throws RecipeInputException naming {@code field}
   */
  public static String checkImage(String image, String field) {
    if (image == null || image.length() > 255) {
      throw new RecipeInputException(field + ": not a valid image reference: " + Texts.quote(image));
    }
    try {
      ImageReference.parse(image);
    } catch (IllegalArgumentException e) {
      throw new RecipeInputException(field + ": " + e.getMessage(), e);
    }
    if (image.contains("@") && !DIGEST_SUFFIX.matcher(image).matches()) {
      throw new RecipeInputException(field + ": pin an image by digest as repository@sha256:<64 lower-case hex>,"
          + " got " + Texts.quote(image));
    }
    return image;
  }

  /** A URL with user info is refused without repeating it: the message goes to the status and logs. */
  private static void refuseCredentials(String url, String what) {
    if (url != null && url.contains("@")) {
      throw new RecipeInputException(what + " must not hold credentials (user info or '@'); put them in the"
          + " index-credentials netrc under the host's name");
    }
  }

  /** The URL the build uses for an index the lock names: its mirror, or itself. */
  public String indexUrl(String index) {
    return indexMirrors.getOrDefault(withoutTrailingSlash(index), index);
  }

  private static String withoutTrailingSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
