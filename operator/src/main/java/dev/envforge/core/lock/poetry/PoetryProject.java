package dev.envforge.core.lock.poetry;

import dev.envforge.core.lock.support.PepCache;
import dev.envforge.core.lock.support.RequiresPython;
import dev.envforge.core.lock.toml.Located;
import dev.envforge.core.lock.toml.Location;
import dev.envforge.core.lock.toml.TomlArray;
import dev.envforge.core.lock.toml.TomlTable;
import dev.envforge.core.pep.VersionConstraint;
import dev.envforge.core.text.Texts;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What pyproject.toml says about a Poetry project's dependencies, in Poetry 1 ({@code [tool.poetry]}) or Poetry 2
 * ({@code [project]} enriched by {@code [tool.poetry]}) form.
 *
 * @param rootName PEP 503 name of the project itself, or null when it has none
 * @param requiresPython the Python versions the project allows, or null when it does not say
 * @param main the main dependencies
 * @param groups dependency groups by name as written; legacy {@code dev-dependencies} are group {@code dev}
 * @param extras the project's extras by PEP 685 name: the edges each one adds
 * @param extraNames the extras as the project writes them, for messages
 * @param sourceNames names of the {@code [[tool.poetry.source]]} entries
 * @param groupsLocation where groups are defined, or the start of the file, for messages about groups
 * @param extrasLocation where extras are defined, or the start of the file, for messages about extras
 */
