package dev.envforge.core.lock.poetry;

import dev.envforge.core.lock.poetry.PoetryDependency.DirectKind;
import dev.envforge.core.lock.support.PepCache;
import dev.envforge.core.lock.toml.Location;
import dev.envforge.core.lock.toml.TomlArray;
import dev.envforge.core.lock.toml.TomlTable;
import dev.envforge.core.pep.Marker;
import dev.envforge.core.pep.Requirement;
import dev.envforge.core.pep.VersionConstraint;
import dev.envforge.core.text.Texts;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Reads dependency declarations: Poetry's {@code name = "^1.0"} / {@code name = {...}} forms and PEP 508 strings. */
final class DependencyReader {
  private final PepCache pep;

  DependencyReader(PepCache pep) {
    this.pep = pep;
  }

  /**
   * The edges of one Poetry declaration: a constraint string, a table, or an array of tables (multiple constraints,
   * usually told apart by {@code python}/{@code markers}).
   */
  List<PoetryDependency> poetry(TomlTable owner, String rawName) {
    Location keyLocation = owner.location(rawName);
    String name = pep.packageName(rawName, keyLocation);
    Object value = owner.get(rawName);
    if (value instanceof String constraint) {
      return List.of(new PoetryDependency(name, constraints(constraint, keyLocation), Set.of(), Marker.TRUE, false,
          null, null, keyLocation));
    }
    if (value instanceof TomlTable table) {
      return List.of(fromTable(name, table, keyLocation));
    }
    if (value instanceof TomlArray array) {
      List<PoetryDependency> edges = new ArrayList<>(array.size());
      for (int k = 0; k < array.size(); k++) {
        edges.add(fromTable(name, array.table(k), array.location(k)));
      }
      return edges;
    }
    throw keyLocation.error("dependency " + Texts.quote(rawName)
        + " must be a version constraint, a table or an array of tables");
  }

  private List<VersionConstraint> constraints(String text, Location where) {
    String trimmed = text.trim();
    if (trimmed.isEmpty() || trimmed.equals("*")) {
      return List.of();
    }
    return List.of(pep.poetryConstraint(trimmed, where));
  }

  private PoetryDependency fromTable(String name, TomlTable table, Location location) {
    String version = table.string("version");
    List<VersionConstraint> constraints =
        version == null ? List.of() : constraints(version, table.location("version"));
    Marker marker = Marker.TRUE;
    String markers = table.string("markers");
    if (markers != null) {
      marker = pep.marker(markers, table.location("markers"));
    }
    String python = table.string("python");
    if (python != null) {
      marker = PoetryDependency.and(marker, PythonConstraints.pythonMarker(python, table.location("python"), pep));
    }
    String platform = table.string("platform");
    if (platform != null) {
      marker = PoetryDependency.and(marker, PythonConstraints.platformMarker(platform));
    }
    Set<String> extras = new TreeSet<>();
    TomlArray extraArray = table.array("extras");
    if (extraArray != null) {
      for (int k = 0; k < extraArray.size(); k++) {
        extras.add(pep.extraName(extraArray.string(k), extraArray.location(k)));
      }
    }
    DirectKind direct = null;
    if (table.string("git") != null) {
      direct = DirectKind.GIT;
    } else if (table.string("url") != null) {
      direct = DirectKind.URL;
    } else if (table.string("path") != null || table.string("file") != null) {
      direct = DirectKind.PATH;
    }
    return new PoetryDependency(name, constraints, extras, marker, table.bool("optional", false),
        table.string("source"), direct, location);
  }

  /** A PEP 508 requirement string, as in {@code [project].dependencies} or an extras list. */
  PoetryDependency pep508(String text, Location where) {
    Requirement requirement = pep.requirement(text, where);
    DirectKind direct = null;
    if (requirement.url() != null) {
      String url = requirement.url();
      direct = url.startsWith("git+") ? DirectKind.GIT : url.startsWith("file:") ? DirectKind.PATH : DirectKind.URL;
    }
    List<VersionConstraint> constraints =
        requirement.specifier() == null ? List.of() : List.of(requirement.specifier());
    return new PoetryDependency(requirement.name(), constraints, requirement.extras(), requirement.marker(), false,
        null, direct, where);
  }
}
