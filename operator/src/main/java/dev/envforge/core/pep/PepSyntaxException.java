package dev.envforge.core.pep;

/** A version, specifier, marker or requirement string that does not parse; {@code offset} is 0-based in the text. */
public class PepSyntaxException extends IllegalArgumentException {
  private static final int MAX_SHOWN = 120;
  private final String reason;
  private final String text;
  private final int offset;

  public PepSyntaxException(String message, String text, int offset) {
    super(message + " at column " + (offset + 1) + " of " + excerpt(text, offset));
    this.reason = message;
    this.text = text;
    this.offset = offset;
  }

  /** The text in quotes; a long one cut to the part around the offset, so a huge input makes no huge message. */
  private static String excerpt(String text, int offset) {
    if (text.length() <= MAX_SHOWN) {
      return "'" + text + "'";
    }
    int start = Math.max(0, Math.min(offset - MAX_SHOWN / 2, text.length() - MAX_SHOWN));
    int end = start + MAX_SHOWN;
    return (start > 0 ? "'..." : "'") + text.substring(start, end) + (end < text.length() ? "...'" : "'");
  }

  /** A part of the text for a message, cut after 60 characters. */
  static String shorten(String part) {
    return part.length() <= 60 ? part : part.substring(0, 60) + "...";
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
