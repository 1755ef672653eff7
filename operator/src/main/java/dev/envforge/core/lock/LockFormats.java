package dev.envforge.core.lock;

import java.util.ArrayList;
import java.util.List;

/** Finds a project's lock format from the files it has. */
public final class LockFormats {
  private LockFormats() {}

  /**
   * The explicit format when given, else the one whose lock file is present.
   *
   * @throws LockInputException when no lock file, or several kinds of lock file, are present
   */
  public static LockFormat detect(ProjectFiles files, LockFormat explicit) {
    if (explicit != null) {
      return explicit;
    }
    List<LockFormat> present = new ArrayList<>();
    for (LockFormat format : LockFormat.values()) {
      if (files.read(format.lockFile()).isPresent()) {
        present.add(format);
      }
    }
    if (present.size() == 1) {
      return present.get(0);
    }
    String where = files.displayName(".");
    if (present.isEmpty()) {
      throw new LockInputException(where, 0, 0, "no lock file found (looked for poetry.lock, uv.lock, pylock.toml,"
          + " conda-lock.yml, requirements.txt); name the format and lock file explicitly");
    }
    throw new LockInputException(where, 0, 0, "several lock files found (" + present.stream()
        .map(LockFormat::lockFile).toList() + "); choose one with the format option");
  }
}
