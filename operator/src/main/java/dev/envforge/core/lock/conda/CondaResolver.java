package dev.envforge.core.lock.conda;

import dev.envforge.core.lock.LockFormat;
import dev.envforge.core.lock.LockInputException;
import dev.envforge.core.lock.LockResolver;
import dev.envforge.core.lock.ProjectFiles;
import dev.envforge.core.lock.conda.YamlTree.Mapping;
import dev.envforge.core.lock.conda.YamlTree.Node;
import dev.envforge.core.lock.conda.YamlTree.Scalar;
import dev.envforge.core.lock.conda.YamlTree.Sequence;
import dev.envforge.core.lock.support.Artifacts;
import dev.envforge.core.lock.ParsedFiles;
import dev.envforge.core.lock.support.PlanOrder;
import dev.envforge.core.lock.support.SourceUrls;
import dev.envforge.core.pep.MarkerEnvironment;
import dev.envforge.core.pep.PackageNames;
import dev.envforge.core.plan.Artifact;
import dev.envforge.core.plan.InstallPlan;
import dev.envforge.core.plan.PackageSource;
import dev.envforge.core.plan.PlannedPackage;
import dev.envforge.core.plan.PythonTargets;
import dev.envforge.core.plan.Selection;
import dev.envforge.core.plan.Target;
import dev.envforge.core.text.Texts;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Resolves a conda lock: a unified {@code conda-lock.yml} (version 1) or an explicit {@code @EXPLICIT} file such as
 * {@code conda-linux-64.lock}. The target's platform picks the conda subdir ({@code linux-64} for linux/amd64,
 * {@code linux-aarch64} for linux/arm64); the selection's groups are conda-lock categories, {@code main} always
 * included. Conda package names are kept as written, pip-managed ones are PEP 503-normalized.
 *
 * <p>Thread-safe; the last few parsed files are remembered across instances.
 */
