package dev.envforge.core.lock;

import dev.envforge.core.lock.conda.CondaResolver;
import dev.envforge.core.lock.poetry.PoetryResolver;
import dev.envforge.core.lock.pylock.PylockResolver;
import dev.envforge.core.lock.requirements.RequirementsResolver;
import dev.envforge.core.lock.uv.UvResolver;

/** The resolver of each lock format. */
public final class LockResolvers {
  private static final LockResolver UV = new UvResolver();
  private static final LockResolver POETRY = new PoetryResolver();

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
    boolean fixedName = format == LockFormat.POETRY || format == LockFormat.UV;
    if (fixedName && lockFile != null && !lockFile.equals(format.lockFile())) {
      throw new IllegalArgumentException(format.id() + " projects are read from " + format.lockFile()
          + " next to pyproject.toml, not from " + lockFile);
    }
    return switch (format) {
      case POETRY -> POETRY;
      case UV -> UV;
      case REQUIREMENTS -> lockFile == null ? new RequirementsResolver() : new RequirementsResolver(lockFile);
      case PYLOCK -> lockFile == null ? new PylockResolver() : new PylockResolver(lockFile);
      case CONDA -> lockFile == null ? new CondaResolver() : new CondaResolver(lockFile);
    };
  }
}
