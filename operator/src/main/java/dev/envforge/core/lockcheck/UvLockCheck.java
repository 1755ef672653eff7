package dev.envforge.core.lockcheck;

import dev.envforge.core.lock.ProjectFiles;
import dev.envforge.core.lock.toml.Location;
import dev.envforge.core.lock.toml.Toml;
import dev.envforge.core.lock.toml.TomlArray;
import dev.envforge.core.lock.toml.TomlTable;
import dev.envforge.core.pep.PackageNames;
import dev.envforge.core.pep.PepSyntaxException;
import dev.envforge.core.pep.Requirement;
import dev.envforge.core.text.Texts;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether uv.lock is up to date with the pyproject.toml files of its projects, as {@code uv lock --check} decides it
 * from what the lock records under {@code [package.metadata]}: for the project and every workspace member or path
 * dependency whose pyproject.toml is inside the folder, the requirements of its dependencies, of each extra
 * ({@code requires-dist}) and of each dependency group ({@code requires-dev}, includes expanded), each requirement's
 * version specifier, extras and source ({@code [tool.uv.sources]} and its indexes), the groups themselves, and the
 * lock's {@code requires-python}. Markers other than {@code extra == ...} are not compared.
 */
public final class UvLockCheck {
  private static final Pattern EXTRA_IN_MARKER = Pattern.compile("extra\\s*==\\s*['\"]([^'\"]+)['\"]");
  private static final Pattern PEP508_VERSION =
      Pattern.compile("^\\s*[A-Za-z0-9][A-Za-z0-9._-]*\\s*(?:\\[[^\\]]*])?\\s*(?<version>[^;@]*)");
  private static final List<String> LOCAL_KEYS = List.of("editable", "directory", "path", "virtual");
  private static final String REGISTRY = "registry";
  private static final String ANY_LOCAL = "local *";

  private UvLockCheck() {}

  /** One requirement on either side: what is compared, and where it is written. */
  private record Entry(String value, String source, Location where) {}

  public static List<LockProblem> check(ProjectFiles files, String lockName, TomlTable lock) {
    List<LockProblem> problems = new ArrayList<>();
    String pyprojectName = "pyproject.toml";
    TomlTable root = Toml.parse(files.displayName(pyprojectName), files.read(pyprojectName).orElseThrow());
    checkRequiresPython(root, lock, problems);
    Set<String> members = new TreeSet<>();
    for (TomlTable p : lock.tables("package")) {
      TomlTable source = p.table("source");
      String local = source == null ? null : localPath(source);
      if (local != null && p.string("name") != null) {
        members.add(PackageNames.normalize(p.string("name")));
      }
    }
    int checked = 0;
    for (TomlTable p : lock.tables("package")) {
      TomlTable source = p.table("source");
      String local = source == null ? null : localPath(source);
      if (local == null || local.startsWith("..") || local.startsWith("/") || p.table("metadata") == null) {
        continue; // a registry, git or URL package, or a project outside the folder: nothing of it to compare
      }
      String path = local.equals(".") ? pyprojectName : local + "/" + pyprojectName;
      Optional<String> text = local.equals(".") ? Optional.of("") : files.read(path);
      if (text.isEmpty()) {
        continue;
      }
      TomlTable pyproject = local.equals(".") ? root : Toml.parse(files.displayName(path), text.get());
      checkProject(pyproject, root, p, members, problems);
      checked++;
    }
    TomlTable project = root.table("project");
    if (checked == 0 && project != null) {
      problems.add(LockProblem.lock(project.location(), "project " + project.string("name") + " is not in "
          + lockName + " (no package with source { editable = \".\" } or { virtual = \".\" }); run uv lock"));
    }
    return problems;
  }

  private static void checkRequiresPython(TomlTable root, TomlTable lock, List<LockProblem> problems) {
    TomlTable project = root.table("project");
    String declared = project == null ? null : project.string("requires-python");
    String recorded = lock.string("requires-python");
    TomlTable members = PoetryLockCheck.path(root, "tool", "uv", "workspace");
    if (declared == null || recorded == null || members != null) {
      return; // a workspace's lock records the intersection of its members' ranges
    }
    if (!specifier(declared).equals(specifier(recorded))) {
      problems.add(LockProblem.lock(project.location("requires-python"), "requires-python "
          + Texts.quote(declared) + " differs from uv.lock's " + Texts.quote(recorded) + "; run uv lock"));
    }
  }

