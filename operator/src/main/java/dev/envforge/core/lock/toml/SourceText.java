package dev.envforge.core.lock.toml;

import java.util.Arrays;

/**
 * A file's name and text, and where its lines start (worked out when first asked for: most positions are never
 * reported). Locations keep only this, not the parsed tree, so a model that remembers where its parts were written
 * stays small.
 */
final class SourceText {
  final String file;
  final String text;
  private int[] lineStarts;

  SourceText(String file, String text) {
    this.file = file;
    this.text = text;
  }

  /** The 1-based line of a character offset. */
  int line(int offset) {
    return lineIndex(offset) + 1;
  }

  /** The 1-based column of a character offset. */
  int column(int offset) {
    return offset - lineStarts()[lineIndex(offset)] + 1;
  }

  /** The offset of a 1-based line and column, clamped to the text. */
  int offset(int line, int column) {
    int[] starts = lineStarts();
    int index = Math.min(Math.max(line, 1), starts.length) - 1;
    return Math.min(starts[index] + Math.max(column, 1) - 1, text.length());
  }

  private int lineIndex(int offset) {
    int found = Arrays.binarySearch(lineStarts(), offset);
    return found >= 0 ? found : -found - 2;
  }

  private synchronized int[] lineStarts() {
    if (lineStarts == null) {
      int count = 1;
      for (int i = 0; i < text.length(); i++) {
        if (text.charAt(i) == '\n') {
          count++;
        }
      }
      int[] starts = new int[count];
      int line = 1;
      for (int i = 0; i < text.length(); i++) {
        if (text.charAt(i) == '\n') {
          starts[line++] = i + 1;
        }
      }
      lineStarts = starts;
    }
    return lineStarts;
  }
}
