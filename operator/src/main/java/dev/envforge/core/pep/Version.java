package dev.envforge.core.pep;

/** A PEP 440 version: parsed leniently as PEP 440 allows, ordered as PEP 440 orders, printed normalized. */
public final class Version implements Comparable<Version> {
  private Version() {}

  /** @throws PepSyntaxException when the text is not a PEP 440 version */
  public static Version parse(String text) {
    throw new UnsupportedOperationException("TODO");
  }

  public boolean isPrerelease() {
    throw new UnsupportedOperationException("TODO");
  }

  @Override
  public int compareTo(Version o) {
    throw new UnsupportedOperationException("TODO");
  }
}
