package dev.envforge.core.lock.uv;

import dev.envforge.core.lock.LockInputException;
import dev.envforge.core.lock.support.Artifacts;
import dev.envforge.core.lock.support.PepCache;
import dev.envforge.core.lock.support.RequiresPython;
import dev.envforge.core.lock.toml.Located;
import dev.envforge.core.lock.toml.Location;
import dev.envforge.core.lock.toml.Toml;
import dev.envforge.core.lock.toml.TomlTable;
import dev.envforge.core.pep.Marker;
import dev.envforge.core.pep.PackageNames;
import dev.envforge.core.pep.PepSyntaxException;
import dev.envforge.core.pep.Version;
import dev.envforge.core.pep.VersionConstraint;
import dev.envforge.core.plan.Artifact;
import dev.envforge.core.text.Texts;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed and linked uv.lock: its packages indexed by name, every dependency edge pointing at the one entry it means
 * and every marker parsed once. Immutable once built, so one instance serves every selection and target.
 */
final class UvLock {
  /** The lock format versions envforge understands. */
  static final long KNOWN_VERSION = 1;

  final String file;
  final Located<VersionConstraint> requiresPython;
  final List<UvPackage> packages;
  final Map<String, List<UvPackage>> byName;

  private UvLock(String file, Located<VersionConstraint> requiresPython, List<UvPackage> packages,
      Map<String, List<UvPackage>> byName) {
    this.file = file;
    this.requiresPython = requiresPython;
    this.packages = packages;
    this.byName = byName;
  }

  /** One [[package]] entry. Its edge lists are filled while linking and never change afterwards. */
  static final class UvPackage {
    final String name;
    final String version;
    final UvSource source;
    /** Where its [[package]] header is. */
    final Location location;
    final List<Artifact> artifacts;
    final List<UvEdge> dependencies = new ArrayList<>();
    final Map<String, List<UvEdge>> optionalDependencies = new LinkedHashMap<>();
    final Map<String, List<UvEdge>> devDependencies = new LinkedHashMap<>();

    UvPackage(String name, String version, UvSource source, Location location, List<Artifact> artifacts) {
      this.name = name;
      this.version = version;
      this.source = source;
      this.location = location;
      this.artifacts = artifacts;
    }

    @Override
    public String toString() {
      return name + (version == null ? "" : " " + version);
    }
  }

  /** A dependency edge: taken when its marker holds, asking {@code extras} of its target. */
  record UvEdge(UvPackage target, Marker marker, Set<String> extras) {}

  static UvLock parse(String file, String text) {
    TomlTable root = Toml.parse(file, text);
    Long version = root.integer("version");
    if (version == null) {
      throw root.error("missing lock 'version'");
    }
    if (version != KNOWN_VERSION) {
      throw root.error("version", "unknown uv.lock version " + version + " (known: " + KNOWN_VERSION + ")");
    }
    root.integer("revision");
    Located<VersionConstraint> requiresPython = RequiresPython.of(root);
    List<TomlTable> tables = root.tables("package");
    List<UvPackage> packages = new ArrayList<>(tables.size());
    Map<String, List<UvPackage>> byName = new HashMap<>();
    for (TomlTable table : tables) {
      UvPackage p = readPackage(table);
      packages.add(p);
      byName.computeIfAbsent(p.name, k -> new ArrayList<>(1)).add(p);
    }
    Linker linker = new Linker(file, byName);
    for (int i = 0; i < packages.size(); i++) {
      linker.link(packages.get(i), tables.get(i));
    }
    return new UvLock(file, requiresPython, List.copyOf(packages), byName);
  }

  private static UvPackage readPackage(TomlTable table) {
    String rawName = table.requiredString("name");
    if (!PackageNames.isValid(rawName)) {
      throw table.error("name", "invalid package name " + Texts.quote(rawName));
    }
    String name = PackageNames.normalize(rawName);
    TomlTable sourceTable = table.table("source");
    if (sourceTable == null) {
      throw table.error("package " + Texts.quote(name) + " has no 'source'");
    }
    UvSource source = UvSource.read(sourceTable);
    String version = table.string("version");
    if (version == null && !source.isLocal()) {
      throw table.error("package " + Texts.quote(name) + " has no 'version'");
    }
    if (version != null) {
      try {
        Version.parse(version);
      } catch (PepSyntaxException e) {
        throw table.error("version", "invalid version " + Texts.quote(version) + " of " + Texts.quote(name));
      }
    }
    return new UvPackage(name, version, source, table.location(), artifacts(table, source));
  }

