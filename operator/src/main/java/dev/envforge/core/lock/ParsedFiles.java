package dev.envforge.core.lock;

import dev.envforge.core.cache.BoundedCache;
import java.util.function.BiFunction;

/**
 * The parsed and checked forms of lock and project files, kept by what they were parsed as, the file's name and its
 * text. Parsing a large lock costs far more than resolving it, and the same lock is resolved again for every
 * variant, target and reconcile. Owned by whoever wires the planner: the operator keeps one for its lifetime, a
 * command-line run one for the run. A parse that throws is not kept. Values must be immutable. Thread-safe.
 */
public final class ParsedFiles {
  /** Enough for one planning: a lock, its pyproject.toml and a few workspace members. */
  private static final int ONE_PLANNING = 16;

  /** A plain class rather than a record: a record's first hashCode bootstraps method handles on a cold JVM. */
  private static final class Key {
    private final String kind;
    private final String file;
    private final String text;

    Key(String kind, String file, String text) {
      this.kind = kind;
      this.file = file;
      this.text = text;
    }

    String file() {
      return file;
    }

    String text() {
      return text;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Key k && kind.equals(k.kind) && file.equals(k.file) && text.equals(k.text);
    }

    @Override
    public int hashCode() {
      return (kind.hashCode() * 31 + file.hashCode()) * 31 + text.hashCode();
    }
  }

  private final BoundedCache<Key, Object> entries;

  /** Keeps the last {@code capacity} parsed files. */
  public ParsedFiles(int capacity) {
    this.entries = new BoundedCache<>(capacity);
  }

  /** A cache for one planning, dropped with it. */
  public static ParsedFiles forOnePlanning() {
    return new ParsedFiles(ONE_PLANNING);
  }

  /**
   * The file parsed as {@code kind}: kept from an earlier call with the same kind, name and text, or parsed now.
   *
   * @param parse reads (file name, text); its exceptions reach the caller and nothing is kept
   */
  public <T> T get(String kind, Class<T> type, String file, String text, BiFunction<String, String, T> parse) {
    return type.cast(entries.computeIfAbsent(new Key(kind, file, text), k -> parse.apply(k.file(), k.text())));
  }

  public int size() {
    return entries.size();
  }
}
