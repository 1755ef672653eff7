package dev.envforge.core.pep;

/** Which distribution files an installer could pick for a Linux CPython target (PEP 425, 427, 600, 656). */
public final class WheelTags {
  private WheelTags() {}

  /**
   * Whether an installer on the target could install this file: an sdist always; a wheel when one of its tag triples
   * is supported by CPython {@code environment.python_version} on manylinux (glibc) for the environment's machine.
   */
  public static boolean isInstallable(String filename, MarkerEnvironment environment) {
    throw new UnsupportedOperationException("TODO");
  }
}