  /** The sdist and wheels with their URLs and hashes, unfiltered. */
  private static List<Artifact> artifacts(TomlTable table, UvSource source) {
    List<Artifact> out = new ArrayList<>();
    TomlTable sdist = table.table("sdist");
    if (sdist != null) {
      out.add(artifact(sdist, source));
    }
    for (TomlTable wheel : table.tables("wheels")) {
      out.add(artifact(wheel, source));
    }
    return List.copyOf(out);
  }

  private static Artifact artifact(TomlTable entry, UvSource source) {
    String url = entry.string("url");
    String path = entry.string("path");
    String filename = entry.string("filename");
    if (url == null && path == null && source.kind() == UvSource.Kind.URL) {
      url = source.value(); // a direct URL's file has no URL of its own in the lock
    }
    if (url != null && Texts.hasControlOrSpace(url)) {
      throw entry.error("url", "invalid URL " + Texts.quote(url));
    }
    String name = filename != null ? filename : Artifacts.filenameOf(url != null ? url : path);
    if (!Artifacts.isPlainFilename(name)) {
      throw entry.error("cannot tell the file name of this distribution");
    }
    String hash = entry.string("hash");
    if (hash != null && !Artifacts.isHash(hash)) {
      throw entry.error("hash", "invalid hash " + Texts.quote(hash));
    }
    return new Artifact(name, url, hash);
  }

  /** Points every edge at its entry, parsing each distinct marker once. */
  private static final class Linker {
    private final String file;
    private final Map<String, List<UvPackage>> byName;
    private final PepCache pep = new PepCache();

    Linker(String file, Map<String, List<UvPackage>> byName) {
      this.file = file;
      this.byName = byName;
    }

    void link(UvPackage p, TomlTable table) {
      p.dependencies.addAll(edges(p, table.tables("dependencies")));
      for (String kind : new String[] {"optional-dependencies", "dev-dependencies"}) {
        TomlTable named = table.table(kind);
        if (named == null) {
          continue;
        }
        Map<String, List<UvEdge>> into = kind.equals("optional-dependencies") ? p.optionalDependencies
            : p.devDependencies;
        for (String key : named.keys()) {
          into.put(PackageNames.normalize(key), List.copyOf(edges(p, named.tables(key))));
        }
      }
    }

    private List<UvEdge> edges(UvPackage from, List<TomlTable> entries) {
      List<UvEdge> edges = new ArrayList<>(entries.size());
      for (TomlTable entry : entries) {
        edges.add(edge(from, entry));
      }
      return edges;
    }

    private UvEdge edge(UvPackage from, TomlTable entry) {
      String rawName = entry.requiredString("name");
      if (!PackageNames.isValid(rawName)) {
        throw entry.error("name", "invalid package name " + Texts.quote(rawName));
      }
      String name = PackageNames.normalize(rawName);
      String version = entry.string("version");
      TomlTable sourceTable = entry.table("source");
      UvSource source = sourceTable == null ? null : UvSource.read(sourceTable);
      UvPackage target = target(from, name, version, source);
      Set<String> extras = new LinkedHashSet<>();
      for (Located<String> extra : entry.strings("extra")) {
        if (!PackageNames.isValid(extra.value())) {
          throw extra.error("invalid extra " + Texts.quote(extra.value()));
        }
        extras.add(PackageNames.normalize(extra.value()));
      }
      String markerText = entry.string("marker");
      Marker marker = markerText == null ? Marker.TRUE : pep.marker(markerText, entry.location("marker"));
      return new UvEdge(target, marker, Set.copyOf(extras));
    }

    private UvPackage target(UvPackage from, String name, String version, UvSource source) {
      List<UvPackage> candidates = byName.get(name);
      if (candidates == null) {
        throw at(from, Texts.quote(from.toString()) + " depends on " + Texts.quote(name)
            + ", which the lock does not contain");
      }
      if (candidates.size() == 1 && version == null && source == null) {
        return candidates.get(0);
      }
      UvPackage chosen = null;
      for (UvPackage candidate : candidates) {
        if ((version == null || version.equals(candidate.version))
            && (source == null || source.equals(candidate.source))) {
          if (chosen != null) {
            throw at(from, Texts.quote(from.toString()) + " depends on " + Texts.quote(name)
                + ", which the lock holds several times, without naming which one");
          }
          chosen = candidate;
        }
      }
      if (chosen == null) {
        throw at(from, Texts.quote(from.toString()) + " depends on " + Texts.quote(name)
            + (version == null ? "" : " " + Texts.quote(version)) + ", which the lock does not contain");
      }
      return chosen;
    }

    private LockInputException at(UvPackage p, String problem) {
      return p.location.error(problem);
    }
  }
}
