package dev.envforge.cli;

import dev.envforge.core.lock.LockInputException;
import dev.envforge.core.registry.RegistryCredentials;
import dev.envforge.core.text.Texts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The registry logins of the commands that talk to a registry ({@code exists}, {@code logs}, {@code assemble}). */
final class DockerConfig {
  /** How the JSON reader ends a syntax error's message. */
  private static final Pattern POSITION = Pattern.compile("^(.*) \\(line (\\d+), column (\\d+)\\)$");

  private DockerConfig() {}

  /** The logins of a docker config: the given file, else $DOCKER_CONFIG/config.json or ~/.docker/config.json. */
  static RegistryCredentials credentials(Path dockerConfig) throws IOException {
    Path file = dockerConfig;
    if (file == null) {
      String dir = System.getenv("DOCKER_CONFIG");
      Path fallback = dir != null ? Path.of(dir, "config.json")
          : Path.of(System.getProperty("user.home"), ".docker", "config.json");
      if (!Files.isRegularFile(fallback)) {
        return RegistryCredentials.NONE;
      }
      file = fallback;
    } else if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("--docker-config " + Texts.quote(file.toString()) + ": no such file");
    }
    try {
      return RegistryCredentials.fromDockerConfigJson(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      // a JSON syntax error says where it is: FILE:LINE:COLUMN, as every other file's bad input
      Matcher at = POSITION.matcher(String.valueOf(e.getMessage()));
      if (at.matches()) {
        throw new LockInputException(file.toString(), Integer.parseInt(at.group(2)),
            Integer.parseInt(at.group(3)), at.group(1), e);
      }
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }
}
