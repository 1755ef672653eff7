package dev.envforge.core.pep;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The PEP 508 marker variables of one install target. envforge only builds Linux CPython images, so the
 * environment follows from the Python version and the machine.
 */
public record MarkerEnvironment(
    String pythonVersion,
    String pythonFullVersion,
    String sysPlatform,
    String platformSystem,
    String platformMachine,
    String osName,
    String implementationName,
    String platformPythonImplementation,
    String implementationVersion,
    String platformRelease,
    String platformVersion) {

  /**
   * Linux CPython at {@code pythonFullVersion} (for example "3.12.7") on {@code machine} (x86_64, aarch64). A bare
   * minor version stands for its reference patch release, as {@link dev.envforge.core.plan.PythonTargets} says.
   */
  public static MarkerEnvironment linuxCPython(String pythonFullVersion, String machine) {
    String[] parts = pythonFullVersion.split("\\.");
    if (parts.length < 2) {
      throw new IllegalArgumentException("Python version must have at least two parts: " + pythonFullVersion);
    }
    String full = dev.envforge.core.plan.PythonTargets.markerVersion(pythonFullVersion);
    return new MarkerEnvironment(parts[0] + "." + parts[1], full, "linux", "Linux", machine, "posix", "cpython",
        "CPython", full, "", "");
  }

  /** The value of a marker variable by its PEP 508 name, or null for an unknown name. */
  public String get(String variable) {
    return switch (variable) {
      case "python_version" -> pythonVersion;
      case "python_full_version" -> pythonFullVersion;
      case "sys_platform" -> sysPlatform;
      case "platform_system" -> platformSystem;
      case "platform_machine" -> platformMachine;
      case "os_name" -> osName;
      case "implementation_name" -> implementationName;
      case "platform_python_implementation" -> platformPythonImplementation;
      case "implementation_version" -> implementationVersion;
      case "platform_release" -> platformRelease;
      case "platform_version" -> platformVersion;
      default -> null;
    };
  }

  /** The variables in the order and with the names of the reference answers. */
  public Map<String, String> asMap() {
    Map<String, String> map = new LinkedHashMap<>();
    for (String name : new String[] {"python_version", "python_full_version", "sys_platform", "platform_system",
        "platform_machine", "os_name", "implementation_name", "platform_python_implementation",
        "implementation_version", "platform_release", "platform_version"}) {
      map.put(name, get(name));
    }
    return map;
  }
}