  /** Compares one project of the lock; a workspace member inherits the root's indexes and sources. */
  private static void checkProject(TomlTable pyproject, TomlTable root, TomlTable locked, Set<String> members,
      List<LockProblem> problems) {
    TomlTable project = pyproject.table("project");
    TomlTable metadata = locked.table("metadata");
    String name = locked.string("name");
    Map<String, String> indexes = indexes(root);
    indexes.putAll(indexes(pyproject));
    Map<String, List<String>> sources = pyproject == root ? new HashMap<>() : sources(root, indexes);
    sources.putAll(sources(pyproject, indexes));
    Map<String, List<Entry>> expected = new LinkedHashMap<>();
    Map<String, List<Entry>> recorded = new LinkedHashMap<>();
    boolean dynamic = false;
    if (project != null) {
      TomlArray dynamicFields = project.array("dynamic");
      for (int i = 0; dynamicFields != null && i < dynamicFields.size(); i++) {
        dynamic |= "dependencies".equals(dynamicFields.get(i));
      }
      if (!dynamic) {
        declare(expected, "", project.array("dependencies"), sources);
      }
      TomlTable optional = project.table("optional-dependencies");
      if (optional != null) {
        for (String extra : optional.keys()) {
          declare(expected, "extra " + PackageNames.normalize(extra), optional.array(extra), sources);
        }
      }
    }
    TomlArray requiresDist = metadata.array("requires-dist");
    for (int i = 0; requiresDist != null && i < requiresDist.size(); i++) {
      TomlTable r = requiresDist.table(i);
      String marker = r.string("marker");
      List<String> extras = new ArrayList<>();
      Matcher m = EXTRA_IN_MARKER.matcher(marker == null ? "" : marker);
      while (m.find()) {
        extras.add("extra " + PackageNames.normalize(m.group(1)));
      }
      if (extras.isEmpty()) {
        if (dynamic) {
          continue; // a build backend writes these dependencies: pyproject.toml does not say them
        }
        extras.add("");
      }
      for (String context : extras) {
        record(recorded, context, r, requiresDist.location(i));
      }
    }
    // groups: PEP 735 with includes expanded, and uv's legacy dev-dependencies as group dev
    Map<String, Location> groupsDeclared = new LinkedHashMap<>();
    TomlTable groupTable = pyproject.table("dependency-groups");
    if (groupTable != null) {
      for (String group : groupTable.keys()) {
        String g = PackageNames.normalize(group);
        groupsDeclared.put(g, groupTable.location(group));
        declareItems(expected, "group " + g, groupTable, group, sources);
      }
    }
    TomlTable uv = PoetryLockCheck.path(pyproject, "tool", "uv");
    if (uv != null && uv.array("dev-dependencies") != null) {
      groupsDeclared.putIfAbsent("dev", uv.location("dev-dependencies"));
      declare(expected, "group dev", uv.array("dev-dependencies"), sources);
    }
    TomlTable requiresDev = metadata.table("requires-dev");
    Map<String, Location> groupsRecorded = new LinkedHashMap<>();
    if (requiresDev != null) {
      for (String group : requiresDev.keys()) {
        String g = PackageNames.normalize(group);
        groupsRecorded.put(g, requiresDev.location(group));
        TomlArray items = requiresDev.array(group);
        for (int i = 0; items != null && i < items.size(); i++) {
          record(recorded, "group " + g, items.table(i), items.location(i));
        }
      }
    }
    Set<String> reported = new TreeSet<>(); // contexts of whole groups reported: not each requirement again
    for (Map.Entry<String, Location> group : groupsDeclared.entrySet()) {
      if (!groupsRecorded.containsKey(group.getKey())) {
        reported.add("group " + group.getKey());
        problems.add(LockProblem.lock(group.getValue(), "dependency group " + group.getKey() + " of " + name
            + " is not in uv.lock; run uv lock"));
      }
    }
    for (Map.Entry<String, Location> group : groupsRecorded.entrySet()) {
      if (!groupsDeclared.containsKey(group.getKey())) {
        reported.add("group " + group.getKey());
        problems.add(LockProblem.lock(group.getValue(), "uv.lock records dependency group " + group.getKey()
            + " of " + name + ", which pyproject.toml no longer declares; run uv lock"));
      }
    }
    expected.keySet().removeIf(k -> reported.contains(k.substring(0, k.indexOf('|'))));
    recorded.keySet().removeIf(k -> reported.contains(k.substring(0, k.indexOf('|'))));
    compare(name, expected, recorded, members, problems);
  }

