package dev.envforge.core.lockcheck;

import dev.envforge.core.lock.toml.Location;
import dev.envforge.core.lock.toml.TomlArray;
import dev.envforge.core.lock.toml.TomlTable;
import dev.envforge.core.lockcheck.DeclaredDependency.Scope;
import dev.envforge.core.pep.PackageNames;
import dev.envforge.core.pep.PepSyntaxException;
import dev.envforge.core.pep.Requirement;
import dev.envforge.core.text.Texts;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every dependency pyproject.toml declares, each where it is written: PEP 621 {@code [project]} dependencies and
 * optional-dependencies, PEP 735 {@code [dependency-groups]}, Poetry's {@code [tool.poetry.dependencies]}, its groups
 * and legacy dev-dependencies, and uv's legacy {@code [tool.uv] dev-dependencies} (group {@code dev}).
 */
public final class PyprojectDeclarations {
  /** The version part of a PEP 508 requirement: after the name and extras, before a marker or URL. */
  private static final Pattern PEP508_VERSION =
      Pattern.compile("^\\s*[A-Za-z0-9][A-Za-z0-9._-]*\\s*(?:\\[[^\\]]*])?\\s*(?<version>[^;@]*)");
  private static final Set<String> POETRY_DIRECT = Set.of("git", "path", "url", "file");

  private final List<DeclaredDependency> dependencies = new ArrayList<>();
  private final Set<String> groups = new LinkedHashSet<>();
  private final Set<String> extras = new LinkedHashSet<>();

  private PyprojectDeclarations() {}

  public static PyprojectDeclarations of(TomlTable pyproject) {
    PyprojectDeclarations d = new PyprojectDeclarations();
    TomlTable project = pyproject.table("project");
    if (project != null) {
      d.pep508(project.array("dependencies"), Scope.DEPENDENCIES, null);
      TomlTable optional = project.table("optional-dependencies");
      if (optional != null) {
        for (String extra : optional.keys()) {
          d.extras.add(PackageNames.normalize(extra));
          d.pep508(optional.array(extra), Scope.OPTIONAL_DEPENDENCIES, PackageNames.normalize(extra));
        }
      }
    }
    TomlTable groupTable = pyproject.table("dependency-groups");
    if (groupTable != null) {
      for (String group : groupTable.keys()) {
        d.groups.add(PackageNames.normalize(group));
        d.pep508(groupTable.array(group), Scope.DEPENDENCY_GROUPS, PackageNames.normalize(group));
      }
    }
    TomlTable tool = pyproject.table("tool");
    TomlTable poetry = tool == null ? null : tool.table("poetry");
    if (poetry != null) {
      d.poetry(poetry.table("dependencies"), Scope.DEPENDENCIES, null);
      if (poetry.has("dev-dependencies")) {
        d.groups.add("dev");
        d.poetry(poetry.table("dev-dependencies"), Scope.DEPENDENCY_GROUPS, "dev");
      }
      TomlTable poetryGroups = poetry.table("group");
      if (poetryGroups != null) {
        for (String group : poetryGroups.keys()) {
          TomlTable table = poetryGroups.table(group);
          d.groups.add(PackageNames.normalize(group));
          d.poetry(table == null ? null : table.table("dependencies"), Scope.DEPENDENCY_GROUPS,
              PackageNames.normalize(group));
        }
      }
      TomlTable poetryExtras = poetry.table("extras");
      if (poetryExtras != null) {
        poetryExtras.keys().forEach(e -> d.extras.add(PackageNames.normalize(e)));
      }
    }
    TomlTable uv = tool == null ? null : tool.table("uv");
    if (uv != null && uv.has("dev-dependencies")) {
      d.groups.add("dev");
      d.pep508(uv.array("dev-dependencies"), Scope.DEPENDENCY_GROUPS, "dev");
    }
    return d;
  }

  /** Every declaration, in the order written. */
  public List<DeclaredDependency> dependencies() {
    return dependencies;
  }

  /** Normalized names of the dependency groups declared (PEP 735, Poetry, legacy dev-dependencies). */
  public Set<String> groups() {
    return groups;
  }

  /** Normalized names of the extras declared. */
  public Set<String> extras() {
    return extras;
  }

  private void pep508(TomlArray items, Scope scope, String owner) {
    for (int i = 0; items != null && i < items.size(); i++) {
      Object item = items.get(i);
      if (!(item instanceof String text)) {
        continue; // an include-group table: its requirements are declared in their own group
      }
      Location where = items.location(i);
      Requirement requirement;
      try {
        requirement = Requirement.parse(text);
      } catch (PepSyntaxException e) {
        throw where.error("invalid requirement " + Texts.quote(text) + ": " + e.getMessage());
      }
      Matcher m = PEP508_VERSION.matcher(text);
      String version = m.find() ? m.group("version").trim() : "";
      if (version.startsWith("(") && version.endsWith(")")) {
        version = version.substring(1, version.length() - 1).trim();
      }
      dependencies.add(new DeclaredDependency(requirement.name(), scope, owner,
          version.isEmpty() ? null : version, requirement.url() != null, where));
    }
  }

  private void poetry(TomlTable table, Scope scope, String owner) {
    if (table == null) {
      return;
    }
    for (String key : table.keys()) {
      if (scope == Scope.DEPENDENCIES && key.equalsIgnoreCase("python")) {
        continue;
      }
      String name = PackageNames.normalize(key);
      Object value = table.get(key);
      if (value instanceof String constraint) {
        add(name, scope, owner, constraint, false, table.location(key));
      } else if (value instanceof TomlTable spec) {
        poetryTable(name, scope, owner, spec, table.location(key));
      } else if (value instanceof TomlArray alternatives) {
        for (int i = 0; i < alternatives.size(); i++) {
          poetryTable(name, scope, owner, alternatives.table(i), alternatives.location(i));
        }
      } else {
        throw table.error(key, "dependency " + Texts.quote(key)
            + " must be a version constraint, a table or an array of tables");
      }
    }
  }

  private void poetryTable(String name, Scope scope, String owner, TomlTable spec, Location keyAt) {
    boolean direct = spec.keys().stream().anyMatch(POETRY_DIRECT::contains);
    String version = spec.string("version");
    add(name, scope, owner, version, direct, version == null ? keyAt : spec.location("version"));
  }

  private void add(String name, Scope scope, String owner, String constraint, boolean direct, Location where) {
    String trimmed = constraint == null ? null : constraint.trim();
    dependencies.add(new DeclaredDependency(name, scope, owner,
        trimmed == null || trimmed.isEmpty() || trimmed.equals("*") ? null : trimmed, direct, where));
  }
}
