package dev.envforge.operator;

import dev.envforge.core.plan.InstallPlan;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The plans this operator has seen, by hash, so a variant's new plan can be compared with the one it replaces
 * after the spec no longer holds the old lock. Bounded; a plan it no longer holds (or one seen only before a restart)
 * gives no diff, and the history says so.
 */
final class PlanMemory {
  private final Map<String, InstallPlan> plans;

  PlanMemory(int capacity) {
    this.plans = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, InstallPlan> eldest) {
        return size() > capacity;
      }
    };
  }

  synchronized void remember(String hash, InstallPlan plan) {
    plans.put(hash, plan);
  }

  synchronized InstallPlan get(String hash) {
    return hash == null ? null : plans.get(hash);
  }
}
