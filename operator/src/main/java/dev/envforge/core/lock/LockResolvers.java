package dev.envforge.core.lock;

import dev.envforge.core.lock.conda.CondaResolver;
import dev.envforge.core.lock.poetry.PoetryResolver;
import dev.envforge.core.lock.pylock.PylockResolver;
import dev.envforge.core.lock.requirements.RequirementsResolver;
import dev.envforge.core.lock.uv.UvResolver;

/** The resolver of each lock format. */
public final class LockResolvers {
  private LockResolvers() {}

  /** The resolver for a format reading its usual lock file. */
  public static LockResolver of(LockFormat format) {
    return of(format, null);
  }

  /**
   * The resolver for a format reading {@code lockFile} (a path relative to the project), or the format's usual
   * lock file when null.
   */
  public static LockResolver of(LockFormat format, String lockFile) {
    return of(format, lockFile, ParsedFiles.forOnePlanning());
  }

  /** The same, keeping parsed files in the caller's cache. */
  public static LockResolver of(LockFormat format, String lockFile, ParsedFiles parsed) {
    boolean fixedName = format == LockFormat.POETRY || format == LockFormat.UV;
    if (fixedName && lockFile != null && !lockFile.equals(format.lockFile())) {
      throw new IllegalArgumentException(format.id() + " projects are read from " + format.lockFile()
          + " next to pyproject.toml, not from " + lockFile);
    }
    return switch (format) {
      case POETRY -> new PoetryResolver(parsed);
      case UV -> new UvResolver(parsed);
      case REQUIREMENTS -> lockFile == null ? new RequirementsResolver() : new RequirementsResolver(lockFile);
      case PYLOCK -> new PylockResolver(lockFile == null ? format.lockFile() : lockFile, parsed);
      case CONDA -> new CondaResolver(lockFile == null ? format.lockFile() : lockFile, parsed);
    };
  }
}
