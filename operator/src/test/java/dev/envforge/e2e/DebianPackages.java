package dev.envforge.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The Debian packages installed on this machine, read with {@code dpkg-query}: the dependency closure of a few
 * packages and the files they installed. This is what lets the end-to-end tests make a Python base image without
 * any network: the files are copied from this machine.
 */
final class DebianPackages {
  /** The fields {@link #parseStatus} expects, one package a line, tab-separated. */
  static final String QUERY_FORMAT =
      "${binary:Package}\\t${Package}\\t${Version}\\t${db:Status-Abbrev}\\t${Pre-Depends}\\t${Depends}\\t${Provides}\\n";

  /**
   * One installed package.
   *
   * @param name the package name dependencies refer to
   * @param binaryName the name dpkg lists files under ({@code libc6:amd64} for multi-arch packages)
   * @param version the installed version
   */
  record InstalledPackage(String name, String binaryName, String version) {}

  private record Entry(InstalledPackage installed, String dependencies, List<String> provides) {}

  private final Map<String, Entry> byName;
  private final Map<String, List<String>> providers;

  private DebianPackages(Map<String, Entry> byName, Map<String, List<String>> providers) {
    this.byName = byName;
    this.providers = providers;
  }

  /** Reads the package database of this machine. */
  static DebianPackages ofThisMachine() {
    ExternalCommand.Result query = ExternalCommand.run(List.of("dpkg-query", "-W", "-f", QUERY_FORMAT),
        Duration.ofMinutes(1)).orThrow();
    return parseStatus(query.stdout());
  }

  /** Parses {@code dpkg-query -W -f QUERY_FORMAT} output; packages that are not fully installed are left out. */
  static DebianPackages parseStatus(String queryOutput) {
    Map<String, Entry> byName = new TreeMap<>();
    Map<String, List<String>> providers = new HashMap<>();
    for (String line : queryOutput.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split("\t", -1);
      if (f.length < 7) {
        throw new IllegalArgumentException("unexpected dpkg-query line: " + line);
      }
      if (!f[3].startsWith("ii")) {
        continue;
      }
      List<String> provides = names(f[6]);
      InstalledPackage installed = new InstalledPackage(f[1], f[0], f[2]);
      byName.put(f[1], new Entry(installed, f[4] + "," + f[5], provides));
      for (String virtual : provides) {
        providers.computeIfAbsent(virtual, k -> new java.util.ArrayList<>()).add(f[1]);
      }
    }
    providers.values().forEach(list -> list.sort(null));
    return new DebianPackages(byName, providers);
  }

  boolean isInstalled(String name) {
    return byName.containsKey(name);
  }

  Optional<InstalledPackage> find(String name) {
    return Optional.ofNullable(byName.get(name)).map(Entry::installed);
  }

  /**
   * The packages needed to run the given ones: they and everything they depend on (Depends and Pre-Depends),
   * sorted by name. Of alternatives ({@code a | b}) the first installed one is taken; a virtual package is satisfied
   * by the installed package that provides it. Version constraints are not checked: dpkg already did when it
   * installed them.
   */
  List<InstalledPackage> closure(Collection<String> roots) {
    Map<String, InstalledPackage> seen = new TreeMap<>();
    Deque<String> todo = new ArrayDeque<>(roots);
    while (!todo.isEmpty()) {
      String name = todo.pop();
      if (seen.containsKey(name)) {
        continue;
      }
      Entry entry = byName.get(name);
      if (entry == null) {
        throw new IllegalStateException("Debian package " + name + " is not installed on this machine");
      }
      seen.put(name, entry.installed());
      for (String dependency : entry.dependencies().split(",")) {
        if (!dependency.isBlank()) {
          todo.push(resolve(dependency, name));
        }
      }
    }
    return List.copyOf(seen.values());
  }

  private String resolve(String dependency, String of) {
    for (String alternative : dependency.split("\\|")) {
      String name = bareName(alternative);
      if (byName.containsKey(name)) {
        return name;
      }
      List<String> provided = providers.get(name);
      if (provided != null && !provided.isEmpty()) {
        return provided.get(0);
      }
    }
    throw new IllegalStateException(of + " depends on '" + dependency.trim() + "', which nothing installed satisfies");
  }

  private static List<String> names(String field) {
    List<String> names = new java.util.ArrayList<>();
    for (String item : field.split(",")) {
      if (!item.isBlank()) {
        names.add(bareName(item));
      }
    }
    return names;
  }

  /** "python3.11 (>= 3.11.2-1~)" and "libc6:any" both name a package without the qualifiers. */
  private static String bareName(String item) {
    String name = item.trim();
    int space = name.indexOf(' ');
    if (space >= 0) {
      name = name.substring(0, space);
    }
    int paren = name.indexOf('(');
    if (paren >= 0) {
      name = name.substring(0, paren);
    }
    int colon = name.indexOf(':');
    return colon >= 0 ? name.substring(0, colon) : name;
  }

  /**
   * The paths the packages installed that still exist, relative to the root, with every directory on the way.
   * Paths are spelled as they really are on disk: on a merged-/usr system dpkg records {@code /bin/dash}, but the
   * file is {@code usr/bin/dash} and {@code bin} is a symbolic link; copying {@code bin/dash} as a path would turn
   * that link into a directory in the image.
   *
   * @param excluded path prefixes (absolute) to leave out, such as documentation
   * @param kept paths under an excluded prefix to keep anyway, by file name (such as {@code copyright})
   */
  static SortedSet<String> installedPaths(List<InstalledPackage> packages, List<String> excluded, List<String> kept) {
    List<String> command = new java.util.ArrayList<>(List.of("dpkg-query", "-L"));
    packages.forEach(p -> command.add(p.binaryName()));
    String listing = ExternalCommand.run(command, Duration.ofMinutes(1)).orThrow().stdout();
    SortedSet<String> paths = new TreeSet<>();
    Map<Path, Path> realDirectories = new LinkedHashMap<>();
    for (String line : listing.split("\n")) {
      if (!line.startsWith("/") || line.equals("/.")) {
        continue;
      }
      if (excluded.stream().anyMatch(line::startsWith)
          && kept.stream().noneMatch(name -> line.endsWith("/" + name))) {
        continue;
      }
      Path path = Path.of(line);
      if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      Path parent = realDirectories.computeIfAbsent(path.getParent(), DebianPackages::realPath);
      Path real = parent.resolve(path.getFileName());
      for (Path p = real; p != null && p.getNameCount() > 0; p = p.getParent()) {
        String relative = Path.of("/").relativize(p).toString();
        if (!paths.add(relative) && p != real) {
          break;
        }
      }
    }
    return paths;
  }

  private static Path realPath(Path directory) {
    try {
      return directory.toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
