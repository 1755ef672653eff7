package dev.envforge.operator;

import java.time.Duration;

/**
 * How a reconcile that failed (the API server unavailable, a conflict) is retried: with exponential backoff, for as
 * long as the failure lasts (JOSDK's default gives up after 5 attempts and waits for the next event).
 *
 * @param initial the first delay
 * @param multiplier how much each delay grows
 * @param max the longest delay
 */
public record ReconcileRetry(Duration initial, double multiplier, Duration max) {
  public static final ReconcileRetry DEFAULT = new ReconcileRetry(Duration.ofSeconds(2), 2, Duration.ofMinutes(5));

  public ReconcileRetry {
    if (initial.isNegative() || initial.isZero() || multiplier < 1 || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("retry: initial > 0, multiplier >= 1 and max >= initial");
    }
  }
}
