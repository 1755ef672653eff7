package dev.envforge.core.lock.uv;

import dev.envforge.core.lock.LockFormat;
import dev.envforge.core.lock.LockInputException;
import dev.envforge.core.lock.LockResolver;
import dev.envforge.core.lock.ProjectFiles;
import dev.envforge.core.lock.support.Artifacts;
import dev.envforge.core.lock.ParsedFiles;
import dev.envforge.core.lock.support.PlanOrder;
import dev.envforge.core.lock.toml.Located;
import dev.envforge.core.lock.uv.Pyproject.Declared;
import dev.envforge.core.lock.uv.UvLock.UvEdge;
import dev.envforge.core.lock.uv.UvLock.UvPackage;
import dev.envforge.core.pep.MarkerEnvironment;
import dev.envforge.core.pep.PackageNames;
import dev.envforge.core.pep.PepSyntaxException;
import dev.envforge.core.pep.Version;
import dev.envforge.core.pep.VersionConstraint;
import dev.envforge.core.plan.InstallPlan;
import dev.envforge.core.plan.PlannedPackage;
import dev.envforge.core.plan.PythonTargets;
import dev.envforge.core.plan.Selection;
import dev.envforge.core.plan.Target;
import dev.envforge.core.text.Texts;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Resolves a uv project ({@code pyproject.toml} + {@code uv.lock}, lock version 1): walks the lock's dependency graph
 * from the root project's entry for the selected groups and extras, taking the edges whose markers hold on the target.
 * Local packages (the project, workspace members, path sources) are not installed but their dependencies are
 * followed. The pyproject.toml of the project and of every workspace member present is checked against the lock.
 *
 * <p>Thread-safe. Parsed files are kept in the {@link ParsedFiles} it is given, since parsing costs far more than
 * resolving.
 */
public final class UvResolver implements LockResolver {
  static final String PYPROJECT = "pyproject.toml";
  static final String LOCK = "uv.lock";

  private final ParsedFiles parsed;

  /** A resolver that keeps parsed files only for its own lifetime. */
  public UvResolver() {
    this(ParsedFiles.forOnePlanning());
  }

  /** A resolver that keeps parsed files in the caller's cache. */
  public UvResolver(ParsedFiles parsed) {
    this.parsed = parsed;
  }

  @Override
  public InstallPlan resolve(ProjectFiles files, Selection selection, Target target) {
    Pyproject project = pyproject(files, PYPROJECT)
        .orElseThrow(() -> missing(files, PYPROJECT));
    String lockText = files.read(LOCK).orElseThrow(() -> missing(files, LOCK));
    if (files.read(PYPROJECT).orElse("").isBlank()) {
      throw new LockInputException(project.file(), 1, 1, "pyproject.toml is empty but " + files.displayName(LOCK)
          + " locks a project: pyproject.toml is truncated or belongs to no project");
    }
    UvLock lock = parsed.get("uv.lock", UvLock.class, files.displayName(LOCK), lockText, UvLock::parse);

    UvPackage root = rootPackage(project, lock);
    checkDeclared(project, lock);
    checkProjectDeclaresWhatIsLocked(files, project, root, lock);
    checkMembers(files, project, lock);

    VersionConstraint requiresPython = project.requiresPython() != null ? project.requiresPython().value()
        : lock.requiresPython == null ? null : lock.requiresPython.value();
    MarkerEnvironment environment = MarkerEnvironment.linuxCPython(
        PythonTargets.choose(target.python(), requiresPython), target.machine());

    Set<String> extras = selectedExtras(project, root, selection);
    List<List<UvEdge>> groups = selectedGroups(project, root, selection);
    return walk(lock, root, extras, groups, environment, selection);
  }

  private Optional<Pyproject> pyproject(ProjectFiles files, String path) {
    return files.read(path).map(text -> parsed.get("uv pyproject.toml", Pyproject.class,
        files.displayName(path), text, Pyproject::parse));
  }

  private static LockInputException missing(ProjectFiles files, String path) {
    return new LockInputException(files.displayName(path), 0, 0,
        "file not found: a uv project needs " + PYPROJECT + " and " + LOCK);
  }

