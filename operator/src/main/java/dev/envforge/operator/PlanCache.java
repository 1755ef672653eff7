package dev.envforge.operator;

import dev.envforge.core.cache.BoundedCache;
import dev.envforge.core.hash.PlanHasher;
import dev.envforge.core.lock.LockFormat;
import dev.envforge.core.lock.ParsedFiles;
import dev.envforge.core.lock.ProjectFiles;
import dev.envforge.core.planner.EnvironmentPlanner;
import dev.envforge.core.planner.PlanOutcome;
import dev.envforge.core.planner.PlanningRequest;
import dev.envforge.core.planner.VariantRequest;
import java.util.Map;
import java.util.TreeMap;

/**
 * Remembers planning outcomes by the content they were computed from, so many resources with the same lock, and
 * every re-reconcile, resolve and render it once. Refusals are outcomes too: a bad lock is parsed once, not on
 * every retry. Exceptions (defects) are never remembered.
 */
public final class PlanCache {
  private final BoundedCache<String, PlanOutcome> entries;
  private final ParsedFiles parsed;

  /**
   * @param capacity how many outcomes are kept
   * @param parsed the parsed lock and project files, kept for planning the variants and targets of one lock
   */
  public PlanCache(int capacity, ParsedFiles parsed) {
    this.entries = new BoundedCache<>(capacity);
    this.parsed = parsed;
  }

  /** The planning outcome of a variant: its plan and checked build context, or the input problem. */
  public PlanOutcome outcome(Map<String, String> contents, ProjectFiles files, LockFormat format,
      PlanningRequest request, VariantRequest variant) {
    // error messages name the files, so the same content under another name is another entry
    String key = key(files.displayName("") + "\n", contents, format, request, variant);
    return entries.computeIfAbsent(key, k -> EnvironmentPlanner.outcome(files, new PlanningRequest(format,
        request.target(), request.baseImage(), request.installer(), request.builderMode()), variant, null,
        parsed));
  }

  public int size() {
    return entries.size();
  }

  private static String key(String origin, Map<String, String> contents, LockFormat format, PlanningRequest request,
      VariantRequest variant) {
    StringBuilder sb = new StringBuilder(origin);
    for (Map.Entry<String, String> e : new TreeMap<>(contents).entrySet()) {
      sb.append(e.getKey().length()).append(':').append(e.getKey())
          .append(e.getValue().length()).append(':').append(e.getValue());
    }
    sb.append('|').append(format).append('|').append(request.target()).append('|').append(request.baseImage())
        .append('|').append(request.installer()).append('|').append(request.builderMode()).append('|').append(variant);
    return PlanHasher.sha256Hex(sb.toString());
  }
}
