package dev.envforge.core.lock;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Turns a project file's bytes into text: strict UTF-8, with the line and column of the first bad byte. */
public final class ProjectText {
  private static final char REPLACEMENT = '\uFFFD';

  private ProjectText() {}

  /**
   * The bytes as UTF-8 text.
   *
   * @throws LockInputException at the line and column of the first byte that is not UTF-8, or when the file is
   *     larger than {@link InputLimits#MAX_FILE_BYTES}
   */
  public static String decode(String file, byte[] bytes) {
    if (bytes.length > InputLimits.MAX_FILE_BYTES) {
      throw new LockInputException(file, 0, 0, InputLimits.tooLarge(bytes.length));
    }
    // The String constructor copies ASCII text in one step and replaces every malformed sequence with U+FFFD, so
    // text without U+FFFD was valid UTF-8; only text that has one is decoded again, strictly, to find a bad byte.
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (text.indexOf(REPLACEMENT) < 0) {
      return text;
    }
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CoderResult result = decoder.decode(in, CharBuffer.allocate(bytes.length), true);
    if (result.isError()) {
      throw invalid(file, bytes, in.position());
    }
    return text;
  }

  /** Checks that text already decoded (a resource's or ConfigMap's) is within the size limit. */
  public static String checkSize(String file, String text) {
    if (text.length() > InputLimits.MAX_FILE_BYTES) {
      throw new LockInputException(file, 0, 0, InputLimits.tooLarge(text.length()));
    }
    return text;
  }

  private static LockInputException invalid(String file, byte[] bytes, int badOffset) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < badOffset; i++) {
      if (bytes[i] == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    int column;
    try {
      column = (int) StandardCharsets.UTF_8.newDecoder()
          .decode(ByteBuffer.wrap(bytes, lineStart, badOffset - lineStart)).codePoints().count() + 1;
    } catch (CharacterCodingException e) {
      column = badOffset - lineStart + 1; // cannot happen: the decoder stopped at the first bad byte
    }
    return new LockInputException(file, line, column, String.format(
        "not UTF-8 text: byte 0x%02x at byte offset %d cannot start or continue a UTF-8 character",
        bytes[badOffset] & 0xff, badOffset));
  }
}
