package dev.envforge.core.recipe;

import dev.envforge.core.plan.Artifact;
import dev.envforge.core.plan.InstallPlan;
import dev.envforge.core.plan.PackageSource;
import dev.envforge.core.plan.PlannedPackage;
import dev.envforge.core.text.Texts;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Renders the build context that installs exactly an install plan: no resolver runs at build time (every package
 * is pinned and installed with {@code --no-deps}), and hashes are verified for every package whose lock records
 * them.
 *
 * <p>The venv holds the plan and nothing else: it is created without pip, and the installer runs from outside it
 * (the base image's {@code python3 -m pip --python}, or uv). The installers write no bytecode; the fixed script
 * {@value BuildContext#COMPILE_SCRIPT} then compiles site-packages to checked-hash {@code .pyc} files (PEP 552),
 * which stay valid when the build sets every file time to 0 (Kaniko's {@code --reproducible}) and are the same bytes
 * on every build. Nothing else in the build writes bytecode ({@code PYTHONDONTWRITEBYTECODE}), so the same plan,
 * recipe and base image give the same install layer.
 *
 * <p>Nothing from the lock reaches the Dockerfile: package names, versions, URLs and hashes go only into the
 * requirements files, after strict validation, and the Dockerfile's RUN instruction is fixed text. Index credentials
 * are read at build time from {@value #SECRET_DIR}/netrc, a mount of the build container that is never part of a
 * layer, the context or a build argument.
 */
public final class BuildContextRenderer {
  /** Where the build expects the optional netrc file with package-index credentials. */
  public static final String SECRET_DIR = "/run/secrets/envforge";
  public static final String VENV = "/opt/venv";
  /** The image's user: numeric, so no passwd entry is needed in the base. */
  public static final String IMAGE_USER = "65532:65532";
  static final String UV_IMAGE = "ghcr.io/astral-sh/uv";
  /** Where the COPY instruction puts the context's files in the image. */
  static final String CONTEXT_IN_IMAGE = "/usr/share/envforge/";
  private static final String COMPILE_SCRIPT_TEXT = resource(BuildContext.COMPILE_SCRIPT);
  private static final String LAUNCHER_TEXT = resource(BuildContext.LAUNCHER);
  /** The image's entrypoint ({@value BuildContext#LAUNCHER} in the context). */
  public static final String LAUNCHER_IN_IMAGE = "/usr/share/envforge/" + BuildContext.LAUNCHER;
  /** The image's default command, which the launcher execs when a Pod gives no args. */
  public static final String DEFAULT_COMMAND = "python3";
  /** Where a Pod mounts the runtime requirements (the key of the runtime ConfigMap) for the launcher. */
  public static final String RUNTIME_REQUIREMENTS_MOUNT = "/etc/envforge/runtime";
  /** Where the launcher installs runtime packages: a writable directory, an emptyDir in a Pod. */
  public static final String RUNTIME_DIRECTORY = "/var/lib/envforge/runtime";

  /** The launcher script every envforge image carries at {@link #LAUNCHER_IN_IMAGE}. */
  public static String launcherScript() {
    return LAUNCHER_TEXT;
  }

  static final Pattern NAME = Pattern.compile("^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$");
  static final Pattern VERSION = Pattern.compile("^[0-9A-Za-z.+!_-]{1,128}$");
  static final Pattern HASH = Pattern.compile("^(sha256:[0-9a-f]{64}|sha384:[0-9a-f]{96}|sha512:[0-9a-f]{128})$");
  private static final Pattern COMMIT = Pattern.compile("^[0-9a-f]{7,64}$");
  private static final Pattern SUBDIRECTORY = Pattern.compile("^[A-Za-z0-9_.][A-Za-z0-9_./-]{0,200}$");
  private static final Pattern LABEL_VALUE = Pattern.compile("^[A-Za-z0-9._:+=,!/@-]*$");

  private BuildContextRenderer() {}

  public static BuildContext render(InstallPlan plan, BuildRecipe recipe, ImageLabels labels) {
    return render(plan, recipe, labels, RenderOptions.DEFAULT);
  }

  /**
   * The index the requirements name first ({@code --index-url}): the first the lock names for all its packages, else
   * the first package's index, else PyPI. The assembler is given this index's mirror, so both builders fetch alike.
   */
  public static String mainIndex(InstallPlan plan) {
    if (!plan.indexes().isEmpty()) {
      return plan.indexes().get(0);
    }
    for (PlannedPackage p : plan.packages()) {
      PackageSource source = p.source() == null ? PackageSource.registry(PackageSource.PYPI) : p.source();
      if (source.type() == PackageSource.Type.REGISTRY) {
        return source.url();
      }
    }
    return PackageSource.PYPI;
  }

  /**
   * The same, fetching through {@code options}: the uv image named there, and each index the lock names through its
   * mirror. Only the {@code --index-url} lines and the uv {@code FROM} change; every pin and hash stays.
   */
  public static BuildContext render(InstallPlan plan, BuildRecipe recipe, ImageLabels labels, RenderOptions options) {
    Set<String> indexes = new LinkedHashSet<>();
    for (String index : plan.indexes()) {
      indexes.add(checkedUrl(index, "package index"));
    }
    List<String> hashed = new ArrayList<>();
    List<String> direct = new ArrayList<>();
    StringBuilder packageList = new StringBuilder();
    for (PlannedPackage p : plan.packages()) {
      if (p.manager() != null) {
        throw new RecipeInputException("conda environments cannot be built into images; package "
            + Texts.quote(p.name()) + " is managed by " + p.manager());
      }
      String name = checked(NAME, p.name(), "package name");
      String version = checked(VERSION, p.version(), "version of " + name);
      packageList.append(name).append("==").append(version)
          .append(plan.isRequested(p) ? "  # requested" : "").append('\n');
      PackageSource source = p.source() == null ? PackageSource.registry(PackageSource.PYPI) : p.source();
      TreeSet<String> hashes = new TreeSet<>();
      for (Artifact a : p.artifacts()) {
        if (a.hash() != null) {
          hashes.add(checked(HASH, a.hash().toLowerCase(Locale.ROOT), "hash of " + name));
        }
      }
      switch (source.type()) {
        case REGISTRY -> {
          indexes.add(checkedUrl(source.url(), "index of " + name));
          String pin = name + "==" + version;
          if (hashes.isEmpty()) {
            direct.add(pin);
          } else {
            hashed.add(withHashes(pin, hashes));
          }
        }
        case URL -> {
          String url = checkedUrl(source.url(), "URL of " + name);
          String line = name + " @ " + url + subdirectoryFragment(source, name);
          if (hashes.isEmpty()) {
            direct.add(line);
          } else {
            hashed.add(withHashes(line, hashes));
          }
        }
        // pip cannot verify hashes of VCS checkouts; the resolved commit pins them instead
        case GIT -> direct.add(name + " @ git+" + checkedUrl(source.url(), "git URL of " + name) + "@"
            + checked(COMMIT, source.commit(), "commit of " + name) + subdirectoryFragment(source, name));
      }
    }
    Map<String, String> files = new LinkedHashMap<>();
    Set<String> fetchedFrom = new LinkedHashSet<>();
    indexes.forEach(index -> fetchedFrom.add(options.indexUrl(index)));
    files.put(BuildContext.DOCKERFILE, dockerfile(recipe, labels, plan.packages().size(), options));
    files.put(BuildContext.HASHED_REQUIREMENTS, requirements(fetchedFrom, hashed));
    files.put(BuildContext.DIRECT_REQUIREMENTS, requirements(fetchedFrom, direct));
    files.put(BuildContext.PACKAGE_LIST, packageList.toString());
    files.put(BuildContext.COMPILE_SCRIPT, COMPILE_SCRIPT_TEXT);
    files.put(BuildContext.LAUNCHER, LAUNCHER_TEXT);
    return new BuildContext(files);
  }

  static String withHashes(String requirement, Set<String> hashes) {
    StringBuilder sb = new StringBuilder(requirement);
    for (String h : hashes) {
      sb.append(" \\\n    --hash=").append(h);
    }
    return sb.toString();
  }

  private static String subdirectoryFragment(PackageSource source, String name) {
    if (source.subdirectory() == null || source.subdirectory().isEmpty()) {
      return "";
    }
    String sub = checked(SUBDIRECTORY, source.subdirectory(), "subdirectory of " + name);
    if (sub.contains("..")) {
      throw new RecipeInputException("subdirectory of " + name + " must not contain '..'");
    }
    return "#subdirectory=" + sub;
  }

  private static String requirements(Set<String> indexes, List<String> lines) {
    StringBuilder sb = new StringBuilder("# Generated by envforge. Every package is pinned; install with --no-deps.\n");
    boolean first = true;
    for (String index : indexes) {
      sb.append(first ? "--index-url " : "--extra-index-url ").append(index).append('\n');
      first = false;
    }
    for (String line : lines) {
      sb.append(line).append('\n');
    }
    return sb.toString();
  }

  private static String dockerfile(BuildRecipe recipe, ImageLabels labels, int packageCount,
      RenderOptions options) {
    StringBuilder df = new StringBuilder();
    df.append("# Generated by envforge (recipe v").append(BuildRecipe.RECIPE_VERSION).append("). Do not edit.\n");
    if (recipe.installer() == Installer.UV) {
      df.append("FROM ").append(options.uvImage()).append(" AS uv\n");
    }
    df.append("FROM ").append(recipe.baseImage()).append('\n');
    df.append("COPY ").append(BuildContext.HASHED_REQUIREMENTS).append(' ')
        .append(BuildContext.DIRECT_REQUIREMENTS).append(' ').append(BuildContext.PACKAGE_LIST).append(' ')
        .append(BuildContext.COMPILE_SCRIPT).append(' ').append(BuildContext.LAUNCHER).append(' ')
        .append(CONTEXT_IN_IMAGE).append('\n');
    if (recipe.installer() == Installer.UV) {
      df.append("COPY --from=uv /uv /usr/local/bin/uv\n");
    }
    df.append("RUN [\"/bin/sh\", \"-c\", \"").append(installScript(recipe.installer())).append("\"]\n");
    df.append("ENV VIRTUAL_ENV=").append(VENV).append(" PATH=").append(VENV).append("/bin:$PATH")
        .append(" PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1\n");
    df.append("LABEL");
    label(df, "dev.envforge.hash", labels.hash());
    label(df, "dev.envforge.variant", labels.variant());
    label(df, "dev.envforge.lock-digest", labels.lockDigest());
    label(df, "dev.envforge.python", recipe.python());
    label(df, "dev.envforge.installer", recipe.installer().id() + "-" + recipe.installer().pinnedVersion());
    label(df, "dev.envforge.package-count", Integer.toString(packageCount));
    label(df, "dev.envforge.package-list", CONTEXT_IN_IMAGE + BuildContext.PACKAGE_LIST);
    label(df, "org.opencontainers.image.base.name", recipe.baseImage());
    df.append('\n');
    df.append("USER ").append(IMAGE_USER).append('\n');
    // ENTRYPOINT resets an inherited CMD, so the image names its default command itself
    df.append("ENTRYPOINT [\"").append(LAUNCHER_IN_IMAGE).append("\"]\n");
    df.append("CMD [\"").append(DEFAULT_COMMAND).append("\"]\n");
    return df.toString();
  }

  /**
   * The install script: fixed text (JSON-escaped for the exec-form RUN). It reads credentials from the secret mount
   * when present, so they exist only in the build container's memory and mounts. Every command of it runs with
   * {@code PYTHONDONTWRITEBYTECODE}, so no interpreter leaves bytecode of the base's or the installer's own modules
   * in the layer; only the compile step writes bytecode, into site-packages, with a fixed hash seed.
   */
  static String installScript(Installer installer) {
    String req = CONTEXT_IN_IMAGE;
    String netrc = "if [ -f " + SECRET_DIR + "/netrc ]; then export NETRC=" + SECRET_DIR + "/netrc; fi; ";
    String install = switch (installer) {
      // the base's pip, run for the venv's interpreter (pip >= 22.3), so that pip itself is not in the venv
      case PIP -> "python3 -m pip --python " + VENV + "/bin/python install --no-compile --no-cache-dir "
          + "--disable-pip-version-check --no-deps --no-input ";
      // uv compiles nothing unless asked to (--compile-bytecode)
      case UV -> "uv pip install --python " + VENV + "/bin/python --no-cache --no-deps --index-strategy unsafe-best-match ";
    };
    String venv = switch (installer) {
      case PIP -> "if ! python3 -m pip --version >/dev/null 2>&1; then echo 'envforge: installer pip needs pip 22.3 "
          + "or newer in the base image (python3 -m pip), and the base image has none' >&2; exit 1; fi; "
          + "python3 -m venv --without-pip " + VENV + "; ";
      case UV -> "uv venv --no-cache --python \\\"$(command -v python3)\\\" " + VENV + "; ";
    };
    return "set -eu; export PYTHONDONTWRITEBYTECODE=1; " + venv + netrc
        + "if grep -q '^[^#-]' " + req + BuildContext.HASHED_REQUIREMENTS + "; then " + install
        + "--require-hashes -r " + req + BuildContext.HASHED_REQUIREMENTS + "; fi; "
        + "if grep -q '^[^#-]' " + req + BuildContext.DIRECT_REQUIREMENTS + "; then " + install
        + "-r " + req + BuildContext.DIRECT_REQUIREMENTS + "; fi; "
        + "PYTHONHASHSEED=0 " + VENV + "/bin/python " + req + BuildContext.COMPILE_SCRIPT + "; "
        // a ConfigMap context gives its files no execute bit
        + "chmod 0755 " + req + BuildContext.LAUNCHER;
  }

  private static String resource(String name) {
    try (java.io.InputStream in = BuildContextRenderer.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("resource " + name + " is missing from the envforge jar");
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void label(StringBuilder df, String key, String value) {
    if (value == null || !LABEL_VALUE.matcher(value).matches()) {
      throw new RecipeInputException("label " + key + " has characters envforge does not put in labels: "
          + Texts.quote(value));
    }
    df.append(" \\\n      ").append(key).append("=\"").append(value).append('"');
  }

  static String checked(Pattern pattern, String value, String what) {
    if (value == null || !pattern.matcher(value).matches()) {
      throw new RecipeInputException(what + " is not safe to install: " + Texts.quote(value));
    }
    return value;
  }

  static String checkedUrl(String url, String what) {
    if (url == null) {
      throw new RecipeInputException(what + " is missing");
    }
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      boolean clean = url.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '"' && c != '\'' && c != '\\');
      if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null || !clean
          || uri.getRawUserInfo() != null) {
        throw new RecipeInputException(what + " must be an http(s) URL without spaces, quotes or credentials: "
            + Texts.quote(url));
      }
      return url;
    } catch (URISyntaxException e) {
      throw new RecipeInputException(what + " is not a valid URL: " + Texts.quote(url), e);
    }
  }
}
