package dev.envforge.core.plan;

import dev.envforge.core.text.Texts;

/**
 * Where a package comes from. {@code commit} is set for git sources only; {@code subdirectory} where a git or URL
 * source builds from a folder inside it. A URL's credentials are never kept: they would reach the hash, the plan's
 * JSON and the build context, and a build gets them from its credentials Secret instead.
 */
public record PackageSource(Type type, String url, String commit, String subdirectory) {
  public PackageSource {
    url = Texts.withoutUserInfo(url);
  }

  public static final String PYPI = "https://pypi.org/simple";

  public enum Type {
    REGISTRY, GIT, URL;

    public String jsonName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public static PackageSource registry(String url) {
    return new PackageSource(Type.REGISTRY, stripTrailingSlash(url), null, null);
  }

  public static PackageSource git(String url, String commit, String subdirectory) {
    return new PackageSource(Type.GIT, url, commit, subdirectory);
  }

  public static PackageSource url(String url, String subdirectory) {
    return new PackageSource(Type.URL, url, null, subdirectory);
  }

  static String stripTrailingSlash(String url) {
    String u = url;
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    return u;
  }
}