  /** Compares requirement by requirement: a key is a context ("" main, "extra X", "group G") and a name. */
  private static void compare(String project, Map<String, List<Entry>> expected, Map<String, List<Entry>> recorded,
      Set<String> members, List<LockProblem> problems) {
    for (Map.Entry<String, List<Entry>> e : expected.entrySet()) {
      List<Entry> lockEntries = recorded.get(e.getKey());
      Entry first = e.getValue().get(0);
      String what = describe(e.getKey());
      if (lockEntries == null) {
        problems.add(LockProblem.lock(first.where(), what + " is declared in pyproject.toml but not recorded in"
            + " uv.lock (missing from the lock); run uv lock"));
        continue;
      }
      Set<String> want = values(e.getValue());
      Set<String> have = values(lockEntries);
      if (!want.equals(have)) {
        problems.add(LockProblem.lock(first.where(), what + " is " + String.join(" or ", want)
            + " in pyproject.toml but uv.lock records " + String.join(" or ", have) + "; run uv lock"));
        continue;
      }
      if (members.contains(e.getKey().substring(e.getKey().indexOf('|') + 1))) {
        continue; // a project of the lock itself: uv versions record its source differently
      }
      Set<String> wantSources = new TreeSet<>();
      e.getValue().forEach(x -> wantSources.add(x.source()));
      Set<String> haveSources = new TreeSet<>();
      lockEntries.forEach(x -> haveSources.add(x.source()));
      if (!sourcesMatch(wantSources, haveSources)) {
        problems.add(LockProblem.lock(first.where(), what + " comes from " + String.join(" or ", wantSources)
            + " by pyproject.toml but uv.lock records " + String.join(" or ", haveSources) + "; run uv lock"));
      }
    }
    for (Map.Entry<String, List<Entry>> e : recorded.entrySet()) {
      if (!expected.containsKey(e.getKey())) {
        problems.add(LockProblem.lock(e.getValue().get(0).where(), "uv.lock records " + describe(e.getKey())
            + " of " + project + ", which pyproject.toml no longer declares; run uv lock"));
      }
    }
  }

  private static boolean sourcesMatch(Set<String> want, Set<String> have) {
    for (String h : have) {
      boolean found = want.contains(h) || h.startsWith("local ") && want.contains(ANY_LOCAL)
          || h.equals(REGISTRY) && want.size() > 1 && want.stream().allMatch(w -> w.startsWith("index "));
      if (!found) {
        return false;
      }
    }
    for (String w : want) {
      if (!have.contains(w) && !(w.equals(ANY_LOCAL) && have.stream().anyMatch(h -> h.startsWith("local ")))) {
        return false;
      }
    }
    return true;
  }

  private static String describe(String key) {
    int bar = key.indexOf('|');
    String context = key.substring(0, bar);
    String name = key.substring(bar + 1);
    return context.isEmpty() ? name : name + " (" + context + ")";
  }

  private static Set<String> values(List<Entry> entries) {
    Set<String> out = new TreeSet<>();
    entries.forEach(e -> out.add(e.value()));
    return out;
  }

  private static void declare(Map<String, List<Entry>> into, String context, TomlArray items,
      Map<String, List<String>> sources) {
    for (int i = 0; items != null && i < items.size(); i++) {
      if (items.get(i) instanceof String text) {
        declareOne(into, context, text, items.location(i), sources);
      }
    }
  }

  /** A group's requirements with its include-group items expanded (each group once; cycles end). */
  private static void declareItems(Map<String, List<Entry>> into, String context, TomlTable groups, String group,
      Map<String, List<String>> sources) {
    List<String> visiting = new ArrayList<>();
    expandInto(into, context, groups, group, sources, visiting);
  }