record PoetryProject(String rootName, VersionConstraint requiresPython, List<PoetryDependency> main,
    Map<String, Group> groups, Map<String, List<PoetryDependency>> extras, List<String> extraNames,
    Set<String> sourceNames, Location groupsLocation, Location extrasLocation) {

  /** A dependency group: its own dependencies and the groups it includes. */
  record Group(String name, List<PoetryDependency> dependencies, List<String> includeGroups,
      List<Location> includeLocations) {}

  static PoetryProject read(TomlTable root, PepCache pep) {
    DependencyReader reader = new DependencyReader(pep);
    TomlTable project = root.table("project");
    TomlTable tool = root.table("tool");
    TomlTable poetry = tool == null ? null : tool.table("poetry");

    String rootName = null;
    TomlTable nameOwner = project != null && project.string("name") != null ? project : poetry;
    if (nameOwner != null && nameOwner.string("name") != null) {
      rootName = pep.packageName(nameOwner.string("name"), nameOwner.location("name"));
    }

    TomlTable poetryDependencyTable = poetry == null ? null : poetry.table("dependencies");
    VersionConstraint requiresPython = null;
    Located<VersionConstraint> projectRequiresPython = project == null ? null : RequiresPython.of(project);
    if (projectRequiresPython != null) {
      requiresPython = projectRequiresPython.value();
    } else if (poetryDependencyTable != null && poetryDependencyTable.get("python") instanceof String python) {
      requiresPython = pep.poetryConstraint(python, poetryDependencyTable.location("python"));
    }

    // Poetry-style main declarations, by name; "python" is the project's own Python range
    Map<String, List<PoetryDependency>> poetryMain = new LinkedHashMap<>();
    if (poetryDependencyTable != null) {
      for (String key : poetryDependencyTable.keys()) {
        if (!key.equalsIgnoreCase("python")) {
          for (PoetryDependency d : reader.poetry(poetryDependencyTable, key)) {
            poetryMain.computeIfAbsent(d.name(), n -> new ArrayList<>()).add(d);
          }
        }
      }
    }

    List<PoetryDependency> main = new ArrayList<>();
    TomlArray projectDependencies = project == null ? null : project.array("dependencies");
    if (projectDependencies != null && projectDependencies.size() > 0) {
      Set<String> declared = new HashSet<>();
      for (int k = 0; k < projectDependencies.size(); k++) {
        PoetryDependency d = reader.pep508(projectDependencies.string(k), projectDependencies.location(k));
        declared.add(d.name());
        main.addAll(enrich(d, poetryMain.get(d.name())));
      }
      // with dynamic dependencies, Poetry adds its own declarations that [project] does not name
      if (isDynamic(project, "dependencies")) {
        poetryMain.forEach((name, edges) -> {
          if (!declared.contains(name)) {
            edges.stream().filter(e -> !e.optional()).forEach(main::add);
          }
        });
      }
    } else {
      // Poetry uses [tool.poetry.dependencies] when [project] declares none
      poetryMain.values().forEach(edges -> edges.stream().filter(e -> !e.optional()).forEach(main::add));
    }

    Map<String, List<PoetryDependency>> extras = new LinkedHashMap<>();
    List<String> extraNames = new ArrayList<>();
    TomlTable optionalDependencies = project == null ? null : project.table("optional-dependencies");
    TomlTable poetryExtras = poetry == null ? null : poetry.table("extras");
    if (optionalDependencies != null) {
      for (String extra : optionalDependencies.keys()) {
        String normalized = pep.extraName(extra, optionalDependencies.location(extra));
        List<PoetryDependency> edges = extras.computeIfAbsent(normalized, n -> new ArrayList<>());
        extraNames.add(extra);
        TomlArray items = optionalDependencies.array(extra);
        if (items == null) {
          throw optionalDependencies.location(extra).error("extra " + Texts.quote(extra)
              + " must be an array of requirements");
        }
        for (int k = 0; k < items.size(); k++) {
          PoetryDependency d = reader.pep508(items.string(k), items.location(k));
          edges.addAll(enrich(d, poetryMain.get(d.name())));
        }
      }
    } else if (poetryExtras != null) {
      for (String extra : poetryExtras.keys()) {
        String normalized = pep.extraName(extra, poetryExtras.location(extra));
        List<PoetryDependency> edges = extras.computeIfAbsent(normalized, n -> new ArrayList<>());
        extraNames.add(extra);
        TomlArray items = poetryExtras.array(extra);
        if (items == null) {
          throw poetryExtras.location(extra).error("extra " + Texts.quote(extra)
              + " must be an array of package names");
        }
        for (int k = 0; k < items.size(); k++) {
          String name = pep.packageName(items.string(k).trim(), items.location(k));
          // as in Poetry, an extra names declared dependencies (usually optional ones); others add nothing
          for (PoetryDependency d : poetryMain.getOrDefault(name, List.of())) {
            edges.add(new PoetryDependency(d.name(), d.constraints(), d.extras(), d.marker(), false, d.sourceName(),
                d.direct(), d.location()));
          }
        }
      }
    }

    Map<String, Group> groups = new LinkedHashMap<>();
    if (poetry != null) {
      TomlTable legacyDev = poetry.table("dev-dependencies");
      if (legacyDev != null) {
        groups.put("dev", new Group("dev", readAll(reader, legacyDev), List.of(), List.of()));
      }
      TomlTable groupTable = poetry.table("group");
      if (groupTable != null) {
        for (String name : groupTable.keys()) {
          TomlTable group = groupTable.table(name);
          if (group == null) {
            throw groupTable.location(name).error("group " + Texts.quote(name) + " must be a table");
          }
          TomlTable dependencies = group.table("dependencies");
          List<PoetryDependency> edges = dependencies == null ? new ArrayList<>() : readAll(reader, dependencies);
          List<String> includes = new ArrayList<>();
          List<Location> includeLocations = new ArrayList<>();
          TomlArray includeArray = group.array("include-groups");
          if (includeArray != null) {
            for (int k = 0; k < includeArray.size(); k++) {
              includes.add(includeArray.string(k));
              includeLocations.add(includeArray.location(k));
            }
          }
          Group existing = groups.get(name);
          if (existing != null) {
            edges.addAll(0, existing.dependencies());
          }
          groups.put(name, new Group(name, edges, includes, includeLocations));
        }
      }
    }
    for (Group group : groups.values()) {
      for (int k = 0; k < group.includeGroups().size(); k++) {
        if (!groups.containsKey(group.includeGroups().get(k))) {
          throw group.includeLocations().get(k).error("group " + Texts.quote(group.name()) + " includes group "
              + Texts.quote(group.includeGroups().get(k)) + ", which the project does not define");
        }
      }
    }

    Set<String> sourceNames = new HashSet<>();
    TomlArray sources = poetry == null ? null : poetry.array("source");
    if (sources != null) {
      for (int k = 0; k < sources.size(); k++) {
        String name = sources.table(k).string("name");
        if (name != null) {
          sourceNames.add(name);
        }
      }
    }
    Location start = root.location();
    Location groupsLocation = poetry == null ? start
        : poetry.table("group") != null ? poetry.location("group")
        : poetry.table("dev-dependencies") != null ? poetry.location("dev-dependencies") : start;
    Location extrasLocation = optionalDependencies != null ? project.location("optional-dependencies")
        : poetryExtras != null ? poetry.location("extras") : start;
    return new PoetryProject(rootName, requiresPython, main, groups, extras, extraNames, sourceNames, groupsLocation,
        extrasLocation);
  }

  private static List<PoetryDependency> readAll(DependencyReader reader, TomlTable dependencies) {
    List<PoetryDependency> edges = new ArrayList<>();
    for (String key : dependencies.keys()) {
      edges.addAll(reader.poetry(dependencies, key));
    }
    return edges;
  }

  private static boolean isDynamic(TomlTable project, String field) {
    TomlArray dynamic = project.array("dynamic");
    if (dynamic == null) {
      return false;
    }
    for (int k = 0; k < dynamic.size(); k++) {
      if (field.equals(dynamic.get(k))) {
        return true;
      }
    }
    return false;
  }

  /** Poetry 2: a [project] requirement takes source, direct reference and extra constraints from [tool.poetry]. */
  private static List<PoetryDependency> enrich(PoetryDependency requirement, List<PoetryDependency> poetry) {
    if (poetry == null || poetry.isEmpty()) {
      return List.of(requirement);
    }
    List<PoetryDependency> enriched = new ArrayList<>(poetry.size());
    for (PoetryDependency p : poetry) {
      enriched.add(requirement.enrichedBy(p));
    }
    return enriched;
  }

  /** Every declared edge: main, all groups and all extras, for checking the lock against the project. */
  List<PoetryDependency> allDeclarations() {
    List<PoetryDependency> all = new ArrayList<>(main);
    groups.values().forEach(g -> all.addAll(g.dependencies()));
    extras.values().forEach(all::addAll);
    return all;
  }
}
