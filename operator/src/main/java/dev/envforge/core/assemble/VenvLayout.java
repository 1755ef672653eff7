package dev.envforge.core.assemble;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Where a venv lives in the image and how its scripts name the interpreter. Paths are image paths without the leading
 * slash, as in layer tars.
 *
 * @param prefix the venv's absolute path, such as {@code /opt/venv}
 * @param pythonMinor the interpreter's X.Y, such as {@code 3.12}
 * @param installerName what goes into each dist-info's INSTALLER file
 */
public record VenvLayout(String prefix, String pythonMinor, String installerName) {
  private static final Pattern PREFIX = Pattern.compile("(/[A-Za-z0-9._-]+)+");
  private static final Pattern MINOR = Pattern.compile("3\\.[0-9]{1,2}");

  public VenvLayout {
    if (prefix == null || !PREFIX.matcher(prefix).matches() || prefix.contains("/../") || prefix.endsWith("/..")) {
      throw new IllegalArgumentException("venv prefix: expected an absolute path of plain names, got " + prefix);
    }
    if (pythonMinor == null || !MINOR.matcher(pythonMinor).matches()) {
      throw new IllegalArgumentException("python: expected X.Y such as 3.12, got " + pythonMinor);
    }
  }

  /** The layout envforge images use: {@code /opt/venv}, as the Kaniko recipe. */
  public static VenvLayout standard(String pythonMinor) {
    return new VenvLayout("/opt/venv", pythonMinor, "envforge");
  }

  public String root() {
    return prefix.substring(1);
  }

  public String bin() {
    return root() + "/bin";
  }

  public String sitePackages() {
    return root() + "/lib/python" + pythonMinor + "/site-packages";
  }

  /** pip's headers folder: {@code include/site/pythonX.Y/<project>}. */
  public String headers(String projectName) {
    return root() + "/include/site/python" + pythonMinor + "/" + projectName;
  }

  /** The interpreter of rewritten {@code #!python} lines: pip writes the interpreter it installs for, the venv's {@code bin/python}. */
  public String scriptInterpreter() {
    return prefix + "/bin/python";
  }

  /** The interpreter of generated launchers: pip's launcher maker uses the venv's {@code bin/python}. */
  public String launcherInterpreter() {
    return prefix + "/bin/python";
  }

  /** The directories every layer carries, so that the order of layers never changes a directory's metadata. */
  public List<String> commonDirectories() {
    List<String> dirs = new java.util.ArrayList<>();
    String[] parts = root().split("/");
    StringBuilder path = new StringBuilder();
    for (String part : parts) {
      path.append(path.length() == 0 ? "" : "/").append(part);
      dirs.add(path.toString());
    }
    dirs.add(bin());
    dirs.add(root() + "/lib");
    dirs.add(root() + "/lib/python" + pythonMinor);
    dirs.add(sitePackages());
    return dirs;
  }
}
