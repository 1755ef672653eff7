package dev.envforge.core.pep;

/** A version, specifier, marker or requirement string that does not parse; {@code offset} is 0-based in the text. */
public class PepSyntaxException extends IllegalArgumentException {
  private final String reason;
  private final String text;
  private final int offset;

  public PepSyntaxException(String message, String text, int offset) {
    super(message + " at column " + (offset + 1) + " of '" + text + "'");
    this.reason = message;
    this.text = text;
    this.offset = offset;
  }

  public String text() {
    return text;
  }

  public int offset() {
    return offset;
  }

  /** The message without the position. */
  public String reason() {
    return reason;
  }

  /** The same error located in an enclosing text that holds this one's text at {@code start}. */
  public PepSyntaxException within(String enclosingText, int start) {
    PepSyntaxException moved = new PepSyntaxException(reason, enclosingText, start + offset);
    moved.initCause(this);
    return moved;
  }
}