  /** The lock's entry for the project: its name with a local source at the project's own folder. */
  private static UvPackage rootPackage(Pyproject project, UvLock lock) {
    if (project.name() == null) {
      throw new LockInputException(project.file(), 1, 1,
          "no [project] name: envforge resolves a project, not a virtual workspace root");
    }
    String name = PackageNames.normalize(project.name().value());
    for (UvPackage candidate : lock.byName.getOrDefault(name, List.of())) {
      if (candidate.source.isLocal() && isProjectFolder(candidate.source.value())) {
        if (project.version() != null && candidate.version != null && !sameVersion(project.version(),
            candidate.version)) {
          throw project.version().error("the project is version " + Texts.quote(project.version().value())
              + " but " + lock.file + " locks " + Texts.quote(candidate.version) + ": the lock is out of date");
        }
        return candidate;
      }
    }
    throw project.name().error(lock.file + " has no entry for the project " + Texts.quote(name)
        + ": the lock is out of date or belongs to another project");
  }

  private static boolean sameVersion(Located<String> declared, String locked) {
    try {
      return Version.parse(declared.value()).compareTo(Version.parse(locked)) == 0;
    } catch (PepSyntaxException e) {
      throw declared.error("invalid version " + Texts.quote(declared.value()));
    }
  }

  private static boolean isProjectFolder(String path) {
    return relative(path).equals(".");
  }

  /** A lock path in one form: no "./" prefix, no trailing slash, "." for the project folder. */
  private static String relative(String path) {
    String normalized = Path.of(path.replace('\\', '/')).normalize().toString().replace('\\', '/');
    return normalized.isEmpty() ? "." : normalized;
  }

  /** Every requirement the pyproject declares must name a package of the lock. */
  private static void checkDeclared(Pyproject project, UvLock lock) {
    List<Declared> all = new ArrayList<>(project.dependencies());
    project.extras().values().forEach(e -> all.addAll(e.value()));
    project.groups().values().forEach(g -> all.addAll(g.value()));
    for (Declared declared : all) {
      if (!lock.byName.containsKey(declared.requirement().name())) {
        throw declared.text().error(Texts.quote(declared.requirement().name()) + " is declared here but "
            + lock.file + " does not contain it: the lock is out of date (run uv lock)");
      }
      checkLockedVersionAllowed(declared, lock);
    }
  }

  /** A declared version range must allow a locked version of the package, as {@code uv lock --check} requires. */
  private static void checkLockedVersionAllowed(Declared declared, UvLock lock) {
    VersionConstraint specifier = declared.requirement().specifier();
    if (specifier == null || declared.requirement().url() != null) {
      return;
    }
    List<UvPackage> locked = lock.byName.get(declared.requirement().name());
    for (UvPackage p : locked) {
      if (p.version == null || p.source.isLocal() || specifier.containsAllowingPrereleases(Version.parse(p.version))) {
        return;
      }
    }
    throw declared.text().error(Texts.quote(declared.requirement().name()) + " requires " + Texts.quote(
        specifier.toString()) + " but " + lock.file + " locks " + Texts.quote(String.join(", ",
        locked.stream().map(p -> p.version).toList())) + ": the lock is out of date (run uv lock)");
  }

  /**
   * A pyproject.toml that declares nothing next to a lock whose project entry has dependencies is truncated, or
   * the lock is out of date: resolving it would give an empty environment without a word.
   */
  private static void checkProjectDeclaresWhatIsLocked(ProjectFiles files, Pyproject project, UvPackage root,
      UvLock lock) {
    boolean declaresNothing = project.dependencies().isEmpty()
        && project.extras().values().stream().allMatch(e -> e.value().isEmpty())
        && project.groups().values().stream().allMatch(g -> g.value().isEmpty());
    boolean lockedSomething = !root.dependencies.isEmpty() || !root.optionalDependencies.isEmpty()
        || !root.devDependencies.isEmpty();
    String text = files.read(PYPROJECT).orElse("");
    if (!declaresNothing || !lockedSomething || text.contains("dynamic")) {
      return; // dynamic dependencies are known only to the build backend
    }
    int line = (int) text.chars().filter(c -> c == '\n').count() + (text.endsWith("\n") ? 0 : 1);
    throw new LockInputException(project.file(), Math.max(line, 1), 1, "pyproject.toml declares no dependencies but "
        + lock.file + " locks dependencies for " + Texts.quote(root.name) + ": pyproject.toml is truncated or the"
        + " lock is out of date (run uv lock)");
  }

