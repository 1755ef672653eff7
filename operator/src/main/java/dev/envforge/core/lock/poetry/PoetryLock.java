package dev.envforge.core.lock.poetry;

import dev.envforge.core.lock.support.Artifacts;
import dev.envforge.core.lock.support.PepCache;
import dev.envforge.core.lock.support.SourceUrls;
import dev.envforge.core.lock.toml.Location;
import dev.envforge.core.lock.toml.TomlArray;
import dev.envforge.core.lock.toml.TomlTable;
import dev.envforge.core.pep.Marker;
import dev.envforge.core.pep.Version;
import dev.envforge.core.text.Texts;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A parsed poetry.lock: its packages in file order and indexed by name.
 *
 * @param lockVersion the {@code [metadata] lock-version}
 * @param packages every {@code [[package]]} entry in file order
 * @param byName entries by PEP 503 name; a name may be locked more than once
 */
record PoetryLock(String lockVersion, List<LockedPackage> packages, Map<String, List<LockedPackage>> byName) {

  /** The lock versions envforge reads: Poetry 1.1 to 1.8 (1.1, 2.0) and Poetry 2 (2.1). */
  static final List<String> KNOWN_VERSIONS = List.of("1.1", "2.0", "2.1");

  /** Source types a {@code [package.source]} may have. */
  static final Set<String> SOURCE_TYPES = Set.of("legacy", "git", "url", "directory", "file");

  private static final Pattern SCP_LIKE = Pattern.compile("[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^:].*");

  /**
   * One {@code [[package]]} entry.
   *
   * @param index position in the file, to keep choices stable
   * @param marker the entry's own {@code markers} (lock 2.1), or null when it has none
   */
  record LockedPackage(int index, String name, String version, Version parsedVersion, LockSource source,
      List<PoetryDependency> dependencies, Map<String, List<ExtraItem>> extras, Marker marker,
      List<LockedFile> files, Location location) {

    String sourceType() {
      return source == null ? null : source.type();
    }

    boolean isLocal() {
      return source != null && (source.type().equals("directory") || source.type().equals("file"));
    }
  }

  /** {@code [package.source]}: where a package not from PyPI comes from. */
  record LockSource(String type, String url, String reference, String resolvedReference, String subdirectory) {}

  /**
   * One item of a {@code [package.extras]} list, such as {@code "pytest (>=6) ; python_version < \"3.11\""}.
   *
   * @param marker the item's own marker, or null
   */
  record ExtraItem(String name, Set<String> extras, Marker marker) {}

  /** One distribution file of a package. */
  record LockedFile(String filename, String hash) {}

  static PoetryLock read(TomlTable root, PepCache pep) {
    TomlTable metadata = root.table("metadata");
    if (metadata == null) {
      throw root.error("no [metadata] table: not a Poetry lock file");
    }
    Object lockVersionValue = metadata.get("lock-version");
    if (!(lockVersionValue instanceof String lockVersion)) {
      throw metadata.location("lock-version").error("[metadata] has no lock-version string; known lock versions: "
          + String.join(", ", KNOWN_VERSIONS));
    }
    if (!KNOWN_VERSIONS.contains(lockVersion)) {
      throw metadata.location("lock-version").error("unsupported lock-version " + Texts.quote(lockVersion)
          + "; known lock versions: " + String.join(", ", KNOWN_VERSIONS));
    }
    // lock 1.1 keeps the files of every package in [metadata.files]
    TomlTable legacyFiles = lockVersion.equals("1.1") ? metadata.table("files") : null;

    DependencyReader reader = new DependencyReader(pep);
    List<LockedPackage> packages = new ArrayList<>();
    Map<String, List<LockedPackage>> byName = new HashMap<>();
    TomlArray entries = root.array("package");
    int count = entries == null ? 0 : entries.size();
    for (int k = 0; k < count; k++) {
      LockedPackage p = readPackage(k, entries.table(k), entries.location(k), legacyFiles, reader, pep);
      packages.add(p);
      byName.computeIfAbsent(p.name(), n -> new ArrayList<>(1)).add(p);
    }
    return new PoetryLock(lockVersion, packages, byName);
  }

