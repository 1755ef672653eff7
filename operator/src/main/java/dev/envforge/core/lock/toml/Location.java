package dev.envforge.core.lock.toml;

import dev.envforge.core.lock.LockInputException;
import java.util.Objects;

/** Where something was written in a TOML file: file, 1-based line and column (worked out when asked for). */
public final class Location {
  private final SourceText source;
  private final int offset;

  Location(SourceText source, int offset) {
    this.source = source;
    this.offset = offset;
  }

  /** How the file is named in messages. */
  public String file() {
    return source.file;
  }

  public int line() {
    return source.line(offset);
  }

  public int column() {
    return source.column(offset);
  }

  /** An input error at this place. */
  public LockInputException error(String problem) {
    return new LockInputException(file(), line(), column(), problem);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Location other)) {
      return false;
    }
    if (source == other.source) {
      return offset == other.offset; // one text: same offset exactly when same line and column, no line table needed
    }
    return file().equals(other.file()) && line() == other.line() && column() == other.column();
  }

  @Override
  public int hashCode() {
    return Objects.hash(file(), line(), column());
  }

  @Override
  public String toString() {
    return file() + ":" + line() + ":" + column();
  }
}
