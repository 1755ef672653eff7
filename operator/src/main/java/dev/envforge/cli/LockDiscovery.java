package dev.envforge.cli;

import dev.envforge.core.lock.LockFormat;
import dev.envforge.core.lock.LockFormats;
import dev.envforge.core.lock.LockInputException;
import dev.envforge.core.lock.ProjectFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Which lock file of a project folder to read when none is named. */
final class LockDiscovery {
  /** PEP 751: {@code pylock.<name>.toml}, the name without dots. */
  private static final Pattern NAMED_PYLOCK = Pattern.compile("pylock\\.[^.]+\\.toml");

  /** The format, and the lock file when it is not the format's usual one (null then). */
  record Found(LockFormat format, String lockFile) {}

  private LockDiscovery() {}

  static Found find(Path dir, ProjectFiles files, LockFormat explicit, String lockFile) {
    if (lockFile != null) {
      return new Found(explicit != null ? explicit : LockFormats.fromFileName(files, lockFile), lockFile);
    }
    boolean usualLockPresent = false;
    for (LockFormat format : LockFormat.values()) {
      if ((explicit == null || explicit == format) && Files.isRegularFile(dir.resolve(format.lockFile()))) {
        usualLockPresent = true;
      }
    }
    if (!usualLockPresent && (explicit == null || explicit == LockFormat.PYLOCK)) {
      List<String> named = namedPylocks(dir);
      if (named.size() == 1) {
        return new Found(LockFormat.PYLOCK, named.get(0));
      }
      if (named.size() > 1) {
        throw new LockInputException(files.displayName("."), 1, 1, "several PEP 751 lock files (" + String.join(
            ", ", named) + ") and no pylock.toml; choose one with --lock");
      }
    }
    return new Found(LockFormats.detect(files, explicit), null);
  }

  static List<String> namedPylocks(Path dir) {
    try (Stream<Path> listing = Files.list(dir)) {
      return listing.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
          .filter(n -> NAMED_PYLOCK.matcher(n).matches()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }
}
