package dev.envforge.core.lock.poetry;

import dev.envforge.core.lock.LockFormat;
import dev.envforge.core.lock.LockInputException;
import dev.envforge.core.lock.LockResolver;
import dev.envforge.core.lock.ProjectFiles;
import dev.envforge.core.lock.poetry.PoetryLock.LockedFile;
import dev.envforge.core.lock.poetry.PoetryLock.LockedPackage;
import dev.envforge.core.lock.poetry.PoetryProject.Group;
import dev.envforge.core.lock.support.Artifacts;
import dev.envforge.core.lock.ParsedFiles;
import dev.envforge.core.lock.support.PepCache;
import dev.envforge.core.lock.toml.Toml;
import dev.envforge.core.pep.MarkerEnvironment;
import dev.envforge.core.pep.PackageNames;
import dev.envforge.core.plan.Artifact;
import dev.envforge.core.plan.InstallPlan;
import dev.envforge.core.plan.PackageSource;
import dev.envforge.core.plan.PlannedPackage;
import dev.envforge.core.plan.PythonTargets;
import dev.envforge.core.plan.Selection;
import dev.envforge.core.plan.Target;
import dev.envforge.core.text.Texts;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Resolves a Poetry project ({@code pyproject.toml} + {@code poetry.lock}, lock versions 1.1, 2.0 and 2.1) to the
 * exact packages one selection installs on one target.
 *
 * <p>The roots are the project's main dependencies, the dependencies of each selected group (with the groups it
 * includes) and of each selected extra. From them the lock's dependency graph is walked as {@link PoetryWalk}
 * describes. Local packages (directory and file sources) are not installed but their dependencies are followed; they
 * are listed in {@link InstallPlan#localSkipped()}.
 *
 * <p>Thread-safe. Parsed files are kept in the {@link ParsedFiles} it is given, since parsing costs more than
 * resolving.
 */
public final class PoetryResolver implements LockResolver {
  static final String PYPROJECT = "pyproject.toml";
  static final String LOCK = "poetry.lock";

  private final ParsedFiles parsed;

  /** A resolver that keeps parsed files only for its own lifetime. */
  public PoetryResolver() {
    this(ParsedFiles.forOnePlanning());
  }

  /** A resolver that keeps parsed files in the caller's cache. */
  public PoetryResolver(ParsedFiles parsed) {
    this.parsed = parsed;
  }

  private record FileText(String file, String text) {}

  @Override
  public InstallPlan resolve(ProjectFiles files, Selection selection, Target target) {
    FileText pyproject = read(files, PYPROJECT);
    PoetryProject project = parsed.get("poetry pyproject.toml", PoetryProject.class, pyproject.file(),
        pyproject.text(), (name, text) -> PoetryProject.read(Toml.parse(name, text), new PepCache()));
    FileText lockFile = read(files, LOCK);
    PoetryLock lock = parsed.get("poetry.lock", PoetryLock.class, lockFile.file(), lockFile.text(),
        (name, text) -> PoetryLock.read(Toml.parse(name, text), new PepCache()));
    checkProjectDeclaresWhatIsLocked(pyproject, project, lockFile, lock);
    checkLockMatchesProject(project, lock);

    List<PoetryDependency> roots = new ArrayList<>(project.main());
    for (String group : groupsWithIncludes(project, selection.groups())) {
      roots.addAll(project.groups().get(group).dependencies());
    }
    Set<String> extras = new TreeSet<>();
    for (String extra : selection.extras()) {
      String normalized = normalizedExtra(project, extra);
      extras.add(normalized);
      roots.addAll(project.extras().get(normalized));
    }

    String python = PythonTargets.choose(target.python(), project.requiresPython());
    MarkerEnvironment environment = MarkerEnvironment.linuxCPython(python, target.machine());
    List<LockedPackage> reached = new PoetryWalk(project, lock, environment).run(roots, extras);

    List<PlannedPackage> packages = new ArrayList<>();
    Set<String> localSkipped = new TreeSet<>();
    List<LockedPackage> installed = new ArrayList<>();
    for (LockedPackage p : reached) {
      if (p.isLocal()) {
        localSkipped.add(p.name());
      } else {
        installed.add(p);
      }
    }
    installed.sort(Comparator.comparing(LockedPackage::name)
        .thenComparing(LockedPackage::parsedVersion)
        .thenComparing(p -> p.source() == null ? "" : p.source().url())
        .thenComparingInt(LockedPackage::index));
    for (LockedPackage p : installed) {
      packages.add(PlannedPackage.python(p.name(), p.version(), source(p), artifacts(p, environment)));
    }
    Set<String> requested = new TreeSet<>();
    roots.forEach(root -> requested.add(root.name()));
    return new InstallPlan(LockFormat.POETRY, selection, environment, packages, List.copyOf(localSkipped))
        .withRequested(requested);
  }

  private static FileText read(ProjectFiles files, String path) {
    String name = files.displayName(path);
    String text = files.read(path).orElseThrow(() -> new LockInputException(name, 0, 0,
        "file not found: a Poetry project needs " + PYPROJECT + " and " + LOCK));
    return new FileText(name, text);
  }

  /**
   * An empty or truncated pyproject.toml next to a lock of packages would resolve to an empty environment without a
   * word; Poetry refuses such a lock as out of date, and so does envforge.
   */
  private static void checkProjectDeclaresWhatIsLocked(FileText pyproject, PoetryProject project, FileText lockFile,
      PoetryLock lock) {
    if (!project.allDeclarations().isEmpty() || lock.packages().isEmpty()) {
      return;
    }
    String text = pyproject.text();
    int line = (int) text.chars().filter(c -> c == '\n').count() + (text.endsWith("\n") || text.isEmpty() ? 0 : 1);
    throw new LockInputException(pyproject.file(), Math.max(line, 1), 1, "pyproject.toml "
        + (text.isBlank() ? "is empty" : "declares no dependencies") + " but " + lockFile.file() + " locks "
        + lock.packages().size() + " packages: pyproject.toml is truncated or the lock is out of date"
        + " (run 'poetry lock')");
  }

  /**
   * A lock written for another pyproject.toml would install the wrong set: every declared dependency must be
   * locked, and every dependency of a locked package must be locked too (or be the project itself).
   */
  private static void checkLockMatchesProject(PoetryProject project, PoetryLock lock) {
    for (PoetryDependency d : project.allDeclarations()) {
      if (d.sourceName() != null && !d.sourceName().equalsIgnoreCase("pypi")
          && !project.sourceNames().contains(d.sourceName())) {
        throw d.location().error("source " + Texts.quote(d.sourceName())
            + " is not defined by a [[tool.poetry.source]] entry");
      }
      if (!d.name().equals(project.rootName()) && !lock.byName().containsKey(d.name())) {
        throw d.location().error("dependency " + Texts.quote(d.name())
            + " is not in poetry.lock; the lock does not match pyproject.toml (run 'poetry lock')");
      }
      checkLockedVersionAllowed(project, lock, d);
    }
    for (LockedPackage p : lock.packages()) {
      for (PoetryDependency d : p.dependencies()) {
        if (!d.name().equals(project.rootName()) && !lock.byName().containsKey(d.name())) {
          throw d.location().error("package " + Texts.quote(p.name()) + " " + Texts.quote(p.version())
              + " (entry at line " + p.location().line() + ") depends on " + Texts.quote(d.name())
              + ", which poetry.lock does not contain");
        }
      }
    }
  }

  /**
   * A declaration's version constraint must allow a locked version of its package, as Poetry requires: a lock made
   * before {@code ^23} became {@code ^24} is out of date. Direct references (git, url, path) are checked by source.
   */
  private static void checkLockedVersionAllowed(PoetryProject project, PoetryLock lock, PoetryDependency d) {
    if (d.direct() != null || d.constraints().isEmpty() || d.name().equals(project.rootName())) {
      return;
    }
    List<LockedPackage> locked = lock.byName().get(d.name());
    for (LockedPackage p : locked) {
      if (p.isLocal() || d.allows(p.parsedVersion())) {
        return;
      }
    }
    throw d.location().error("dependency " + Texts.quote(d.name()) + " requires " + Texts.quote(
        String.join(", ", d.constraints().stream().map(Object::toString).toList())) + " but poetry.lock locks "
        + Texts.quote(String.join(", ", locked.stream().map(LockedPackage::version).toList()))
        + ": the lock is out of date (run 'poetry lock')");
  }

  /** The selected groups and, transitively, the groups they include. */
  private static Set<String> groupsWithIncludes(PoetryProject project, List<String> selected) {
    Set<String> result = new LinkedHashSet<>();
    List<String> pending = new ArrayList<>();
    for (String group : selected) {
      if (!project.groups().containsKey(group)) {
        throw project.groupsLocation().error("group " + Texts.quote(group) + " is not defined; "
            + (project.groups().isEmpty() ? "the project defines no dependency groups"
                : "known groups: " + String.join(", ", project.groups().keySet())));
      }
      pending.add(group);
    }
    while (!pending.isEmpty()) {
      String group = pending.remove(pending.size() - 1);
      if (result.add(group)) {
        Group g = project.groups().get(group);
        pending.addAll(g.includeGroups());
      }
    }
    return result;
  }

  private static String normalizedExtra(PoetryProject project, String extra) {
    String normalized = PackageNames.isValid(extra) ? PackageNames.normalize(extra) : null;
    if (normalized == null || !project.extras().containsKey(normalized)) {
      throw project.extrasLocation().error("extra " + Texts.quote(extra) + " is not defined; "
          + (project.extraNames().isEmpty() ? "the project defines no extras"
              : "known extras: " + String.join(", ", project.extraNames())));
    }
    return normalized;
  }

  private static PackageSource source(LockedPackage p) {
    if (p.source() == null) {
      return PackageSource.registry(PackageSource.PYPI);
    }
    return switch (p.source().type()) {
      case "legacy" -> PackageSource.registry(p.source().url());
      case "git" -> PackageSource.git(p.source().url(), p.source().resolvedReference(), p.source().subdirectory());
      case "url" -> PackageSource.url(p.source().url(), p.source().subdirectory());
      default -> throw p.location().error("package " + Texts.quote(p.name()) + " has source type "
          + Texts.quote(p.source().type()) + ", which cannot be installed from an index");
    };
  }

  private static List<Artifact> artifacts(LockedPackage p, MarkerEnvironment environment) {
    Map<String, Artifact> byFilename = new LinkedHashMap<>();
    for (LockedFile f : p.files()) {
      byFilename.putIfAbsent(f.filename(), new Artifact(f.filename(), null, f.hash()));
    }
    return Artifacts.installable(byFilename.values(), environment);
  }
}
