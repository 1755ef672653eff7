package dev.envforge.core.lock;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The files of one Python project, by path relative to the project root ("pyproject.toml", "poetry.lock",
 * "packages/a/pyproject.toml"). The same core reads them from a folder (command line) or from a resource's inline
 * text or ConfigMap (operator).
 */
public interface ProjectFiles {
  /** The text of a file, or empty when there is no such file. */
  Optional<String> read(String relativePath);

  /** How a file is named in error messages. */
  String displayName(String relativePath);

  /** Whether the file is there; a folder answers without reading it. */
  default boolean exists(String relativePath) {
    return read(relativePath).isPresent();
  }

  static ProjectFiles of(Path root) {
    return new ProjectFiles() {
      @Override
      public Optional<String> read(String relativePath) {
        Path p = root.resolve(relativePath).normalize();
        if (!Files.isRegularFile(p)) {
          return Optional.empty();
        }
        try {
          long size = Files.size(p);
          if (size > InputLimits.MAX_FILE_BYTES) {
            throw new LockInputException(p.toString(), 0, 0, InputLimits.tooLarge(size));
          }
          byte[] bytes;
          try (InputStream in = Files.newInputStream(p)) {
            bytes = in.readNBytes(InputLimits.MAX_FILE_BYTES + 1); // the file may grow while it is read
          }
          return Optional.of(ProjectText.decode(p.toString(), bytes));
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + p + ": " + IoMessages.reason(e), e);
        }
      }

      @Override
      public boolean exists(String relativePath) {
        return Files.isRegularFile(root.resolve(relativePath).normalize());
      }

      @Override
      public String displayName(String relativePath) {
        String name = root.resolve(relativePath).normalize().toString();
        return name.isEmpty() ? "." : name; // the current folder normalizes to an empty path
      }
    };
  }

  /** In-memory files; {@code prefix} is put before each name in messages (for example "configmap/ns/name:"). */
  static ProjectFiles of(Map<String, String> files, String prefix) {
    Map<String, String> copy = new TreeMap<>(files);
    return new ProjectFiles() {
      @Override
      public Optional<String> read(String relativePath) {
        String text = copy.get(Path.of(relativePath).normalize().toString());
        return text == null ? Optional.empty() : Optional.of(ProjectText.checkSize(prefix + relativePath, text));
      }

      @Override
      public String displayName(String relativePath) {
        return prefix + relativePath;
      }
    };
  }
}
