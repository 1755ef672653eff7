package dev.envforge.core.assemble;

/** A wheel that cannot be installed as it is; the message names the wheel and the file in it. */
public final class WheelException extends IllegalArgumentException {
  public WheelException(String message) {
    super(message);
  }
}