  /**
   * Workspace members are the lock's local packages whose folder matches a {@code [tool.uv.workspace] members}
   * pattern: the files of an operator come from a ConfigMap, so there is no folder to list. Each member whose
   * pyproject.toml is present is checked like the project's.
   */
  private void checkMembers(ProjectFiles files, Pyproject project, UvLock lock) {
    if (project.workspaceMembers().isEmpty()) {
      return;
    }
    List<PathMatcher> excludes = new ArrayList<>();
    for (Located<String> exclude : project.workspaceExcludes()) {
      excludes.add(matcher(exclude));
    }
    Map<String, UvPackage> localByPath = new HashMap<>();
    for (UvPackage p : lock.packages) {
      if (p.source.isLocal() && !isProjectFolder(p.source.value())) {
        localByPath.putIfAbsent(relative(p.source.value()), p);
      }
    }
    for (Located<String> member : project.workspaceMembers()) {
      PathMatcher matcher = matcher(member);
      boolean literal = !member.value().matches(".*[*?\\[{].*");
      boolean matched = false;
      for (Map.Entry<String, UvPackage> local : localByPath.entrySet()) {
        Path path = Path.of(local.getKey());
        if (!matcher.matches(path) || excludes.stream().anyMatch(e -> e.matches(path))) {
          continue;
        }
        matched = true;
        String memberFile = local.getKey() + "/" + PYPROJECT;
        Pyproject memberProject = pyproject(files, memberFile).orElse(null);
        if (memberProject == null) {
          continue; // the lock records everything the walk needs
        }
        if (memberProject.name() != null
            && !PackageNames.normalize(memberProject.name().value()).equals(local.getValue().name)) {
          throw memberProject.name().error("workspace member " + Texts.quote(local.getKey()) + " is "
              + Texts.quote(memberProject.name().value()) + " but " + lock.file + " locks "
              + Texts.quote(local.getValue().name) + " there: the lock is out of date");
        }
        checkDeclared(memberProject, lock);
      }
      if (literal && !matched) {
        throw member.error("workspace member " + Texts.quote(member.value()) + " is not in " + lock.file
            + ": the lock is out of date (run uv lock)");
      }
    }
  }

  private static PathMatcher matcher(Located<String> pattern) {
    try {
      return FileSystems.getDefault().getPathMatcher("glob:" + relative(pattern.value()));
    } catch (RuntimeException e) {
      throw pattern.error("invalid workspace pattern " + Texts.quote(pattern.value()));
    }
  }

  private static Set<String> selectedExtras(Pyproject project, UvPackage root, Selection selection) {
    Set<String> known = new TreeSet<>(project.dynamicOptionalDependencies()
        ? root.optionalDependencies.keySet() : project.extras().keySet());
    Set<String> selected = new LinkedHashSet<>();
    for (String extra : selection.extras()) {
      String normalized = PackageNames.isValid(extra) ? PackageNames.normalize(extra) : extra;
      if (!known.contains(normalized)) {
        throw project.extrasTable().error("unknown extra " + Texts.quote(extra) + " (known: "
            + (known.isEmpty() ? "none" : String.join(", ", known)) + ")");
      }
      Located<List<Declared>> declared = project.extras().get(normalized);
      if (!root.optionalDependencies.containsKey(normalized) && declared != null && !declared.value().isEmpty()) {
        throw declared.error("extra " + Texts.quote(normalized) + " is not in the lock: the lock is out of date");
      }
      selected.add(normalized);
    }
    return selected;
  }

