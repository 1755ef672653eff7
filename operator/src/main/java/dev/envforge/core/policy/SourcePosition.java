package dev.envforge.core.policy;

/** A place in a project file: the file as named in messages, 1-based line and column. */
public record SourcePosition(String file, int line, int column) {
  @Override
  public String toString() {
    return file + ":" + line + ":" + column;
  }
}
