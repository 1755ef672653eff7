package dev.envforge.core.assemble;

import java.util.regex.Pattern;

/**
 * The base image's Python as {@code python3 -m venv} would see it.
 *
 * @param invokedPath the path {@code python3} is found at on the image's PATH, such as {@code /usr/local/bin/python3}
 * @param realPath that path with symbolic links resolved, such as {@code /usr/local/bin/python3.12}
 * @param version the full version, such as {@code 3.12.7}
 */
public record BaseInterpreter(String invokedPath, String realPath, String version) {
  private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9._+-]+)+");
  private static final Pattern VERSION = Pattern.compile("3\\.[0-9]{1,2}\\.[0-9]{1,3}");

  public BaseInterpreter {
    if (invokedPath == null || !PATH.matcher(invokedPath).matches()) {
      throw new IllegalArgumentException("interpreter path: expected an absolute path, got " + invokedPath);
    }
    if (realPath == null || !PATH.matcher(realPath).matches()) {
      throw new IllegalArgumentException("interpreter real path: expected an absolute path, got " + realPath);
    }
    if (version == null || !VERSION.matcher(version).matches()) {
      throw new IllegalArgumentException("interpreter version: expected X.Y.Z, got " + version);
    }
  }

  /**
   * The official {@code python} images' interpreter: {@code /usr/local/bin/python3}, a link to
   * {@code python3.Y} in the same folder.
   */
  public static BaseInterpreter officialImage(String version) {
    String[] parts = version.split("\\.");
    return new BaseInterpreter("/usr/local/bin/python3", "/usr/local/bin/python3." + (parts.length > 1 ? parts[1] : ""),
        version);
  }

  public String minor() {
    String[] parts = version.split("\\.");
    return parts[0] + "." + parts[1];
  }

  public String directory() {
    return invokedPath.substring(0, invokedPath.lastIndexOf('/')).isEmpty() ? "/"
        : invokedPath.substring(0, invokedPath.lastIndexOf('/'));
  }

  public String executableName() {
    return invokedPath.substring(invokedPath.lastIndexOf('/') + 1);
  }
}
