package dev.envforge.core.lock.pylock;

import dev.envforge.core.lock.LockFormat;
import dev.envforge.core.lock.LockInputException;
import dev.envforge.core.lock.LockResolver;
import dev.envforge.core.lock.ProjectFiles;
import dev.envforge.core.lock.support.Artifacts;
import dev.envforge.core.lock.ParsedFiles;
import dev.envforge.core.lock.support.PepCache;
import dev.envforge.core.lock.support.PlanOrder;
import dev.envforge.core.lock.support.RequiresPython;
import dev.envforge.core.lock.support.SourceUrls;
import dev.envforge.core.lock.toml.Located;
import dev.envforge.core.lock.toml.Toml;
import dev.envforge.core.lock.toml.TomlTable;
import dev.envforge.core.pep.Marker;
import dev.envforge.core.pep.MarkerEnvironment;
import dev.envforge.core.pep.PackageNames;
import dev.envforge.core.pep.PepSyntaxException;
import dev.envforge.core.pep.Version;
import dev.envforge.core.pep.VersionConstraint;
import dev.envforge.core.plan.Artifact;
import dev.envforge.core.plan.InstallPlan;
import dev.envforge.core.plan.PackageSource;
import dev.envforge.core.plan.PlannedPackage;
import dev.envforge.core.plan.PythonTargets;
import dev.envforge.core.plan.Selection;
import dev.envforge.core.plan.Target;
import dev.envforge.core.text.Texts;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Resolves a PEP 751 lock ({@code pylock.toml} or {@code pylock.<name>.toml}). No graph is walked: a package is
 * installed iff its marker holds, with the PEP 751 variables {@code extras} (the selected extras) and
 * {@code dependency_groups} (the named groups, or the file's {@code default-groups} when none is named).
 *
 * <p>Thread-safe; parsed files are kept in the {@link ParsedFiles} it is given.
 */
public final class PylockResolver implements LockResolver {
  private static final Pattern FILE_NAME = Pattern.compile("(?:.*/)?pylock(?:\\.[^./]+)?\\.toml");
  private static final String PYPI_FILES_HOST = "https://files.pythonhosted.org/";

  private final String lockFile;
  private final ParsedFiles parsed;

  /** Reads {@code pylock.toml}. */
  public PylockResolver() {
    this("pylock.toml");
  }

  /** Reads the named lock, which PEP 751 names {@code pylock.toml} or {@code pylock.<name>.toml}. */
  public PylockResolver(String lockFile) {
    this(lockFile, ParsedFiles.forOnePlanning());
  }

  /** Reads the named lock, keeping parsed files in the caller's cache. */
  public PylockResolver(String lockFile, ParsedFiles parsed) {
    this.parsed = parsed;
    if (!FILE_NAME.matcher(lockFile).matches()) {
      throw new IllegalArgumentException("a PEP 751 lock is named pylock.toml or pylock.<name>.toml, not "
          + Texts.quote(lockFile));
    }
    this.lockFile = lockFile;
  }

  @Override
  public InstallPlan resolve(ProjectFiles files, Selection selection, Target target) {
    String text = files.read(lockFile).orElseThrow(() -> new LockInputException(files.displayName(lockFile), 0, 0,
        "file not found"));
    PylockFile lock = parsed.get("pylock", PylockFile.class, files.displayName(lockFile), text,
        PylockFile::parse);

    VersionConstraint requiresPython = RequiresPython.ofProject(files);
    if (requiresPython == null && lock.requiresPython() != null) {
      requiresPython = lock.requiresPython().value();
    }
    String python = PythonTargets.choose(target.python(), requiresPython);
    MarkerEnvironment environment = MarkerEnvironment.linuxCPython(python, target.machine());
    checkTarget(lock, environment);

    Set<String> extras = selected(selection.extras(), lock.extras(), "extra", true);
    Set<String> groups = selection.groups().isEmpty() ? Set.copyOf(lock.defaultGroups())
        : selected(selection.groups(), lock.dependencyGroups(), "dependency group", false);

    List<PlannedPackage> packages = new ArrayList<>();
    Set<String> localSkipped = new TreeSet<>();
    Map<String, PylockPackage> installed = new HashMap<>();
    for (PylockPackage p : lock.packages()) {
      if (!p.marker().evaluate(environment, extras, groups)) {
        continue;
      }
      PylockPackage other = installed.putIfAbsent(p.name(), p);
      if (other != null) {
        throw p.at().error("both " + Texts.quote(other.name() + " " + other.version()) + " and "
            + Texts.quote(p.name() + " " + p.version()) + " apply to this target: their markers overlap");
      }
      if (p.source() == null) {
        localSkipped.add(p.name());
        continue;
      }
      packages.add(PlannedPackage.python(p.name(), p.version(), p.source(),
          Artifacts.installable(p.artifacts(), environment)));
    }
    packages.sort(PlanOrder.PACKAGES);
    return new InstallPlan(LockFormat.PYLOCK, selection, environment, packages, List.copyOf(localSkipped));
  }

  private static void checkTarget(PylockFile lock, MarkerEnvironment environment) {
    if (lock.requiresPython() != null
        && !lock.requiresPython().value().contains(Version.parse(environment.pythonFullVersion()))) {
      throw lock.requiresPython().error("the lock's requires-python excludes the target's Python "
          + environment.pythonFullVersion());
    }
    if (!lock.environments().isEmpty()
        && lock.environments().stream().noneMatch(m -> m.evaluate(environment, Set.of()))) {
      throw lock.environmentsAt().error("none of the lock's environments is the target (Linux CPython "
          + environment.pythonFullVersion() + " on " + environment.platformMachine() + ")");
    }
  }

  private static Set<String> selected(List<String> names, Located<List<String>> known, String what,
      boolean normalize) {
    Set<String> selected = new LinkedHashSet<>();
    for (String name : names) {
      String key = normalize && PackageNames.isValid(name) ? PackageNames.normalize(name) : name;
      if (!known.value().contains(key)) {
        throw known.error("unknown " + what + " " + Texts.quote(name) + " (known: "
            + (known.value().isEmpty() ? "none" : String.join(", ", new TreeSet<>(known.value()))) + ")");
      }
      selected.add(key);
    }
    return selected;
  }

  /** One [[packages]] entry; {@code source} is null for a local directory, which is not installed. */
  record PylockPackage(String name, String version, Marker marker, PackageSource source, List<Artifact> artifacts,
      Located<String> at) {}

  /** The parsed file. */
  record PylockFile(Located<VersionConstraint> requiresPython, List<Marker> environments,
      Located<String> environmentsAt, Located<List<String>> extras, Located<List<String>> dependencyGroups,
      List<String> defaultGroups, List<PylockPackage> packages) {

    static PylockFile parse(String file, String text) {
      TomlTable root = Toml.parse(file, text);
      String lockVersion = root.string("lock-version");
      if (lockVersion == null) {
        throw root.error("missing 'lock-version'");
      }
      if (!lockVersion.equals("1") && !lockVersion.startsWith("1.")) {
        throw root.error("lock-version", "unknown lock-version " + Texts.quote(lockVersion) + " (known: 1.x)");
      }
      Located<VersionConstraint> requiresPython = RequiresPython.of(root);
      PepCache pep = new PepCache();
      List<Marker> environments = new ArrayList<>();
      for (Located<String> environment : root.strings("environments")) {
        environments.add(pep.marker(environment.value(), environment.location()));
      }
      Located<List<String>> extras = root.at("extras", names(root.strings("extras"), true));
      Located<List<String>> groups = root.at("dependency-groups", names(root.strings("dependency-groups"), false));
      List<String> defaultGroups = names(root.strings("default-groups"), false);
      for (Located<String> group : root.strings("default-groups")) {
        if (!groups.value().contains(group.value())) {
          throw group.error("default group " + Texts.quote(group.value()) + " is not in 'dependency-groups'");
        }
      }
      List<PylockPackage> packages = new ArrayList<>();
      for (TomlTable table : root.tables("packages")) {
        packages.add(readPackage(table, pep));
      }
      return new PylockFile(requiresPython, List.copyOf(environments), root.at("environments", "environments"),
          extras, groups, defaultGroups, List.copyOf(packages));
    }

    private static List<String> names(List<Located<String>> values, boolean normalize) {
      List<String> out = new ArrayList<>();
      for (Located<String> value : values) {
        if (!PackageNames.isValid(value.value())) {
          throw value.error("invalid name " + Texts.quote(value.value()));
        }
        out.add(normalize ? PackageNames.normalize(value.value()) : value.value());
      }
      return List.copyOf(out);
    }

    private static PylockPackage readPackage(TomlTable table, PepCache pep) {
      Located<String> at = table.at("name", "package");
      String rawName = table.requiredString("name");
      if (!PackageNames.isValid(rawName)) {
        throw table.error("name", "invalid package name " + Texts.quote(rawName));
      }
      String name = PackageNames.normalize(rawName);
      String version = table.string("version");
      if (version != null) {
        try {
          Version.parse(version);
        } catch (PepSyntaxException e) {
          throw table.error("version", "invalid version " + Texts.quote(version) + " of " + Texts.quote(name));
        }
      }
      Located<String> markerText = table.locatedString("marker");
      Marker marker = markerText == null ? Marker.TRUE : pep.marker(markerText.value(), markerText.location());

      TomlTable vcs = table.table("vcs");
      TomlTable directory = table.table("directory");
      TomlTable archive = table.table("archive");
      TomlTable sdist = table.table("sdist");
      List<TomlTable> wheels = table.tables("wheels");
      int kinds = (vcs != null ? 1 : 0) + (directory != null ? 1 : 0) + (archive != null ? 1 : 0)
          + (sdist != null || !wheels.isEmpty() ? 1 : 0);
      if (kinds != 1) {
        throw table.error("package " + Texts.quote(name)
            + " must have exactly one of vcs, directory, archive, or sdist/wheels");
      }
      if (directory != null) {
        return new PylockPackage(name, version, marker, null, List.of(), at);
      }
      if (vcs != null) {
        return new PylockPackage(name, version, marker, vcsSource(vcs, name), List.of(), at);
      }
      if (version == null) {
        throw table.error("package " + Texts.quote(name) + " has no 'version'");
      }
      List<Artifact> artifacts = new ArrayList<>();
      if (archive != null) {
        Artifact file = artifact(archive);
        if (file.url() == null) {
          return new PylockPackage(name, version, marker, null, List.of(), at); // a local archive
        }
        artifacts.add(file);
        return new PylockPackage(name, version, marker,
            PackageSource.url(file.url(), archive.string("subdirectory")), artifacts, at);
      }
      if (sdist != null) {
        artifacts.add(artifact(sdist));
      }
      for (TomlTable wheel : wheels) {
        artifacts.add(artifact(wheel));
      }
      return new PylockPackage(name, version, marker, indexSource(table, name, artifacts), List.copyOf(artifacts),
          at);
    }

    private static PackageSource vcsSource(TomlTable vcs, String name) {
      String type = vcs.requiredString("type");
      if (!type.equals("git")) {
        throw vcs.error("type", "unsupported vcs " + Texts.quote(type) + " (supported: git)");
      }
      String url = vcs.string("url");
      if (url == null || Texts.hasControlOrSpace(url)) {
        throw vcs.error("url", "package " + Texts.quote(name)
            + " needs a remote git 'url' to be installed in an image");
      }
      String commit = vcs.requiredString("commit-id");
      if (!SourceUrls.isCommit(commit)) {
        throw vcs.error("commit-id", "invalid commit " + Texts.quote(commit));
      }
      return PackageSource.git(url, commit, vcs.string("subdirectory"));
    }

    /**
     * The package's index: its {@code index}, else PyPI when every file is on PyPI's file host. Any other file host
     * says nothing about the index, so it is an error rather than a guess.
     */
    private static PackageSource indexSource(TomlTable table, String name, List<Artifact> artifacts) {
      String index = table.string("index");
      if (index != null) {
        String lower = index.toLowerCase(Locale.ROOT);
        if (Texts.hasControlOrSpace(index) || !(lower.startsWith("https://") || lower.startsWith("http://"))) {
          throw table.error("index", "invalid index URL " + Texts.quote(index));
        }
        return PackageSource.registry(index);
      }
      boolean allOnPypi = !artifacts.isEmpty() && artifacts.stream()
          .allMatch(a -> a.url() != null && a.url().startsWith(PYPI_FILES_HOST));
      if (allOnPypi) {
        return PackageSource.registry(PackageSource.PYPI);
      }
      throw table.error("package " + Texts.quote(name)
          + " has no 'index' and files outside PyPI: cannot tell where it comes from");
    }

    private static Artifact artifact(TomlTable entry) {
      String url = entry.string("url");
      String path = entry.string("path");
      if (url == null && path == null) {
        throw entry.error("a file needs a 'url' or a 'path'");
      }
      if (url != null && Texts.hasControlOrSpace(url)) {
        throw entry.error("url", "invalid URL " + Texts.quote(url));
      }
      String filename = entry.string("name");
      if (filename == null) {
        filename = Artifacts.filenameOf(url != null ? url : path);
      }
      if (!Artifacts.isPlainFilename(filename)) {
        throw entry.error("cannot tell the file name of this distribution");
      }
      TomlTable hashes = entry.table("hashes");
      if (hashes == null || hashes.keys().isEmpty()) {
        throw entry.error("a file needs 'hashes'");
      }
      String algorithm = hashes.keys().contains("sha256") ? "sha256" : new TreeSet<>(hashes.keys()).first();
      String hash = Artifacts.hash(algorithm, hashes.string(algorithm));
      if (hash == null) {
        throw hashes.error(algorithm, "invalid " + Texts.escape(algorithm) + " hash");
      }
      return new Artifact(filename, url, hash);
    }
  }
}
