package dev.envforge.e2e;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Just enough of the tar format for the tests: writing plain files (sdists) and reading image layers as buildah,
 * GNU tar and Go's archive/tar write them (ustar with prefix, GNU long names, PAX headers).
 */
public final class TarFormat {
  private static final int BLOCK = 512;

  private TarFormat() {}

  /** The kind of a tar entry, from its type flag. */
  public enum EntryType {
    FILE, DIRECTORY, SYMLINK, HARDLINK, OTHER;

    static EntryType of(byte flag) {
      return switch (flag) {
        case '0', 0, '7' -> FILE;
        case '5' -> DIRECTORY;
        case '2' -> SYMLINK;
        case '1' -> HARDLINK;
        default -> OTHER;
      };
    }
  }

  /**
   * One member of an archive.
   *
   * @param path its path, without a leading "./" or "/"
   * @param type what it is
   * @param linkTarget the target of a link, or empty
   * @param size content size in bytes
   * @param mode permission bits
   */
  record Entry(String path, EntryType type, String linkTarget, long size, int mode) {}

  /** Receives every entry with its content (empty for anything but files). */
  @FunctionalInterface
  interface Visitor {
    void visit(Entry entry, byte[] content) throws IOException;
  }

  static void writeFile(ByteArrayOutputStream out, String path, byte[] content, int mode, long mtime) {
    byte[] header = new byte[BLOCK];
    byte[] name = path.getBytes(StandardCharsets.UTF_8);
    if (name.length > 100) {
      throw new IllegalArgumentException("path too long for a plain ustar header: " + path);
    }
    System.arraycopy(name, 0, header, 0, name.length);
    octal(header, 100, 8, mode);
    octal(header, 108, 8, 0);
    octal(header, 116, 8, 0);
    octal(header, 124, 12, content.length);
    octal(header, 136, 12, mtime);
    header[156] = '0';
    put(header, 257, "ustar\0");
    put(header, 263, "00");
    put(header, 265, "root");
    put(header, 297, "root");
    for (int i = 148; i < 156; i++) {
      header[i] = ' ';
    }
    long checksum = 0;
    for (byte b : header) {
      checksum += b & 0xff;
    }
    octal(header, 148, 7, checksum);
    out.writeBytes(header);
    out.writeBytes(content);
    out.writeBytes(new byte[padding(content.length)]);
  }

  static void writeEnd(ByteArrayOutputStream out) {
    out.writeBytes(new byte[2 * BLOCK]);
  }

  /** Reads every entry of an uncompressed tar stream. */
  static void read(InputStream in, Visitor visitor) throws IOException {
    Map<String, String> pax = new HashMap<>();
    String longName = null;
    String longLink = null;
    byte[] header = new byte[BLOCK];
    while (true) {
      if (!readBlock(in, header)) {
        return;
      }
      if (isZero(header)) {
        return;
      }
      byte flag = header[156];
      long size = number(header, 124, 12);
      byte[] content = (flag == 'x' || flag == 'g' || flag == 'L' || flag == 'K' || EntryType.of(flag) == EntryType.FILE)
          ? readContent(in, size) : skip(in, size);
      switch (flag) {
        case 'x' -> pax.putAll(parsePax(content));
        case 'g' -> { /* global headers carry nothing the tests need */ }
        case 'L' -> longName = cString(content, 0, content.length);
        case 'K' -> longLink = cString(content, 0, content.length);
        default -> {
          String name = cString(header, 0, 100);
          String prefix = cString(header, 345, 155);
          if (!prefix.isEmpty() && isUstar(header)) {
            name = prefix + "/" + name;
          }
          name = pax.getOrDefault("path", longName != null ? longName : name);
          String link = pax.getOrDefault("linkpath", longLink != null ? longLink : cString(header, 157, 100));
          if (pax.containsKey("size")) {
            size = Long.parseLong(pax.get("size"));
          }
          int mode = (int) number(header, 100, 8);
          visitor.visit(new Entry(clean(name), EntryType.of(flag), link, size, mode), content);
          pax.clear();
          longName = null;
          longLink = null;
        }
      }
    }
  }

  private static String clean(String name) {
    String n = name;
    while (n.startsWith("./") || n.startsWith("/")) {
      n = n.substring(n.startsWith("./") ? 2 : 1);
    }
    return n.endsWith("/") ? n.substring(0, n.length() - 1) : n;
  }

  private static Map<String, String> parsePax(byte[] content) {
    Map<String, String> records = new HashMap<>();
    int pos = 0;
    while (pos < content.length) {
      int space = pos;
      while (space < content.length && content[space] != ' ') {
        space++;
      }
      if (space >= content.length) {
        break;
      }
      int length = Integer.parseInt(new String(content, pos, space - pos, StandardCharsets.US_ASCII));
      String record = new String(content, space + 1, length - (space + 1 - pos) - 1, StandardCharsets.UTF_8);
      int eq = record.indexOf('=');
      if (eq > 0) {
        records.put(record.substring(0, eq), record.substring(eq + 1));
      }
      pos += length;
    }
    return records;
  }

  private static boolean isUstar(byte[] header) {
    return header[257] == 'u' && header[258] == 's' && header[259] == 't' && header[260] == 'a'
        && header[261] == 'r';
  }

  private static byte[] readContent(InputStream in, long size) throws IOException {
    if (size > Integer.MAX_VALUE - 16) {
      throw new IOException("tar entry too large for the tests: " + size);
    }
    byte[] content = in.readNBytes((int) size);
    if (content.length != size) {
      throw new EOFException("tar entry cut short");
    }
    skipFully(in, padding(size));
    return content;
  }

  private static byte[] skip(InputStream in, long size) throws IOException {
    skipFully(in, size + padding(size));
    return new byte[0];
  }

  private static void skipFully(InputStream in, long count) throws IOException {
    long left = count;
    while (left > 0) {
      long skipped = in.skip(left);
      if (skipped <= 0) {
        if (in.read() < 0) {
          throw new EOFException("tar stream cut short");
        }
        skipped = 1;
      }
      left -= skipped;
    }
  }

  private static boolean readBlock(InputStream in, byte[] block) throws IOException {
    int read = in.readNBytes(block, 0, BLOCK);
    if (read == 0) {
      return false;
    }
    if (read < BLOCK) {
      throw new EOFException("tar header cut short");
    }
    return true;
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static int padding(long size) {
    return (int) ((BLOCK - size % BLOCK) % BLOCK);
  }

  /** Octal, or base-256 when the top bit of the first byte is set (GNU and Go write large sizes so). */
  private static long number(byte[] header, int offset, int length) {
    if ((header[offset] & 0x80) != 0) {
      long value = header[offset] & 0x7f;
      for (int i = 1; i < length; i++) {
        value = (value << 8) | (header[offset + i] & 0xff);
      }
      return value;
    }
    String text = cString(header, offset, length).trim();
    return text.isEmpty() ? 0 : Long.parseLong(text, 8);
  }

  private static String cString(byte[] bytes, int offset, int length) {
    int end = offset;
    while (end < offset + length && bytes[end] != 0) {
      end++;
    }
    return new String(bytes, offset, end - offset, StandardCharsets.UTF_8);
  }

  private static void octal(byte[] header, int offset, int length, long value) {
    String text = String.format("%0" + (length - 1) + "o", value);
    put(header, offset, text);
    header[offset + length - 1] = 0;
  }

  private static void put(byte[] header, int offset, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(bytes, 0, header, offset, bytes.length);
  }
}
