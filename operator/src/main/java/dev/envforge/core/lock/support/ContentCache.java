package dev.envforge.core.lock.support;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Keeps the last few values computed from file contents, keyed by those contents. Parsing a large lock file costs far
 * more than walking it, and the same lock is resolved again for every variant and every reconcile, so the parsed and
 * checked form is kept. A computation that throws is not kept. Values must be immutable.
 */
public final class ContentCache<K, V> {
  private final Map<K, V> entries;

  public ContentCache(int capacity) {
    this.entries = new LinkedHashMap<>(capacity * 2, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > capacity;
      }
    };
  }

  /** The value for the key, computed outside the lock when missing (two threads may compute it at once). */
  public V get(K key, Function<K, V> compute) {
    synchronized (entries) {
      V cached = entries.get(key);
      if (cached != null) {
        return cached;
      }
    }
    V value = compute.apply(key);
    synchronized (entries) {
      entries.put(key, value);
    }
    return value;
  }
}
