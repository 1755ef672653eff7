package dev.envforge.core.policy;

import dev.envforge.core.lock.LockFormat;
import dev.envforge.core.lock.LockInputException;
import dev.envforge.core.lock.ProjectFiles;
import dev.envforge.core.lock.toml.Location;
import dev.envforge.core.lock.toml.Toml;
import dev.envforge.core.lock.toml.TomlTable;
import dev.envforge.core.pep.PackageNames;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where packages, groups and extras are written in a project's files, so a violation can point at the line it comes
 * from. Files are read once, when first asked; a file that cannot be read gives no positions (the planner reports
 * its errors).
 */
public final class ProjectPositions {
  /** Positions of a subject without files. */
  public static final ProjectPositions NONE = new ProjectPositions(null, null, null);

  private static final String PYPROJECT = "pyproject.toml";
  private static final Pattern REQUIREMENT_PIN = Pattern.compile(
      "^\\s*([A-Za-z0-9][A-Za-z0-9._-]*)\\s*(?:\\[[^\\]]*])?\\s*===?\\s*([^\\s;\\\\#]+)");
  private static final Pattern YAML_NAME = Pattern.compile("^\\s*(?:-\\s+)?name:\\s*['\"]?([A-Za-z0-9][A-Za-z0-9._-]*)");
  private static final Pattern YAML_VERSION = Pattern.compile("^\\s*version:\\s*['\"]?([^'\"\\s]+)");
  private static final Pattern EXPLICIT_URL = Pattern.compile("/([^/#]+)-([^-/#]+)-([^-/#]+)\\.(?:conda|tar\\.bz2)");

  private final ProjectFiles files;
  private final LockFormat format;
  private final String lockPath;
  /** name → version → position; "" holds the first position of the name. */
  private Map<String, Map<String, SourcePosition>> packages;
  private TomlTable pyproject;
  private boolean pyprojectRead;

  /**
   * @param lockPath the lock file relative to the project, or null for the format's usual name
   */
  public ProjectPositions(ProjectFiles files, LockFormat format, String lockPath) {
    this.files = files;
    this.format = format;
    this.lockPath = lockPath != null ? lockPath : format == null ? null : format.lockFile();
  }

  /** Where a package is locked, at this version when the lock holds several. */
  public synchronized Optional<SourcePosition> ofPackage(String name, String version) {
    if (packages == null) {
      packages = readPackages();
    }
    Map<String, SourcePosition> versions = packages.get(PackageNames.normalize(name));
    if (versions == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(versions.getOrDefault(version, versions.get("")));
  }

  /** Where a dependency group (Poetry, PEP 735, uv's legacy dev-dependencies) is declared in pyproject.toml. */
  public synchronized Optional<SourcePosition> ofGroup(String group) {
    TomlTable root = pyproject();
    if (root == null) {
      return Optional.empty();
    }
    TomlTable poetryGroups = path(root, "tool", "poetry", "group");
    if (poetryGroups != null && poetryGroups.has(group)) {
      return Optional.of(position(poetryGroups.location(group)));
    }
    TomlTable pep735 = root.table("dependency-groups");
    if (pep735 != null && pep735.has(group)) {
      return Optional.of(position(pep735.location(group)));
    }
    TomlTable uv = path(root, "tool", "uv");
    if (uv != null && "dev".equals(group) && uv.has("dev-dependencies")) {
      return Optional.of(position(uv.location("dev-dependencies")));
    }
    return Optional.empty();
  }

  /** Where an extra is declared in pyproject.toml. */
  public synchronized Optional<SourcePosition> ofExtra(String extra) {
    TomlTable root = pyproject();
    if (root == null) {
      return Optional.empty();
    }
    for (TomlTable table : new TomlTable[] {path(root, "project", "optional-dependencies"),
        path(root, "tool", "poetry", "extras")}) {
      if (table == null) {
        continue;
      }
      for (String key : table.keys()) {
        if (PackageNames.normalize(key).equals(PackageNames.normalize(extra))) {
          return Optional.of(position(table.location(key)));
        }
      }
    }
    return Optional.empty();
  }

  private TomlTable pyproject() {
    if (!pyprojectRead) {
      pyprojectRead = true;
      if (files != null) {
        pyproject = files.read(PYPROJECT).map(text -> parseToml(PYPROJECT, text)).orElse(null);
      }
    }
    return pyproject;
  }

  private TomlTable parseToml(String path, String text) {
    try {
      return Toml.parse(files.displayName(path), text);
    } catch (LockInputException e) {
      return null;
    }
  }

  private Map<String, Map<String, SourcePosition>> readPackages() {
    Map<String, Map<String, SourcePosition>> found = new HashMap<>();
    if (files == null || lockPath == null) {
      return found;
    }
    Optional<String> text = files.read(lockPath);
    if (text.isEmpty()) {
      return found;
    }
    switch (format) {
      case POETRY, UV, PYLOCK -> {
        TomlTable root = parseToml(lockPath, text.get());
        if (root != null) {
          for (TomlTable p : root.tables(format == LockFormat.PYLOCK ? "packages" : "package")) {
            Object name = p.get("name");
            Object version = p.get("version");
            if (name instanceof String n) {
              add(found, n, version instanceof String v ? v : "", position(p.location("name")));
            }
          }
        }
      }
      case REQUIREMENTS -> scanLines(text.get(), (line, number) -> {
        Matcher m = REQUIREMENT_PIN.matcher(line);
        if (m.find()) {
          add(found, m.group(1), m.group(2), new SourcePosition(files.displayName(lockPath), number,
              m.start(1) + 1));
        }
      });
      case CONDA -> scanConda(text.get(), found);
    }
    return found;
  }

  private void scanConda(String text, Map<String, Map<String, SourcePosition>> found) {
    String[] lines = text.split("\r?\n", -1);
    String display = files.displayName(lockPath);
    for (int i = 0; i < lines.length; i++) {
      Matcher name = YAML_NAME.matcher(lines[i]);
      if (name.find()) {
        String version = "";
        for (int j = i + 1; j < Math.min(lines.length, i + 12); j++) {
          Matcher v = YAML_VERSION.matcher(lines[j]);
          if (v.find()) {
            version = v.group(1);
            break;
          }
        }
        add(found, name.group(1), version, new SourcePosition(display, i + 1, name.start(1) + 1));
        continue;
      }
      Matcher url = EXPLICIT_URL.matcher(lines[i]);
      if (url.find()) {
        add(found, url.group(1), url.group(2), new SourcePosition(display, i + 1, url.start(1) + 1));
      }
    }
  }

  private static void add(Map<String, Map<String, SourcePosition>> found, String name, String version,
      SourcePosition position) {
    Map<String, SourcePosition> versions = found.computeIfAbsent(PackageNames.normalize(name), n -> new HashMap<>());
    versions.putIfAbsent(version, position);
    versions.putIfAbsent("", position);
  }

  private interface LineVisitor {
    void visit(String line, int number);
  }

  private static void scanLines(String text, LineVisitor visitor) {
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      visitor.visit(lines[i], i + 1);
    }
  }

  private static SourcePosition position(Location location) {
    return new SourcePosition(location.file(), location.line(), location.column());
  }

  private static TomlTable path(TomlTable root, String... keys) {
    TomlTable t = root;
    for (String key : keys) {
      if (t == null || !(t.get(key) instanceof TomlTable next)) {
        return null;
      }
      t = next;
    }
    return t;
  }
}
