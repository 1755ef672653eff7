package dev.envforge.core.registry;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded map whose entries expire. When full, the least recently used entry goes. Thread-safe with one lock held
 * only for map operations, never while waiting on the network.
 */
final class ExpiringCache<V> {
  private record Entry<V>(V value, Instant expiresAt) { }

  private final int maxEntries;
  private final Clock clock;
  private final LinkedHashMap<String, Entry<V>> entries;

  ExpiringCache(int maxEntries, Clock clock) {
    if (maxEntries < 0) {
      throw new IllegalArgumentException("maxEntries must not be negative");
    }
    this.maxEntries = maxEntries;
    this.clock = clock;
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Entry<V>> eldest) {
        return size() > ExpiringCache.this.maxEntries;
      }
    };
  }

  /** The value, or null when there is none or it has expired. */
  synchronized V get(String key) {
    Entry<V> entry = entries.get(key);
    if (entry == null) {
      return null;
    }
    if (!clock.instant().isBefore(entry.expiresAt())) {
      entries.remove(key);
      return null;
    }
    return entry.value();
  }

  synchronized void put(String key, V value, Instant expiresAt) {
    if (maxEntries > 0 && clock.instant().isBefore(expiresAt)) {
      entries.put(key, new Entry<>(value, expiresAt));
    }
  }

  synchronized void remove(String key) {
    entries.remove(key);
  }

  synchronized void clear() {
    entries.clear();
  }

  synchronized int size() {
    return entries.size();
  }
}
