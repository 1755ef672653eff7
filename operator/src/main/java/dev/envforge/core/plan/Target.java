package dev.envforge.core.plan;

/**
 * The image an install plan is for. {@code python} is a CPython version as the user wrote it, "3.12" or "3.12.7",
 * or null to let the project's requires-python choose; {@link PythonTargets} is the one rule for what it means.
 * {@code platform} is "linux/amd64" or "linux/arm64".
 */
public record Target(String python, String platform) {
  public static final String DEFAULT_PLATFORM = "linux/amd64";
  public static final Target DEFAULT = new Target(null, DEFAULT_PLATFORM);

  /** CPython 3 versions: 3.x or 3.x.y, with numbers small enough to be versions (no overflow further on). */
  private static final java.util.regex.Pattern PYTHON =
      java.util.regex.Pattern.compile("3\\.(0|[1-9][0-9]?)(\\.(0|[1-9][0-9]{0,2}))?");

  public Target {
    if (platform == null) {
      platform = DEFAULT_PLATFORM;
    }
    machine(platform);
    if (python != null && !python.isBlank() && !PYTHON.matcher(python).matches()) {
      throw new IllegalArgumentException("python: expected a CPython 3 version such as 3.12.7, got "
          + dev.envforge.core.text.Texts.quote(python));
    }
  }

  /** The PEP 508 platform_machine of an OCI platform. */
  public static String machine(String platform) {
    return switch (platform) {
      case "linux/amd64" -> "x86_64";
      case "linux/arm64", "linux/arm64/v8" -> "aarch64";
      default -> throw new IllegalArgumentException(
          "unsupported platform " + dev.envforge.core.text.Texts.quote(platform)
              + ": envforge builds linux/amd64 and linux/arm64");
    };
  }

  public String machine() {
    return machine(platform);
  }
}
