package dev.envforge.core.lock;

import java.util.Locale;

/** The lock-file formats envforge reads, and the files that identify each one. */
public enum LockFormat {
  POETRY("poetry", "poetry.lock"),
  UV("uv", "uv.lock"),
  PYLOCK("pylock", "pylock.toml"),
  CONDA("conda", "conda-lock.yml"),
  REQUIREMENTS("requirements", "requirements.txt");

  private final String id;
  private final String lockFile;

  LockFormat(String id, String lockFile) {
    this.id = id;
    this.lockFile = lockFile;
  }

  /** The name used on the command line and in the resource ("poetry", "uv", ...). */
  public String id() {
    return id;
  }

  /** The lock file's usual name in the project root. */
  public String lockFile() {
    return lockFile;
  }

  public static LockFormat fromId(String id) {
    for (LockFormat f : values()) {
      if (f.id.equals(id.toLowerCase(Locale.ROOT))) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown lock format " + dev.envforge.core.text.Texts.quote(id)
        + " (known: poetry, uv, pylock, conda, requirements)");
  }
}
