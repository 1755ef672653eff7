package dev.envforge.core.diff;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.envforge.core.plan.InstallPlan;
import dev.envforge.core.plan.PackageSource;
import dev.envforge.core.plan.PlannedPackage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What changed between two install plans: packages added, removed, at another version, or from another source (a
 * package can be both). Packages are matched by name (and, in conda locks, by manager); each list is sorted by name.
 * Changes to packages the project asks for itself (requested, see {@link InstallPlan#isRequested}) come first in
 * {@link #lines()} and so in summaries.
 */
public record PackageDiff(List<Change> added, List<Change> removed, List<Change> versionChanged,
    List<Change> sourceChanged) {

  /**
   * One package's change; the "before" fields are null for an added package, the "after" ones for a removed one.
   * {@code requested}: the project asks for the package itself (after the change; before it for a removed one).
   */
  public record Change(String name, String versionBefore, String versionAfter, String sourceBefore,
      String sourceAfter, boolean requested) {}

  public PackageDiff {
    added = List.copyOf(added);
    removed = List.copyOf(removed);
    versionChanged = List.copyOf(versionChanged);
    sourceChanged = List.copyOf(sourceChanged);
  }

  public static PackageDiff between(InstallPlan before, InstallPlan after) {
    Map<String, PlannedPackage> old = byKey(before);
    Map<String, PlannedPackage> now = byKey(after);
    List<Change> added = new ArrayList<>();
    List<Change> removed = new ArrayList<>();
    List<Change> versions = new ArrayList<>();
    List<Change> sources = new ArrayList<>();
    for (Map.Entry<String, PlannedPackage> e : now.entrySet()) {
      PlannedPackage a = e.getValue();
      PlannedPackage b = old.get(e.getKey());
      if (b == null) {
        added.add(new Change(a.name(), null, a.version(), null, describe(a.source()), after.isRequested(a)));
        continue;
      }
      Change change = new Change(a.name(), b.version(), a.version(), describe(b.source()), describe(a.source()),
          after.isRequested(a));
      if (!Objects.equals(a.version(), b.version())) {
        versions.add(change);
      }
      if (!Objects.equals(change.sourceBefore(), change.sourceAfter())) {
        sources.add(change);
      }
    }
    for (Map.Entry<String, PlannedPackage> e : old.entrySet()) {
      if (!now.containsKey(e.getKey())) {
        PlannedPackage b = e.getValue();
        removed.add(new Change(b.name(), b.version(), null, describe(b.source()), null, before.isRequested(b)));
      }
    }
    return new PackageDiff(added, removed, versions, sources);
  }

  public boolean isEmpty() {
    return added.isEmpty() && removed.isEmpty() && versionChanged.isEmpty() && sourceChanged.isEmpty();
  }

  /** Counts, as "+2 -1 ~3 source 1" (added, removed, version changed, source changed). */
  public String counts() {
    return "+" + added.size() + " -" + removed.size() + " ~" + versionChanged.size() + " source "
        + sourceChanged.size();
  }

  /**
   * One line per change: "+ name version", "- name version", "~ name old -> new", "@ name old -> new"; the changes
   * to requested packages first (marked "  # requested"), then those to dependencies.
   */
  public List<String> lines() {
    List<String> lines = new ArrayList<>();
    for (boolean requested : new boolean[] {true, false}) {
      String mark = requested ? "  # requested" : "";
      added.stream().filter(c -> c.requested() == requested)
          .forEach(c -> lines.add("+ " + c.name() + " " + c.versionAfter() + mark));
      removed.stream().filter(c -> c.requested() == requested)
          .forEach(c -> lines.add("- " + c.name() + " " + c.versionBefore() + mark));
      versionChanged.stream().filter(c -> c.requested() == requested).forEach(c -> lines.add(
          "~ " + c.name() + " " + c.versionBefore() + " -> " + c.versionAfter() + mark));
      sourceChanged.stream().filter(c -> c.requested() == requested).forEach(c -> lines.add(
          "@ " + c.name() + " " + c.sourceBefore() + " -> " + c.sourceAfter() + mark));
    }
    return lines;
  }

  /**
   * A one-line summary for events and status: the counts and the first {@code limit} changes, then how many more.
   */
  public String summary(int limit) {
    if (isEmpty()) {
      return "no package changed";
    }
    List<String> lines = lines();
    StringBuilder sb = new StringBuilder(counts()).append(": ");
    for (int i = 0; i < Math.min(limit, lines.size()); i++) {
      sb.append(i == 0 ? "" : ", ").append(lines.get(i));
    }
    if (lines.size() > limit) {
      sb.append(", and ").append(lines.size() - limit).append(" more");
    }
    return sb.toString();
  }

  public ObjectNode toJson() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode node = f.objectNode();
    node.set("added", changes(added, false, true));
    node.set("removed", changes(removed, true, false));
    node.set("version_changed", changes(versionChanged, true, true));
    node.set("source_changed", changes(sourceChanged, true, true));
    return node;
  }

  private static ArrayNode changes(List<Change> changes, boolean before, boolean after) {
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    for (Change c : changes) {
      ObjectNode o = array.addObject();
      o.put("name", c.name());
      o.put("requested", c.requested());
      if (before) {
        o.put("version_before", c.versionBefore());
        o.put("source_before", c.sourceBefore());
      }
      if (after) {
        o.put("version_after", c.versionAfter());
        o.put("source_after", c.sourceAfter());
      }
    }
    return array;
  }

  /** A source as one string: "registry URL", "git URL@commit#subdirectory", "url URL"; null when unknown. */
  public static String describe(PackageSource source) {
    if (source == null) {
      return null;
    }
    return source.type().jsonName() + " " + source.url() + (source.commit() == null ? "" : "@" + source.commit())
        + (source.subdirectory() == null ? "" : "#" + source.subdirectory());
  }

  private static Map<String, PlannedPackage> byKey(InstallPlan plan) {
    Map<String, PlannedPackage> map = new TreeMap<>();
    Map<String, Integer> seen = new LinkedHashMap<>();
    for (PlannedPackage p : plan.packages()) {
      String key = (p.manager() == null ? "" : p.manager() + ":") + p.name();
      // a name locked twice for one target (rare: conda and pip both) is kept apart by its occurrence
      int n = seen.merge(key, 1, Integer::sum);
      map.put(n == 1 ? key : key + "#" + n, p);
    }
    return map;
  }
}
