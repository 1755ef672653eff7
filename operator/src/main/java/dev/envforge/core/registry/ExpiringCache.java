package dev.envforge.core.registry;

import dev.envforge.core.cache.BoundedCache;
import java.time.Clock;
import java.time.Instant;

/**
 * A {@link BoundedCache} whose entries expire. When full, the least recently used entry goes. Thread-safe; no lock
 * is held while waiting on the network.
 */
final class ExpiringCache<V> {
  private record Entry<V>(V value, Instant expiresAt) { }

  private final Clock clock;
  /** Null when nothing may be kept (a size of 0). */
  private final BoundedCache<String, Entry<V>> entries;

  ExpiringCache(int maxEntries, Clock clock) {
    if (maxEntries < 0) {
      throw new IllegalArgumentException("maxEntries must not be negative");
    }
    this.clock = clock;
    this.entries = maxEntries == 0 ? null : new BoundedCache<>(maxEntries);
  }

  /** The value, or null when there is none or it has expired. */
  V get(String key) {
    Entry<V> entry = entries == null ? null : entries.get(key);
    if (entry == null) {
      return null;
    }
    if (!clock.instant().isBefore(entry.expiresAt())) {
      entries.remove(key);
      return null;
    }
    return entry.value();
  }

  void put(String key, V value, Instant expiresAt) {
    if (entries != null && clock.instant().isBefore(expiresAt)) {
      entries.put(key, new Entry<>(value, expiresAt));
    }
  }

  void remove(String key) {
    if (entries != null) {
      entries.remove(key);
    }
  }

  void clear() {
    if (entries != null) {
      entries.clear();
    }
  }

  int size() {
    return entries == null ? 0 : entries.size();
  }
}