public final class CondaResolver implements LockResolver {
  static final String MAIN = "main";
  private static final Pattern CONDA_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.+-]*");
  private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{32,128}");

  private final String lockFile;
  private final ParsedFiles parsed;

  /** The records of a parsed lock; a class of its own, so the cache can check what it returns. */
  private record Records(List<Record> records) {}

  /** One package record of the lock, with where it is written. */
  record Record(String name, String version, String manager, String platform, Set<String> categories, String url,
      String hash, int line, int column) {}

  /** Reads {@code conda-lock.yml}. */
  public CondaResolver() {
    this("conda-lock.yml");
  }

  /** Reads the named lock: a unified conda-lock file when it ends in .yml or .yaml, else an explicit one. */
  public CondaResolver(String lockFile) {
    this(lockFile, ParsedFiles.forOnePlanning());
  }

  /** Reads the named lock, keeping parsed files in the caller's cache. */
  public CondaResolver(String lockFile, ParsedFiles parsed) {
    this.lockFile = lockFile;
    this.parsed = parsed;
  }

  /** The conda subdir of an OCI platform. */
  public static String subdir(Target target) {
    return switch (target.machine()) {
      case "x86_64" -> "linux-64";
      case "aarch64" -> "linux-aarch64";
      default -> throw new IllegalArgumentException("no conda subdir for " + target.platform());
    };
  }

  private boolean unified() {
    String lower = lockFile.toLowerCase(Locale.ROOT);
    return lower.endsWith(".yml") || lower.endsWith(".yaml");
  }

  @Override
  public InstallPlan resolve(ProjectFiles files, Selection selection, Target target) {
    String file = files.displayName(lockFile);
    String text = files.read(lockFile).orElseThrow(() -> new LockInputException(file, 0, 0, "file not found"));
    String subdir = subdir(target);
    List<Record> records = parsed.get(unified() ? "conda unified" : "conda explicit", Records.class, file, text,
        (name, content) -> new Records(unified() ? UnifiedLock.parse(name, content)
            : ExplicitLock.parse(name, content))).records();
    if (!selection.extras().isEmpty()) {
      throw new LockInputException(file, 1, 1, "a conda lock has no extras (asked for "
          + String.join(", ", selection.extras().stream().map(Texts::quote).toList()) + ")");
    }
    Set<String> categories = categories(file, records, selection);

    List<PlannedPackage> packages = new ArrayList<>();
    Set<List<String>> seen = new LinkedHashSet<>();
    boolean platformSeen = false;
    String python = null;
    for (Record r : records) {
      if (!r.platform().equals(subdir)) {
        continue;
      }
      platformSeen = true;
      if (r.categories().stream().noneMatch(categories::contains)) {
        continue;
      }
      if (!seen.add(List.of(r.name(), r.version(), r.manager(), r.url()))) {
        continue;
      }
      if (r.manager().equals("conda") && r.name().equals("python")) {
        python = r.version();
      }
      String filename = Artifacts.filenameOf(r.url());
      List<Artifact> artifacts = filename == null ? List.of() : List.of(new Artifact(filename, r.url(), r.hash()));
      packages.add(new PlannedPackage(r.name(), r.version(), PackageSource.url(r.url(), null), r.manager(),
          artifacts));
    }
    if (!platformSeen && !records.isEmpty()) {
      throw new LockInputException(file, 1, 1, "the lock has no packages for platform " + subdir);
    }
    packages.sort(PlanOrder.PACKAGES);
    // the environment's own python decides the marker variables when the target does not name one
    String pythonVersion = target.python() == null && python != null && python.matches("3\\.\\d+\\.\\d+")
        ? python : PythonTargets.choose(target.python(), null);
    MarkerEnvironment environment = MarkerEnvironment.linuxCPython(pythonVersion, target.machine());
    return new InstallPlan(LockFormat.CONDA, selection, environment, packages, List.of());
  }

  /** The selected categories: {@code main} and the named groups, each of which the lock must know. */
  private Set<String> categories(String file, List<Record> records, Selection selection) {
    Set<String> known = new TreeSet<>();
    known.add(MAIN);
    records.forEach(r -> known.addAll(r.categories()));
    Set<String> selected = new LinkedHashSet<>();
    selected.add(MAIN);
    for (String group : selection.groups()) {
      if (!known.contains(group)) {
        throw new LockInputException(file, 1, 1, "unknown category " + Texts.quote(group) + " (known: "
            + String.join(", ", known) + ")");
      }
      selected.add(group);
    }
    return selected;
  }

  /** Checks one record's fields; problems are reported at the record. */
  static Record record(String file, String name, String version, String manager, String platform,
      Set<String> categories, String url, String hash, int line, int column) {
    if (!manager.equals("conda") && !manager.equals("pip")) {
      throw new LockInputException(file, line, column, "unknown manager " + Texts.quote(manager)
          + " (known: conda, pip)");
    }
    boolean pip = manager.equals("pip");
    if (pip ? !PackageNames.isValid(name) : !CONDA_NAME.matcher(name).matches()) {
      throw new LockInputException(file, line, column, "invalid package name " + Texts.quote(name));
    }
    if (version.isEmpty() || Texts.hasControlOrSpace(version)) {
      throw new LockInputException(file, line, column, "invalid version " + Texts.quote(version) + " of "
          + Texts.quote(name));
    }
    if (Texts.hasControlOrSpace(url) || !SourceUrls.isFetchable(url)) {
      throw new LockInputException(file, line, column, "invalid URL " + Texts.quote(url) + " of "
          + Texts.quote(name));
    }
    if (hash != null && !Artifacts.isHash(hash)) {
      throw new LockInputException(file, line, column, "invalid hash " + Texts.quote(hash) + " of "
          + Texts.quote(name));
    }
    return new Record(pip ? PackageNames.normalize(name) : name, version, manager, platform, Set.copyOf(categories),
        url, hash, line, column);
  }

  /** {@code algorithm:hex} of the best hash of a record: sha256, else md5. */
  static String bestHash(String sha256, String md5) {
    if (sha256 != null) {
      return HEX.matcher(sha256).matches() ? "sha256:" + sha256 : sha256;
    }
    if (md5 != null) {
      return HEX.matcher(md5).matches() ? "md5:" + md5 : md5;
    }
    return null;
  }

  /** conda-lock's unified format, version 1. */
  static final class UnifiedLock {
    private UnifiedLock() {}

    static List<Record> parse(String file, String text) {
      Node root = YamlTree.parse(file, text);
      Mapping top = mapping(file, root, "the lock");
      Scalar version = scalar(file, top, "version", true);
      if (!"1".equals(version.text())) {
        throw new LockInputException(file, version.line(), version.column(), "unknown conda-lock version "
            + Texts.quote(String.valueOf(version.text())) + " (known: 1)");
      }
      Node packages = top.entries().get("package");
      if (packages == null) {
        throw new LockInputException(file, top.line(), top.column(), "missing 'package'");
      }
      if (!(packages instanceof Sequence list)) {
        throw new LockInputException(file, packages.line(), packages.column(), "'package' must be a list");
      }
      List<Record> records = new ArrayList<>(list.items().size());
      for (Node item : list.items()) {
        Mapping m = mapping(file, item, "a package");
        Set<String> categories = new LinkedHashSet<>();
        Node many = m.entries().get("categories");
        if (many instanceof Sequence seq) {
          for (Node c : seq.items()) {
            categories.add(text(file, c, "a category"));
          }
        } else {
          Scalar one = scalar(file, m, "category", false);
          categories.add(one == null || one.text() == null ? MAIN : one.text());
        }
        Scalar manager = scalar(file, m, "manager", false);
        Mapping hash = m.entries().get("hash") == null ? null : mapping(file, m.entries().get("hash"), "'hash'");
        String sha256 = hash == null ? null : textOrNull(file, hash, "sha256");
        String md5 = hash == null ? null : textOrNull(file, hash, "md5");
        records.add(record(file, requiredText(file, m, "name"), requiredText(file, m, "version"),
            manager == null || manager.text() == null ? "conda" : manager.text(), requiredText(file, m, "platform"),
            categories, requiredText(file, m, "url"), bestHash(sha256, md5), m.line(), m.column()));
      }
      return List.copyOf(records);
    }

    private static Mapping mapping(String file, Node node, String what) {
      if (node instanceof Mapping m) {
        return m;
      }
      throw new LockInputException(file, node.line(), node.column(), what + " must be a mapping");
    }

    private static Scalar scalar(String file, Mapping m, String key, boolean required) {
      Node node = m.entries().get(key);
      if (node == null) {
        if (required) {
          throw new LockInputException(file, m.line(), m.column(), "missing '" + key + "'");
        }
        return null;
      }
      if (node instanceof Scalar s) {
        return s;
      }
      throw new LockInputException(file, node.line(), node.column(), "'" + key + "' must be a single value");
    }

    private static String requiredText(String file, Mapping m, String key) {
      Scalar s = scalar(file, m, key, true);
      if (s.text() == null) {
        throw new LockInputException(file, s.line(), s.column(), "'" + key + "' is empty");
      }
      return s.text();
    }

    private static String textOrNull(String file, Mapping m, String key) {
      Scalar s = scalar(file, m, key, false);
      return s == null ? null : s.text();
    }

    private static String text(String file, Node node, String what) {
      if (node instanceof Scalar s && s.text() != null) {
        return s.text();
      }
      throw new LockInputException(file, node.line(), node.column(), what + " must be a single value");
    }
  }
}
