package dev.envforge.operator;

import dev.envforge.core.hash.PlanHasher;
import dev.envforge.core.lock.LockFormat;
import dev.envforge.core.lock.ProjectFiles;
import dev.envforge.core.planner.EnvironmentPlanner;
import dev.envforge.core.planner.PlanningRequest;
import dev.envforge.core.planner.VariantPlan;
import dev.envforge.core.planner.VariantRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Remembers plans by the content they were computed from, so many resources with the same lock, and every
 * re-reconcile, resolve it once. Failures are remembered too: a bad lock is parsed once, not on every retry.
 */
public final class PlanCache {
  private final int capacity;
  private final Map<String, Object> entries;

  public PlanCache(int capacity) {
    this.capacity = capacity;
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Object> eldest) {
        return size() > PlanCache.this.capacity;
      }
    };
  }

  /**
   * The plan of a variant; rethrows the same exception the planner threw for the same input.
   */
  public VariantPlan plan(Map<String, String> contents, ProjectFiles files, LockFormat format,
      PlanningRequest request, VariantRequest variant) {
    // error messages name the files, so the same content under another name is another entry
    String key = key(files.displayName("") + "\n", contents, format, request, variant);
    Object cached;
    synchronized (entries) {
      cached = entries.get(key);
    }
    if (cached == null) {
      try {
        cached = EnvironmentPlanner.plan(files, new PlanningRequest(format, request.target(), request.baseImage(),
            request.installer()), variant);
      } catch (RuntimeException e) {
        cached = e;
      }
      synchronized (entries) {
        entries.put(key, cached);
      }
    }
    if (cached instanceof RuntimeException e) {
      throw e;
    }
    return (VariantPlan) cached;
  }

  public int size() {
    synchronized (entries) {
      return entries.size();
    }
  }

  private static String key(String origin, Map<String, String> contents, LockFormat format, PlanningRequest request,
      VariantRequest variant) {
    StringBuilder sb = new StringBuilder(origin);
    for (Map.Entry<String, String> e : new TreeMap<>(contents).entrySet()) {
      sb.append(e.getKey().length()).append(':').append(e.getKey())
          .append(e.getValue().length()).append(':').append(e.getValue());
    }
    sb.append('|').append(format).append('|').append(request.target()).append('|').append(request.baseImage())
        .append('|').append(request.installer()).append('|').append(variant);
    return PlanHasher.sha256Hex(sb.toString());
  }
}