  private static void expandInto(Map<String, List<Entry>> into, String context, TomlTable groups, String group,
      Map<String, List<String>> sources, List<String> visiting) {
    if (visiting.contains(group) || visiting.size() > 32) {
      return;
    }
    visiting.add(group);
    TomlArray items = groups.array(group);
    for (int i = 0; items != null && i < items.size(); i++) {
      Object item = items.get(i);
      if (item instanceof String text) {
        declareOne(into, context, text, items.location(i), sources);
      } else if (item instanceof TomlTable include && include.string("include-group") != null) {
        String target = include.string("include-group");
        for (String key : groups.keys()) {
          if (PackageNames.normalize(key).equals(PackageNames.normalize(target))) {
            expandInto(into, context, groups, key, sources, visiting);
          }
        }
      }
    }
  }

  private static void declareOne(Map<String, List<Entry>> into, String context, String text, Location where,
      Map<String, List<String>> sources) {
    Requirement requirement;
    try {
      requirement = Requirement.parse(text);
    } catch (PepSyntaxException e) {
      throw where.error("invalid requirement " + Texts.quote(text) + ": " + e.getMessage());
    }
    Matcher m = PEP508_VERSION.matcher(text);
    String version = m.find() && requirement.url() == null ? m.group("version").trim() : "";
    if (version.startsWith("(") && version.endsWith(")")) {
      version = version.substring(1, version.length() - 1);
    }
    List<String> named = sources.get(requirement.name());
    List<String> sourceList = named != null ? named
        : List.of(requirement.url() != null ? direct(requirement.url()) : REGISTRY);
    boolean unversioned = sourceList.stream().anyMatch(s -> !s.equals(REGISTRY) && !s.startsWith("index "));
    String value = (unversioned ? "" : specifier(version)) + extras(requirement.extras());
    for (String source : sourceList) {
      into.computeIfAbsent(context + "|" + requirement.name(), k -> new ArrayList<>())
          .add(new Entry(value.isEmpty() ? "any version" : value, source, where));
    }
  }

  private static void record(Map<String, List<Entry>> into, String context, TomlTable r, Location where) {
    String name = PackageNames.normalize(String.valueOf(r.string("name")));
    Set<String> extras = new TreeSet<>();
    TomlArray extraArray = r.array("extras");
    for (int i = 0; extraArray != null && i < extraArray.size(); i++) {
      extras.add(PackageNames.normalize(String.valueOf(extraArray.get(i))));
    }
    String spec = r.string("specifier");
    String value = (spec == null ? "" : specifier(spec)) + extras(extras);
    into.computeIfAbsent(context + "|" + name, k -> new ArrayList<>())
        .add(new Entry(value.isEmpty() ? "any version" : value, recordedSource(r), where));
  }

  private static String extras(Set<String> extras) {
    return extras.isEmpty() ? "" : "[" + String.join(",", new TreeSet<>(extras)) + "]";
  }

  /** A version specifier with its clauses sorted and blanks removed, as uv's and pyproject's compare equal. */
  static String specifier(String text) {
    Set<String> clauses = new TreeSet<>();
    for (String clause : text.split(",")) {
      String c = clause.replaceAll("\\s+", "");
      if (!c.isEmpty()) {
        clauses.add(c);
      }
    }
    return String.join(",", clauses);
  }

  /** Where a lock's requirement comes from, in the form {@link #sources} writes. */
  private static String recordedSource(TomlTable r) {
    if (r.string("git") != null) {
      return git(r.string("git"));
    }
    if (r.string("url") != null) {
      return "url " + r.string("url");
    }
    for (String key : LOCAL_KEYS) {
      if (r.string(key) != null) {
        return "local " + localPathText(r.string(key)) + (key.equals("editable") ? " editable" : "");
      }
    }
    if (r.string("index") != null) {
      return "index " + trimSlash(r.string("index"));
    }
    return REGISTRY;
  }

  /** The sources of [tool.uv.sources] by package name; an array of sources (told apart by markers) gives several. */
  private static Map<String, List<String>> sources(TomlTable pyproject, Map<String, String> indexes) {
    Map<String, List<String>> out = new HashMap<>();
    TomlTable table = PoetryLockCheck.path(pyproject, "tool", "uv", "sources");
    if (table == null) {
      return out;
    }
    for (String key : table.keys()) {
      Object value = table.get(key);
      List<String> list = new ArrayList<>();
      if (value instanceof TomlTable t) {
        list.add(source(t, indexes));
      } else if (value instanceof TomlArray a) {
        for (int i = 0; i < a.size(); i++) {
          list.add(source(a.table(i), indexes));
        }
        list.add(REGISTRY); // where no source's marker holds, the package comes from the default index
      } else {
        throw table.error(key, "a source must be a table or an array of tables");
      }
      out.put(PackageNames.normalize(key), list);
    }
    return out;
  }

