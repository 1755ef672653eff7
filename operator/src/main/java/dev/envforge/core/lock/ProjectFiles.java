package dev.envforge.core.lock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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

  static ProjectFiles of(Path root) {
    return new ProjectFiles() {
      @Override
      public Optional<String> read(String relativePath) {
        Path p = root.resolve(relativePath).normalize();
        if (!Files.isRegularFile(p)) {
          return Optional.empty();
        }
        try {
          return Optional.of(Files.readString(p, StandardCharsets.UTF_8));
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + p, e);
        }
      }

      @Override
      public String displayName(String relativePath) {
        return root.resolve(relativePath).normalize().toString();
      }
    };
  }

  /** In-memory files; {@code prefix} is put before each name in messages (for example "configmap/ns/name:"). */
  static ProjectFiles of(Map<String, String> files, String prefix) {
    Map<String, String> copy = new TreeMap<>(files);
    return new ProjectFiles() {
      @Override
      public Optional<String> read(String relativePath) {
        return Optional.ofNullable(copy.get(Path.of(relativePath).normalize().toString()));
      }

      @Override
      public String displayName(String relativePath) {
        return prefix + relativePath;
      }
    };
  }
}
