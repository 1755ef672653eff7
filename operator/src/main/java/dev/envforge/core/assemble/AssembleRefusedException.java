package dev.envforge.core.assemble;

/**
 * The plan or the base image cannot be assembled (a package without a compatible wheel, a musl base, no
 * {@code python3} on the base's PATH, too many base layers); the Kaniko recipe can still build it.
 */
public final class AssembleRefusedException extends RuntimeException {
  public AssembleRefusedException(String message) {
    super(message);
  }
}