  private static String source(TomlTable t, Map<String, String> indexes) {
    if (t.string("git") != null) {
      String ref = t.string("rev") != null ? t.string("rev") : t.string("tag") != null ? t.string("tag")
          : t.string("branch");
      return "git " + trimGit(t.string("git")) + (ref == null ? "" : "@" + ref)
          + (t.string("subdirectory") == null ? "" : "#" + localPathText(t.string("subdirectory")));
    }
    if (t.string("url") != null) {
      return "url " + t.string("url");
    }
    if (t.string("path") != null) {
      boolean editable = t.bool("editable", false);
      return "local " + localPathText(t.string("path")) + (editable ? " editable" : "");
    }
    if (t.bool("workspace", false)) {
      return ANY_LOCAL;
    }
    if (t.string("index") != null) {
      String url = indexes.get(t.string("index"));
      return "index " + (url == null ? t.string("index") : trimSlash(url));
    }
    throw t.error("a source needs git, url, path, workspace or index");
  }

  private static Map<String, String> indexes(TomlTable pyproject) {
    Map<String, String> out = new HashMap<>();
    TomlTable uv = PoetryLockCheck.path(pyproject, "tool", "uv");
    if (uv != null) {
      for (TomlTable index : uv.tables("index")) {
        if (index.string("name") != null && index.string("url") != null) {
          out.put(index.string("name"), index.string("url"));
        }
      }
    }
    return out;
  }

  /** A direct reference of a PEP 508 requirement, in the form {@link #source} writes. */
  private static String direct(String url) {
    if (url.startsWith("git+")) {
      String rest = url.substring(4);
      String subdirectory = null;
      int hash = rest.indexOf('#');
      if (hash >= 0) {
        Matcher m = Pattern.compile("subdirectory=([^&]+)").matcher(rest.substring(hash + 1));
        subdirectory = m.find() ? m.group(1) : null;
        rest = rest.substring(0, hash);
      }
      int at = rest.lastIndexOf('@');
      String ref = at > rest.indexOf("://") + 3 ? rest.substring(at + 1) : null;
      String base = ref == null ? rest : rest.substring(0, at);
      return "git " + trimGit(base) + (ref == null ? "" : "@" + ref)
          + (subdirectory == null ? "" : "#" + localPathText(subdirectory));
    }
    if (url.startsWith("file:")) {
      return ANY_LOCAL;
    }
    return "url " + url;
  }

  /** uv.lock's {@code git = "URL?subdirectory=S&rev=R#COMMIT"} in the form {@link #source} writes. */
  private static String git(String recorded) {
    String text = recorded;
    int hash = text.indexOf('#');
    if (hash >= 0) {
      text = text.substring(0, hash);
    }
    String ref = null;
    String subdirectory = null;
    int q = text.indexOf('?');
    if (q >= 0) {
      for (String pair : text.substring(q + 1).split("&")) {
        int eq = pair.indexOf('=');
        String key = eq < 0 ? pair : pair.substring(0, eq);
        String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        switch (key) {
          case "rev", "tag", "branch" -> ref = value;
          case "subdirectory" -> subdirectory = value;
          default -> { }
        }
      }
      text = text.substring(0, q);
    }
    return "git " + trimGit(text) + (ref == null ? "" : "@" + ref)
        + (subdirectory == null ? "" : "#" + localPathText(subdirectory));
  }

  private static String trimGit(String url) {
    String u = trimSlash(url);
    return u.endsWith(".git") ? u.substring(0, u.length() - 4) : u;
  }

  private static String trimSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static String localPathText(String path) {
    String p = path.replace('\\', '/');
    while (p.startsWith("./")) {
      p = p.substring(2);
    }
    while (p.endsWith("/") && p.length() > 1) {
      p = p.substring(0, p.length() - 1);
    }
    return p.isEmpty() ? "." : p;
  }

  /** The path of a local (editable, virtual, directory) lock source, or null for another kind. */
  private static String localPath(TomlTable source) {
    for (String key : List.of("editable", "virtual", "directory")) {
      if (source.string(key) != null) {
        return localPathText(source.string(key));
      }
    }
    return null;
  }
}
