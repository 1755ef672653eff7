package dev.envforge.operator;

import dev.envforge.core.cache.BoundedCache;
import dev.envforge.core.plan.InstallPlan;

/**
 * The plans this operator has seen, by hash, so a variant's new plan can be compared with the one it replaces
 * after the spec no longer holds the old lock. Bounded; a plan it no longer holds (or one seen only before a restart)
 * gives no diff, and the history says so.
 */
final class PlanMemory {
  private final BoundedCache<String, InstallPlan> plans;

  PlanMemory(int capacity) {
    this.plans = new BoundedCache<>(capacity);
  }

  void remember(String hash, InstallPlan plan) {
    plans.put(hash, plan);
  }

  InstallPlan get(String hash) {
    return hash == null ? null : plans.get(hash);
  }
}
