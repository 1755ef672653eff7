package dev.envforge.core.pep;

/** PEP 503 / PEP 685 names. */
public final class PackageNames {
  private PackageNames() {}

  /** PEP 503 normalization: lower case, runs of '-', '_', '.' become one '-'. */
  public static String normalize(String name) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Whether the text is a valid distribution name as PEP 508 defines it. */
  public static boolean isValid(String name) {
    throw new UnsupportedOperationException("TODO");
  }
}
