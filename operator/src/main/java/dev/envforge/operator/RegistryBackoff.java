package dev.envforge.operator;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When a resource looks again at its registry. Nothing announces a registry that answers again, or one that shows a
 * pushed image late, so a resource waiting on it asks again, backing off (5 s, 10 s, ... 5 min) while it does not.
 */
final class RegistryBackoff {
  static final Duration MAX_DELAY = Duration.ofMinutes(5);

  private final Map<ResourceID, Integer> waits = new ConcurrentHashMap<>();

  /**
   * The next look: {@code poll} (null for none), or the backoff when that is sooner and the resource is waiting on
   * the registry. A reconcile that does not wait on the registry starts the backoff afresh.
   */
  Duration next(ResourceID id, boolean waitingOnRegistry, Duration poll) {
    if (!waitingOnRegistry) {
      waits.remove(id);
      return poll;
    }
    Duration backoff = delay(waits.merge(id, 1, Integer::sum));
    return poll == null || backoff.compareTo(poll) < 0 ? backoff : poll;
  }

  /** The delay after the given number of consecutive waits (1 or more). */
  static Duration delay(int waits) {
    return Duration.ofSeconds(Math.min(MAX_DELAY.toSeconds(), 5L << Math.min(waits - 1, 6)));
  }

  void forget(ResourceID id) {
    waits.remove(id);
  }
}
