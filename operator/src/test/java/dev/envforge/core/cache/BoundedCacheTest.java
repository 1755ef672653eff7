package dev.envforge.core.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.envforge.core.lock.ParsedFiles;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BoundedCacheTest {
  @Test
  void keepsAtMostItsCapacityDroppingTheLeastRecentlyUsed() {
    BoundedCache<String, Integer> cache = new BoundedCache<>(2);
    cache.put("a", 1);
    cache.put("b", 2);
    assertThat(cache.get("a")).isEqualTo(1);
    cache.put("c", 3);
    assertThat(cache.size()).isEqualTo(2);
    assertThat(cache.get("b")).as("least recently used").isNull();
    assertThat(cache.get("a")).isEqualTo(1);
    assertThat(cache.get("c")).isEqualTo(3);
  }

  @Test
  void aComputationThatThrowsLeavesNothingBehind() {
    BoundedCache<String, Integer> cache = new BoundedCache<>(4);
    assertThatThrownBy(() -> cache.computeIfAbsent("bad", k -> {
      throw new IllegalStateException("parse error");
    })).hasMessage("parse error");
    assertThat(cache.size()).isZero();
    assertThat(cache.computeIfAbsent("bad", k -> 7)).isEqualTo(7);
  }

  @Test
  void refusesACapacityBelowOne() {
    assertThatThrownBy(() -> new BoundedCache<>(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void parsedFilesAreKeptByKindNameAndText() {
    ParsedFiles parsed = new ParsedFiles(8);
    AtomicInteger parses = new AtomicInteger();
    String first = parsed.get("kind", String.class, "a.lock", "text", (f, t) -> f + parses.incrementAndGet());
    String again = parsed.get("kind", String.class, "a.lock", "text", (f, t) -> f + parses.incrementAndGet());
    assertThat(again).isSameAs(first);
    parsed.get("other kind", String.class, "a.lock", "text", (f, t) -> f + parses.incrementAndGet());
    parsed.get("kind", String.class, "b.lock", "text", (f, t) -> f + parses.incrementAndGet());
    parsed.get("kind", String.class, "a.lock", "changed", (f, t) -> f + parses.incrementAndGet());
    assertThat(parses).hasValue(4);
  }
}
