package dev.envforge.core.lock.uv;

import dev.envforge.core.lock.InputLimits;
import dev.envforge.core.lock.support.PepCache;
import dev.envforge.core.lock.support.RequiresPython;
import dev.envforge.core.lock.toml.Located;
import dev.envforge.core.lock.toml.Toml;
import dev.envforge.core.lock.toml.TomlArray;
import dev.envforge.core.lock.toml.TomlTable;
import dev.envforge.core.pep.PackageNames;
import dev.envforge.core.pep.Requirement;
import dev.envforge.core.pep.VersionConstraint;
import dev.envforge.core.text.Texts;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a uv project's pyproject.toml declares, each item with its position: the project's name and version, its
 * requires-python, its dependencies, extras, dependency groups (PEP 735, with legacy {@code [tool.uv]
 * dev-dependencies} as group {@code dev}) and its workspace members.
 */
record Pyproject(
    String file,
    Located<String> name,
    Located<String> version,
    Located<VersionConstraint> requiresPython,
    List<Declared> dependencies,
    Map<String, Located<List<Declared>>> extras,
    Map<String, Located<List<Declared>>> groups,
    List<Located<String>> workspaceMembers,
    List<Located<String>> workspaceExcludes,
    boolean dynamicOptionalDependencies,
    Located<String> extrasTable,
    Located<String> groupsTable) {

  /** One declared requirement and where it is written. */
  record Declared(Requirement requirement, Located<String> text) {}

  static Pyproject parse(String file, String text) {
    TomlTable root = Toml.parse(file, text);
    PepCache pep = new PepCache();
    TomlTable project = root.table("project");
    Located<String> name = null;
    Located<String> version = null;
    Located<VersionConstraint> requiresPython = null;
    List<Declared> dependencies = List.of();
    Map<String, Located<List<Declared>>> extras = new LinkedHashMap<>();
    boolean dynamicOptional = false;
    if (project != null) {
      name = project.locatedString("name");
      if (name != null && !PackageNames.isValid(name.value())) {
        throw name.error("invalid project name " + Texts.quote(name.value()));
      }
      version = project.locatedString("version");
      requiresPython = RequiresPython.of(project);
      dependencies = requirements(pep, project.strings("dependencies"));
      for (Located<String> dynamic : project.strings("dynamic")) {
        dynamicOptional |= dynamic.value().equals("optional-dependencies");
      }
      TomlTable optional = project.table("optional-dependencies");
      if (optional != null) {
        for (String extra : optional.keys()) {
          extras.put(PackageNames.normalize(extra), optional.at(extra, requirements(pep, optional.strings(extra))));
        }
      }
    }
    Map<String, Located<List<Declared>>> groups = groups(root, pep);
    TomlTable uv = root.table("tool") == null ? null : root.table("tool").table("uv");
    List<Located<String>> members = List.of();
    List<Located<String>> excludes = List.of();
    if (uv != null) {
      if (uv.has("dev-dependencies")) {
        List<Declared> merged = new ArrayList<>(requirements(pep, uv.strings("dev-dependencies")));
        Located<List<Declared>> existing = groups.get("dev");
        if (existing != null) {
          merged.addAll(existing.value());
        }
        groups.put("dev", uv.at("dev-dependencies", merged));
      }
      TomlTable workspace = uv.table("workspace");
      if (workspace != null) {
        members = workspace.strings("members");
        excludes = workspace.strings("exclude");
      }
    }
    Located<String> extrasTable = project != null && project.has("optional-dependencies")
        ? project.at("optional-dependencies", "optional-dependencies") : root.at("project", "project");
    Located<String> groupsTable = root.has("dependency-groups") ? root.at("dependency-groups", "dependency-groups")
        : uv != null && uv.has("dev-dependencies") ? uv.at("dev-dependencies", "dev-dependencies")
        : root.at("dependency-groups", "dependency-groups");
    return new Pyproject(file, name, version, requiresPython, dependencies, extras, groups, members, excludes,
        dynamicOptional, extrasTable, groupsTable);
  }

  /** PEP 735 groups with include-group entries expanded; keys as the project writes them. */
  private static Map<String, Located<List<Declared>>> groups(TomlTable root, PepCache pep) {
    Map<String, Located<List<Declared>>> groups = new LinkedHashMap<>();
    TomlTable table = root.table("dependency-groups");
    if (table == null) {
      return groups;
    }
    Map<String, String> byNormalized = new LinkedHashMap<>();
    for (String group : table.keys()) {
      String previous = byNormalized.put(PackageNames.normalize(group), group);
      if (previous != null) {
        throw table.error(group, "dependency group " + Texts.quote(group) + " is declared twice (as "
            + Texts.quote(previous) + ")");
      }
    }
    Map<String, List<Declared>> expanded = new HashMap<>();
    int[] total = {0};
    for (String group : table.keys()) {
      groups.put(group, table.at(group, expand(pep, table, group, byNormalized, new ArrayList<>(), expanded, total)));
    }
    return groups;
  }

  /**
   * A group's requirements with its includes expanded. Each group is expanded once and includes each other group
   * once, includes nest at most {@value InputLimits#MAX_INCLUDE_DEPTH} deep, and all groups together expand to at
   * most {@value #MAX_EXPANDED} requirements, so nested includes cannot multiply work or memory.
   */
  private static List<Declared> expand(PepCache pep, TomlTable table, String group, Map<String, String> byNormalized,
      List<String> path, Map<String, List<Declared>> expanded, int[] total) {
    List<Declared> done = expanded.get(group);
    if (done != null) {
      return done;
    }
    if (path.contains(group)) {
      throw table.error(group, "dependency group " + Texts.quote(group) + " includes itself (through "
          + String.join(" -> ", path) + ")");
    }
    if (path.size() >= InputLimits.MAX_INCLUDE_DEPTH) {
      throw table.error(group, "dependency groups include each other more than " + InputLimits.MAX_INCLUDE_DEPTH
          + " deep (through " + String.join(" -> ", path) + ")");
    }
    path.add(group);
    Set<String> includedOnce = new HashSet<>();
    List<Declared> out = new ArrayList<>();
    TomlArray items = table.array(group);
    for (int i = 0; items != null && i < items.size(); i++) {
      Object item = items.get(i);
      if (item instanceof String text) {
        out.add(declared(pep, new Located<>(text, items.location(i))));
      } else if (item instanceof TomlTable include && include.has("include-group")) {
        String included = include.requiredString("include-group");
        String target = byNormalized.get(PackageNames.normalize(included));
        if (target == null) {
          throw include.error("include-group", "dependency group " + Texts.quote(group) + " includes "
              + Texts.quote(included) + ", which is not declared");
        }
        if (includedOnce.add(target)) {
          List<Declared> more = expand(pep, table, target, byNormalized, path, expanded, total);
          total[0] += more.size();
          if (total[0] > MAX_EXPANDED) {
            throw include.error("include-group", "dependency groups expand to more than " + MAX_EXPANDED
                + " requirements");
          }
          out.addAll(more);
        }
      } else {
        throw items.location(i).error(
            "a dependency group item must be a requirement string or {include-group = \"...\"}");
      }
    }
    path.remove(path.size() - 1);
    expanded.put(group, out);
    return out;
  }

  /** All dependency groups together expand to at most this many requirements. */
  static final int MAX_EXPANDED = 100_000;

  private static List<Declared> requirements(PepCache pep, List<Located<String>> texts) {
    List<Declared> out = new ArrayList<>(texts.size());
    for (Located<String> text : texts) {
      out.add(declared(pep, text));
    }
    return out;
  }

  private static Declared declared(PepCache pep, Located<String> text) {
    return new Declared(pep.requirement(text.value(), text.location()), text);
  }
}
