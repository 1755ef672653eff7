package dev.envforge.core.assemble;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads the entries of a tar stream (ustar, GNU long names, PAX path and linkpath), one at a time; the content of
 * the current entry is read with {@link #content(int)} or skipped.
 */
final class TarReader {
  enum Type { FILE, DIRECTORY, SYMLINK, HARDLINK, OTHER }

  record Entry(String path, Type type, String linkTarget, long size, int mode) { }

  private final InputStream in;
  private long unread;
  private long padding;

  TarReader(InputStream in) {
    this.in = in;
  }

  /** The next entry, or null at the end; the rest of the previous entry's content is skipped. */
  Entry next() throws IOException {
    skipRest();
    String longName = null;
    String longLink = null;
    while (true) {
      byte[] header = in.readNBytes(512);
      if (header.length < 512 || isZero(header)) {
        return null;
      }
      String name = text(header, 0, 100);
      String prefix = text(header, 345, 155);
      char flag = (char) header[156];
      long size = octal(header, 124, 12);
      int mode = (int) octal(header, 100, 8);
      String link = text(header, 157, 100);
      if (flag == 'L' || flag == 'K' || flag == 'x' || flag == 'g') {
        if (size > 1 << 20) {
          throw new IOException("tar extension header of " + size + " bytes");
        }
        byte[] data = in.readNBytes((int) size);
        in.skipNBytes(pad(size));
        if (flag == 'L') {
          longName = cString(data);
        } else if (flag == 'K') {
          longLink = cString(data);
        } else if (flag == 'x') {
          // records are "<length> <key>=<value>\n", the length in bytes: values may be binary (xattrs)
          int at = 0;
          while (at < data.length) {
            int space = at;
            while (space < data.length && data[space] != ' ') {
              space++;
            }
            int length;
            try {
              length = Integer.parseInt(new String(data, at, space - at, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
              throw new IOException("malformed PAX header record");
            }
            if (length <= 0 || at + length > data.length || space >= at + length) {
              throw new IOException("malformed PAX header record");
            }
            String record = new String(data, space + 1, at + length - 1 - (space + 1), StandardCharsets.UTF_8);
            if (record.startsWith("path=")) {
              longName = record.substring(5);
            } else if (record.startsWith("linkpath=")) {
              longLink = record.substring(9);
            }
            at += length;
          }
        }
        continue;
      }
      String path = longName != null ? longName : prefix.isEmpty() ? name : prefix + "/" + name;
      String target = longLink != null ? longLink : link;
      Type type = switch (flag) {
        case '0', '\0', '7' -> Type.FILE;
        case '5' -> Type.DIRECTORY;
        case '2' -> Type.SYMLINK;
        case '1' -> Type.HARDLINK;
        default -> Type.OTHER;
      };
      boolean hasContent = type == Type.FILE || type == Type.OTHER;
      unread = hasContent ? size : 0;
      padding = hasContent ? pad(size) : 0;
      return new Entry(normalize(path), type, target, size, mode);
    }
  }

  /** The current entry's content when it is at most {@code max} bytes, else null (and it is skipped). */
  byte[] content(int max) throws IOException {
    if (unread > max) {
      return null;
    }
    byte[] data = in.readNBytes((int) unread);
    unread = 0;
    return data;
  }

  /** The current entry's content as a stream, however large; the reader moves on where the stream stopped. */
  InputStream stream() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        if (unread <= 0) {
          return -1;
        }
        int b = in.read();
        if (b >= 0) {
          unread--;
        }
        return b;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        if (unread <= 0) {
          return -1;
        }
        int n = in.read(buffer, offset, (int) Math.min(length, unread));
        if (n > 0) {
          unread -= n;
        }
        return n;
      }
    };
  }

  private void skipRest() throws IOException {
    in.skipNBytes(unread + padding);
    unread = 0;
    padding = 0;
  }

  static String normalize(String path) {
    String p = path;
    while (p.startsWith("./") || p.startsWith("/")) {
      p = p.substring(p.startsWith("./") ? 2 : 1);
    }
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }

  private static long pad(long size) {
    return (512 - size % 512) % 512;
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static String text(byte[] header, int offset, int length) {
    int end = offset;
    while (end < offset + length && header[end] != 0) {
      end++;
    }
    return new String(header, offset, end - offset, StandardCharsets.UTF_8);
  }

  private static String cString(byte[] data) {
    int end = 0;
    while (end < data.length && data[end] != 0) {
      end++;
    }
    return new String(data, 0, end, StandardCharsets.UTF_8);
  }

  private static long octal(byte[] header, int offset, int length) throws IOException {
    if ((header[offset] & 0x80) != 0) { // GNU base-256 for large sizes
      long value = header[offset] & 0x7f;
      for (int i = 1; i < length; i++) {
        value = (value << 8) | (header[offset + i] & 0xff);
      }
      return value;
    }
    String text = text(header, offset, length).trim();
    if (text.isEmpty()) {
      return 0;
    }
    try {
      return Long.parseLong(text, 8);
    } catch (NumberFormatException e) {
      throw new IOException("not a tar header (numeric field '" + text + "')");
    }
  }
}