  private static LockedPackage readPackage(int index, TomlTable entry, Location location, TomlTable legacyFiles,
      DependencyReader reader, PepCache pep) {
    String rawName = entry.requiredString("name");
    String name = pep.packageName(rawName, entry.location("name"));
    String version = entry.requiredString("version");
    Version parsedVersion = pep.version(version, entry.location("version"));

    LockSource source = null;
    TomlTable sourceTable = entry.table("source");
    if (sourceTable != null) {
      String type = sourceTable.requiredString("type");
      if (!SOURCE_TYPES.contains(type)) {
        throw sourceTable.location("type").error("unsupported source type " + Texts.quote(type) + " (known: "
            + String.join(", ", new TreeSet<>(SOURCE_TYPES)) + ")");
      }
      source = readSource(type, sourceTable);
    }

    List<PoetryDependency> dependencies = new ArrayList<>();
    TomlTable dependencyTable = entry.table("dependencies");
    if (dependencyTable != null) {
      for (String key : dependencyTable.keys()) {
        dependencies.addAll(reader.poetry(dependencyTable, key));
      }
    }

    Map<String, List<ExtraItem>> extras = Map.of();
    TomlTable extraTable = entry.table("extras");
    if (extraTable != null && !extraTable.isEmpty()) {
      extras = new LinkedHashMap<>();
      for (String extra : extraTable.keys()) {
        TomlArray items = extraTable.array(extra);
        String extraName = pep.extraName(extra, extraTable.location(extra));
        List<ExtraItem> list = extras.computeIfAbsent(extraName, e -> new ArrayList<>());
        if (items != null) {
          for (int k = 0; k < items.size(); k++) {
            list.add(extraItem(items.string(k), items.location(k), pep));
          }
        }
      }
    }

    Marker marker = packageMarker(entry, pep);

    List<LockedFile> files = new ArrayList<>();
    TomlArray fileArray = legacyFiles != null ? legacyFiles.array(rawName) : entry.array("files");
    if (fileArray != null) {
      for (int k = 0; k < fileArray.size(); k++) {
        TomlTable file = fileArray.table(k);
        String filename = file.requiredString("file");
        if (!Artifacts.isPlainFilename(filename)) {
          throw file.location("file").error("invalid file name " + Texts.quote(filename));
        }
        String hash = file.string("hash");
        if (hash != null && !Artifacts.isHash(hash)) {
          throw file.location("hash").error("invalid hash " + Texts.quote(hash));
        }
        files.add(new LockedFile(filename, hash));
      }
    }
    return new LockedPackage(index, name, version, parsedVersion, source, dependencies, extras, marker, files,
        location);
  }

  /**
   * Reads {@code [package.source]}. Remote URLs must be plain http(s)/file URLs (git also ssh, git and scp-like
   * {@code user@host:path}), and a git source must be pinned to a commit, since the plan is built from them.
   */
  private static LockSource readSource(String type, TomlTable table) {
    String url = table.requiredString("url");
    boolean local = type.equals("directory") || type.equals("file");
    if (!SourceUrls.isWellFormed(url, local)) {
      throw table.location("url").error("invalid " + type + " source URL " + Texts.quote(url));
    }
    if (!local) {
      boolean gitUrl = type.equals("git") && (SourceUrls.hasGitScheme(url) || SCP_LIKE.matcher(url).matches());
      if (!SourceUrls.isFetchable(url) && !gitUrl) {
        throw table.location("url").error("unsupported " + type + " source URL " + Texts.quote(url));
      }
    }
    String subdirectory = table.string("subdirectory");
    if (subdirectory != null && Texts.hasControl(subdirectory)) {
      throw table.location("subdirectory").error("invalid subdirectory " + Texts.quote(subdirectory));
    }
    String resolved = table.string("resolved_reference");
    if (type.equals("git") && !SourceUrls.isCommit(resolved)) {
      throw table.location(resolved == null ? "reference" : "resolved_reference").error(
          "git source " + Texts.quote(url) + " is not pinned: resolved_reference must be a commit hash, not "
              + (resolved == null ? "missing" : Texts.quote(resolved)));
    }
    return new LockSource(type, url, table.string("reference"), resolved, subdirectory);
  }

  /**
   * The entry's own markers (lock 2.1): one marker, or one per group; an entry applies when any of its groups' markers
   * holds, and always when a group has none.
   */
  private static Marker packageMarker(TomlTable entry, PepCache pep) {
    Object value = entry.get("markers");
    if (value == null) {
      return null;
    }
    if (value instanceof String text) {
      return pep.marker(text, entry.location("markers"));
    }
    TomlTable byGroup = entry.table("markers");
    TomlArray groups = entry.array("groups");
    if (groups != null) {
      for (int k = 0; k < groups.size(); k++) {
        if (byGroup.get(groups.string(k)) == null) {
          return Marker.TRUE;
        }
      }
    }
    List<Marker> markers = new ArrayList<>();
    for (String group : byGroup.keys()) {
      String text = byGroup.string(group);
      markers.add(pep.marker(text, byGroup.location(group)));
    }
    return (environment, extras) -> {
      for (Marker m : markers) {
        if (m.evaluate(environment, extras)) {
          return true;
        }
      }
      return false;
    };
  }

  /**
   * Parses {@code name[extra,...] (constraint) ; marker}. The constraint is Poetry syntax (it may contain
   * {@code ||}) and is not needed: the dependency entry of the same name carries it.
   */
  static ExtraItem extraItem(String text, Location where, PepCache pep) {
    int n = text.length();
    int i = 0;
    while (i < n && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    int start = i;
    while (i < n && isNameChar(text.charAt(i))) {
      i++;
    }
    String name = pep.packageName(text.substring(start, i), where);
    while (i < n && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    Set<String> extras = Set.of();
    if (i < n && text.charAt(i) == '[') {
      int close = text.indexOf(']', i);
      if (close < 0) {
        throw where.error("invalid extras in " + Texts.quote(text));
      }
      extras = new TreeSet<>();
      for (String extra : text.substring(i + 1, close).split(",")) {
        if (!extra.isBlank()) {
          extras.add(pep.extraName(extra.trim(), where));
        }
      }
      i = close + 1;
    }
    int semicolon = text.indexOf(';', i);
    Marker marker = semicolon < 0 ? null : pep.marker(text.substring(semicolon + 1).trim(), where);
    return new ExtraItem(name, extras, marker);
  }

  private static boolean isNameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
        || c == '-';
  }
}