  private static List<List<UvEdge>> selectedGroups(Pyproject project, UvPackage root, Selection selection) {
    List<List<UvEdge>> out = new ArrayList<>();
    for (String group : selection.groups()) {
      String declaredName = null;
      for (String name : project.groups().keySet()) {
        if (name.equals(group)) {
          declaredName = name;
          break;
        }
        if (declaredName == null && PackageNames.isValid(group)
            && PackageNames.normalize(name).equals(PackageNames.normalize(group))) {
          declaredName = name;
        }
      }
      if (declaredName == null) {
        Set<String> known = new TreeSet<>(project.groups().keySet());
        throw project.groupsTable().error("unknown dependency group " + Texts.quote(group) + " (known: "
            + (known.isEmpty() ? "none" : String.join(", ", known)) + ")");
      }
      Located<List<Declared>> declared = project.groups().get(declaredName);
      List<UvEdge> edges = root.devDependencies.get(PackageNames.normalize(declaredName));
      if (edges == null) {
        if (!declared.value().isEmpty()) {
          throw declared.error("dependency group " + Texts.quote(declaredName)
              + " is not in the lock: the lock is out of date");
        }
        edges = List.of();
      }
      out.add(edges);
    }
    return out;
  }

  /**
   * Visits every package reachable from the root's dependencies, the selected root extras and groups. A package is
   * visited again only when it is asked for extras it was not asked for before.
   */
  private static InstallPlan walk(UvLock lock, UvPackage root, Set<String> rootExtras, List<List<UvEdge>> groups,
      MarkerEnvironment environment, Selection selection) {
    Map<UvPackage, Set<String>> requested = new IdentityHashMap<>();
    Deque<UvPackage> pending = new ArrayDeque<>();
    requested.put(root, new HashSet<>(rootExtras));
    pending.add(root);
    for (List<UvEdge> group : groups) {
      for (UvEdge edge : group) {
        take(edge, rootExtras, environment, requested, pending);
      }
    }
    while (!pending.isEmpty()) {
      UvPackage p = pending.poll();
      Set<String> extras = requested.get(p);
      for (UvEdge edge : p.dependencies) {
        take(edge, extras, environment, requested, pending);
      }
      for (String extra : List.copyOf(extras)) {
        for (UvEdge edge : p.optionalDependencies.getOrDefault(extra, List.of())) {
          take(edge, extras, environment, requested, pending);
        }
      }
    }

    List<PlannedPackage> packages = new ArrayList<>();
    Set<String> localSkipped = new TreeSet<>();
    Map<String, UvPackage> installedByName = new HashMap<>();
    for (UvPackage p : requested.keySet()) {
      if (p == root) {
        continue;
      }
      if (p.source.isLocal()) {
        localSkipped.add(p.name);
        continue;
      }
      UvPackage other = installedByName.putIfAbsent(p.name, p);
      if (other != null) {
        UvPackage later = p.location.line() > other.location.line() ? p : other;
        throw later.location.error("the walk reaches both "
            + Texts.quote(other.toString()) + " and " + Texts.quote(p.toString())
            + " on this target: the lock's markers overlap");
      }
      packages.add(PlannedPackage.python(p.name, p.version, p.source.toPackageSource(),
          Artifacts.installable(p.artifacts, environment)));
    }
    packages.sort(PlanOrder.PACKAGES);
    // requested: what the root's own edges name (its dependencies, selected extras and groups) on this target
    Set<String> asked = new TreeSet<>();
    List<UvEdge> rootEdges = new ArrayList<>(root.dependencies);
    rootExtras.forEach(extra -> rootEdges.addAll(root.optionalDependencies.getOrDefault(extra, List.of())));
    groups.forEach(rootEdges::addAll);
    for (UvEdge edge : rootEdges) {
      if (edge.marker() == null || edge.marker().evaluate(environment, rootExtras)) {
        asked.add(edge.target().name);
      }
    }
    return new InstallPlan(LockFormat.UV, selection, environment, packages, List.copyOf(localSkipped))
        .withRequested(asked);
  }

  private static void take(UvEdge edge, Set<String> fromExtras, MarkerEnvironment environment,
      Map<UvPackage, Set<String>> requested, Deque<UvPackage> pending) {
    if (!edge.marker().evaluate(environment, fromExtras)) {
      return;
    }
    Set<String> had = requested.get(edge.target());
    if (had == null) {
      requested.put(edge.target(), new HashSet<>(edge.extras()));
      pending.add(edge.target());
    } else if (!had.containsAll(edge.extras())) {
      had.addAll(edge.extras());
      pending.add(edge.target()); // new extras: its edges are looked at again
    }
  }
}
