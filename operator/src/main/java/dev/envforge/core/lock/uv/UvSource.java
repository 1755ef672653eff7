package dev.envforge.core.lock.uv;

import dev.envforge.core.lock.support.SourceUrls;
import dev.envforge.core.lock.toml.TomlTable;
import dev.envforge.core.plan.PackageSource;
import dev.envforge.core.text.Texts;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A uv.lock {@code source = { kind = "value" }}: a registry, git, URL or local (path, directory, editable, virtual)
 * source. Equal sources are written the same way, which is how an edge names one of several entries of a name.
 */
record UvSource(Kind kind, String value, String subdirectory) {

  enum Kind {
    REGISTRY, GIT, URL, PATH, DIRECTORY, EDITABLE, VIRTUAL;

    String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Reads a source table; every problem is reported at the table. */
  static UvSource read(TomlTable table) {
    UvSource found = null;
    for (String key : table.keys()) {
      Kind kind = kindOf(key);
      if (kind == null) {
        continue;
      }
      if (found != null) {
        throw table.error("a source names both '" + found.kind.key() + "' and '" + kind.key() + "'");
      }
      String value = table.string(key);
      boolean local = kind != Kind.REGISTRY && kind != Kind.GIT && kind != Kind.URL;
      if (value == null || !SourceUrls.isWellFormed(value, local)) {
        throw table.error(key, "invalid " + kind.key() + " source " + Texts.quote(String.valueOf(value)));
      }
      String subdirectory = table.string("subdirectory");
      if (subdirectory != null && Texts.hasControl(subdirectory)) {
        throw table.error("subdirectory", "invalid subdirectory " + Texts.quote(subdirectory));
      }
      found = new UvSource(kind, value, subdirectory);
    }
    if (found == null) {
      throw table.error("unknown source kind (known: registry, git, url, path, directory, editable, virtual)");
    }
    if (found.kind == Kind.REGISTRY || found.kind == Kind.GIT || found.kind == Kind.URL) {
      boolean gitScheme = found.kind == Kind.GIT && SourceUrls.hasGitScheme(found.value);
      // a registry may also be a local folder of distributions (uv's flat or find-links indexes)
      boolean localIndex = found.kind == Kind.REGISTRY && !found.value.contains("://");
      if (!SourceUrls.isFetchable(found.value) && !gitScheme && !localIndex) {
        throw table.error("unsupported " + found.kind.key() + " URL " + Texts.quote(found.value));
      }
    }
    if (found.kind == Kind.GIT) {
      found.gitCommit(table);
    }
    return found;
  }

  private static Kind kindOf(String key) {
    for (Kind kind : Kind.values()) {
      if (kind.key().equals(key)) {
        return kind;
      }
    }
    return null;
  }

  /** Not installed: the project itself, workspace members and path packages. */
  boolean isLocal() {
    return kind == Kind.PATH || kind == Kind.DIRECTORY || kind == Kind.EDITABLE || kind == Kind.VIRTUAL;
  }

  /** The plan's form: registry URL; git URL without query or fragment, with its commit and subdirectory; URL. */
  PackageSource toPackageSource() {
    return switch (kind) {
      case REGISTRY -> PackageSource.registry(value);
      case URL -> PackageSource.url(value, subdirectory);
      case GIT -> PackageSource.git(withoutQuery(value), fragment(value),
          subdirectory != null ? subdirectory : query(value, "subdirectory"));
      default -> throw new IllegalStateException("a local source has no package source: " + value);
    };
  }

  private String gitCommit(TomlTable table) {
    String commit = fragment(value);
    if (!SourceUrls.isCommit(commit)) {
      throw table.error("git source " + Texts.quote(value) + " does not end in '#<commit>'");
    }
    return commit;
  }

  private static String withoutQuery(String url) {
    int cut = url.length();
    int q = url.indexOf('?');
    int h = url.indexOf('#');
    if (q >= 0) {
      cut = q;
    }
    if (h >= 0 && h < cut) {
      cut = h;
    }
    return url.substring(0, cut);
  }

  private static String fragment(String url) {
    int h = url.indexOf('#');
    return h < 0 ? null : url.substring(h + 1);
  }

  private static String query(String url, String parameter) {
    int q = url.indexOf('?');
    if (q < 0) {
      return null;
    }
    int h = url.indexOf('#', q);
    String query = url.substring(q + 1, h < 0 ? url.length() : h);
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals(parameter)) {
        return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }
}
