package dev.envforge.core.lockcheck;

import dev.envforge.core.lock.toml.Location;
import dev.envforge.core.lock.toml.TomlArray;
import dev.envforge.core.lock.toml.TomlTable;
import dev.envforge.core.lock.poetry.PoetryContentHash;
import dev.envforge.core.lockcheck.DeclaredDependency.Scope;
import dev.envforge.core.pep.PackageNames;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Whether poetry.lock is up to date with pyproject.toml: its {@code content-hash} (computed as Poetry's locker does),
 * every declared dependency locked, and, in locks that record groups (lock-version 2.1), every declared group.
 */
public final class PoetryLockCheck {
  private PoetryLockCheck() {}

  public static List<LockProblem> check(TomlTable pyproject, TomlTable lock, PyprojectDeclarations declared) {
    List<LockProblem> problems = new ArrayList<>();
    TomlTable metadata = lock.table("metadata");
    if (metadata == null || metadata.string("content-hash") == null) {
      throw (metadata == null ? lock : metadata).error("no [metadata] content-hash; regenerate the lock with"
          + " poetry lock");
    }
    String recorded = metadata.string("content-hash");
    String actual = PoetryContentHash.of(pyproject);
    if (!recorded.equals(actual)) {
      problems.add(LockProblem.lock(metadata.location("content-hash"), "content-hash " + recorded
          + " does not match pyproject.toml (its dependencies, groups, sources or extras hash to " + actual
          + "); run poetry lock"));
    }
    Set<String> locked = new HashSet<>();
    Set<String> lockedGroups = new HashSet<>();
    boolean recordsGroups = false;
    for (TomlTable p : lock.tables("package")) {
      String name = p.string("name");
      if (name != null) {
        locked.add(PackageNames.normalize(name));
      }
      TomlArray groups = p.array("groups");
      if (groups != null) {
        recordsGroups = true;
        for (int i = 0; i < groups.size(); i++) {
          if (groups.get(i) instanceof String g) {
            lockedGroups.add(PackageNames.normalize(g));
          }
        }
      }
    }
    String self = projectName(pyproject);
    Set<String> groupsWithDependencies = new HashSet<>();
    for (DeclaredDependency d : declared.dependencies()) {
      if (d.scope() == Scope.DEPENDENCY_GROUPS) {
        groupsWithDependencies.add(d.owner());
      }
      if (!locked.contains(d.name()) && !d.name().equals(self)) {
        problems.add(LockProblem.lock(d.where(), d.describe() + " is declared in pyproject.toml but not locked in"
            + " poetry.lock; run poetry lock"));
      }
    }
    if (recordsGroups) {
      for (String group : declared.groups()) {
        if (groupsWithDependencies.contains(group) && !lockedGroups.contains(group)) {
          problems.add(LockProblem.lock(groupLocation(pyproject, group), "dependency group " + group
              + " is declared in pyproject.toml but no package of poetry.lock belongs to it; run poetry lock"));
        }
      }
    }
    return problems;
  }

  static String projectName(TomlTable pyproject) {
    TomlTable project = pyproject.table("project");
    String name = project == null ? null : project.string("name");
    if (name == null) {
      TomlTable tool = pyproject.table("tool");
      TomlTable poetry = tool == null ? null : tool.table("poetry");
      name = poetry == null ? null : poetry.string("name");
    }
    return name == null ? null : PackageNames.normalize(name);
  }

  /** Where a group is declared: its key under [tool.poetry.group], [dependency-groups] or dev-dependencies. */
  static Location groupLocation(TomlTable pyproject, String group) {
    TomlTable tool = pyproject.table("tool");
    for (TomlTable table : new TomlTable[] {path(tool, "poetry", "group"), pyproject.table("dependency-groups")}) {
      if (table != null) {
        for (String key : table.keys()) {
          if (PackageNames.normalize(key).equals(group)) {
            return table.location(key);
          }
        }
      }
    }
    TomlTable poetry = path(tool, "poetry");
    if (poetry != null && poetry.has("dev-dependencies")) {
      return poetry.location("dev-dependencies");
    }
    TomlTable uv = path(tool, "uv");
    return uv != null && uv.has("dev-dependencies") ? uv.location("dev-dependencies") : pyproject.location();
  }

  static TomlTable path(TomlTable root, String... keys) {
    TomlTable t = root;
    for (String key : keys) {
      if (t == null) {
        return null;
      }
      t = t.get(key) instanceof TomlTable next ? next : null;
    }
    return t;
  }
}
