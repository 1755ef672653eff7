package dev.envforge.core.cache;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * envforge's one cache primitive: at most {@code capacity} entries, the least recently used dropped first.
 * Thread-safe; the lock is held only for map operations, never while a value is computed. Every cache is an
 * instance owned by whoever wires the parts together (the operator, one command-line run), so its memory is bounded
 * and its lifetime is its owner's: the core keeps no cache in a static field.
 */
public final class BoundedCache<K, V> {
  private final int capacity;
  private final LinkedHashMap<K, V> entries;

  public BoundedCache(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1");
    }
    this.capacity = capacity;
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > BoundedCache.this.capacity;
      }
    };
  }

  /** The value for {@code key}, or null. */
  public synchronized V get(K key) {
    return entries.get(key);
  }

  public synchronized void put(K key, V value) {
    entries.put(key, value);
  }

  public synchronized void remove(K key) {
    entries.remove(key);
  }

  public synchronized void clear() {
    entries.clear();
  }

  /**
   * The value for {@code key}, computed outside the lock when absent (a slow computation does not block other
   * keys; two threads may compute the same key once each, and the first stored value wins). A computation that
   * throws leaves nothing behind.
   */
  public V computeIfAbsent(K key, Function<? super K, ? extends V> compute) {
    V cached = get(key);
    if (cached != null) {
      return cached;
    }
    V computed = compute.apply(key);
    synchronized (this) {
      V raced = entries.putIfAbsent(key, computed);
      return raced != null ? raced : computed;
    }
  }

  public synchronized int size() {
    return entries.size();
  }

  public int capacity() {
    return capacity;
  }
}
