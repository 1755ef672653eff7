package dev.envforge.core.lock;

/**
 * The limits every reader of project files keeps, so hostile input cannot exhaust memory or the stack. Each limit
 * is far above what real projects need (docs/reliability.md, "Bad input").
 */
public final class InputLimits {
  /**
   * The largest project file read, in bytes (16 MiB; the largest real locks seen are about 1.3 MB). Reading and
   * planning a file of this size stays within a 256 MiB heap.
   */
  public static final int MAX_FILE_BYTES = 16 * 1024 * 1024;
  /** How deep arrays, tables and mappings may nest in a TOML or YAML file. */
  public static final int MAX_NESTING = 100;
  /** How deep {@code -r} includes of requirements files may nest. */
  public static final int MAX_INCLUDE_DEPTH = 32;

  private InputLimits() {}

  /** The problem text for a file past {@link #MAX_FILE_BYTES}. */
  static String tooLarge(long size) {
    return "file is too large (" + size + " bytes); envforge reads project files of at most " + MAX_FILE_BYTES
        + " bytes (16 MiB)";
  }
}
