package dev.envforge.core.assemble;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Writes one OCI layer (a tar stream, gzip-compressed) with nothing in it that depends on when, where or by whom it
 * was written: every entry has mtime {@value #MTIME}, uid and gid 0, no user or group names, and the mode the caller
 * gives (normalised by {@link #FILE_MODE}, {@link #EXECUTABLE_MODE}, {@link #DIRECTORY_MODE}). The gzip header has no
 * time and no name. Content is streamed: a file of any size needs only a fixed buffer.
 *
 * <p>The caller adds entries in the order they should appear (sorted); this class does not sort, so it can stream.
 * Paths longer than the ustar fields go into a PAX extended header, which every OCI runtime reads.
 */
public final class LayerWriter implements AutoCloseable {
  public static final long MTIME = 0L;
  public static final int FILE_MODE = 0644;
  public static final int EXECUTABLE_MODE = 0755;
  public static final int DIRECTORY_MODE = 0755;
  public static final int SYMLINK_MODE = 0777;

  private static final int BLOCK = 512;

  private final CountingDigestStream compressed;
  private final DigestOutputStream uncompressed;
  private final MessageDigest diffIdDigest;
  private final GZIPOutputStream gzip;
  private boolean finished;
  private final byte[] copyBuffer = new byte[64 * 1024];

  /** Writes the compressed layer to {@code out}; {@code out} is not closed. */
  public LayerWriter(OutputStream out) throws IOException {
    this.compressed = new CountingDigestStream(out);
    this.gzip = new GZIPOutputStream(compressed, 64 * 1024) {
      {
        def.setLevel(Deflater.DEFAULT_COMPRESSION);
      }
    };
    this.diffIdDigest = sha256();
    this.uncompressed = new DigestOutputStream(gzip, diffIdDigest);
  }

  public void directory(String path) throws IOException {
    header(withSlash(path), DIRECTORY_MODE, 0, '5', "");
  }

  public void symlink(String path, String target) throws IOException {
    header(path, SYMLINK_MODE, 0, '2', target);
  }

  public void file(String path, int mode, byte[] content) throws IOException {
    header(path, mode, content.length, '0', "");
    uncompressed.write(content);
    pad(content.length);
  }

  /** A file whose content is read from {@code in}; exactly {@code size} bytes are expected. */
  public void file(String path, int mode, long size, InputStream in) throws IOException {
    header(path, mode, size, '0', "");
    long left = size;
    while (left > 0) {
      int n = in.read(copyBuffer, 0, (int) Math.min(copyBuffer.length, left));
      if (n < 0) {
        throw new IOException("content of " + path + " ended " + left + " bytes early");
      }
      uncompressed.write(copyBuffer, 0, n);
      left -= n;
    }
    if (in.read() >= 0) {
      throw new IOException("content of " + path + " is longer than its recorded size " + size);
    }
    pad(size);
  }

  /** Ends the tar stream and the gzip stream and returns the layer's digests; the output stays open. */
  public Layer finish() throws IOException {
    if (!finished) {
      uncompressed.write(new byte[BLOCK * 2]);
      uncompressed.flush();
      gzip.finish();
      gzip.flush();
      finished = true;
    }
    return new Layer("sha256:" + HexFormat.of().formatHex(compressed.digest.digest()),
        "sha256:" + HexFormat.of().formatHex(diffIdDigest.digest()), compressed.count);
  }

  @Override
  public void close() throws IOException {
    finish();
  }

  /** The result: the blob digest and size, and the diff ID (digest of the uncompressed tar). */
  public record Layer(String digest, String diffId, long size) {}

  private void header(String path, int mode, long size, char type, String linkTarget) throws IOException {
    byte[] name = path.getBytes(StandardCharsets.UTF_8);
    byte[] link = linkTarget.getBytes(StandardCharsets.UTF_8);
    String ustarName = path;
    String ustarPrefix = "";
    boolean pax = link.length > 100 || !isAscii(path) || !isAscii(linkTarget);
    if (name.length > 100) {
      int split = splitPoint(path);
      if (split < 0) {
        pax = true;
        ustarName = "";
      } else {
        ustarPrefix = path.substring(0, split);
        ustarName = path.substring(split + 1);
      }
    }
    if (pax) {
      StringBuilder records = new StringBuilder();
      records.append(paxRecord("path", path));
      if (!linkTarget.isEmpty()) {
        records.append(paxRecord("linkpath", linkTarget));
      }
      byte[] body = records.toString().getBytes(StandardCharsets.UTF_8);
      writeHeader("PaxHeaders/entry", "", 0644, body.length, 'x', "");
      uncompressed.write(body);
      pad(body.length);
      ustarName = asciiTail(path, 100);
      ustarPrefix = "";
      linkTarget = asciiTail(linkTarget, 100);
    }
    writeHeader(ustarName, ustarPrefix, mode, size, type, linkTarget);
  }

  private void writeHeader(String name, String prefix, int mode, long size, char type, String link)
      throws IOException {
    byte[] h = new byte[BLOCK];
    put(h, 0, 100, name.getBytes(StandardCharsets.UTF_8));
    octal(h, 100, 8, mode);
    octal(h, 108, 8, 0);
    octal(h, 116, 8, 0);
    if (size > 077777777777L) {
      // base-256 for sizes of 8 GiB and more
      h[124] = (byte) 0x80;
      for (int i = 0; i < 8; i++) {
        h[135 - i] = (byte) (size >>> (8 * i));
      }
    } else {
      octal(h, 124, 12, size);
    }
    octal(h, 136, 12, MTIME);
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    h[156] = (byte) type;
    put(h, 157, 100, link.getBytes(StandardCharsets.UTF_8));
    put(h, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
    put(h, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
    octal(h, 329, 8, 0);
    octal(h, 337, 8, 0);
    put(h, 345, 155, prefix.getBytes(StandardCharsets.UTF_8));
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    byte[] checksum = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(checksum, 0, h, 148, 8);
    uncompressed.write(h);
  }

  private void pad(long size) throws IOException {
    int rest = (int) (size % BLOCK);
    if (rest != 0) {
      uncompressed.write(new byte[BLOCK - rest]);
    }
  }

  private static String paxRecord(String key, String value) {
    String body = " " + key + "=" + value + "\n";
    int bodyLength = body.getBytes(StandardCharsets.UTF_8).length;
    int length = bodyLength + 1;
    while (length != bodyLength + Integer.toString(length).length()) {
      length = bodyLength + Integer.toString(length).length();
    }
    return length + body;
  }

  private static int splitPoint(String path) {
    byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
    for (int i = Math.min(155, bytes.length - 1); i > 0; i--) {
      if (bytes[i] == '/' && bytes.length - i - 1 <= 100 && bytes.length - i - 1 > 0) {
        return i;
      }
    }
    return -1;
  }

  private static String asciiTail(String text, int max) {
    StringBuilder ascii = new StringBuilder();
    for (char c : text.toCharArray()) {
      ascii.append(c < 0x80 ? c : '_');
    }
    String s = ascii.toString();
    return s.length() <= max ? s : s.substring(s.length() - max);
  }

  private static boolean isAscii(String text) {
    return text.chars().allMatch(c -> c < 0x80);
  }

  private static void put(byte[] header, int offset, int length, byte[] value) {
    System.arraycopy(value, 0, header, offset, Math.min(length, value.length));
  }

  private static void octal(byte[] header, int offset, int length, long value) {
    String digits = Long.toOctalString(value);
    String padded = "0".repeat(Math.max(0, length - 1 - digits.length())) + digits;
    put(header, offset, length - 1, padded.getBytes(StandardCharsets.US_ASCII));
  }

  private static String withSlash(String path) {
    return path.endsWith("/") ? path : path + "/";
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }

  private static final class CountingDigestStream extends OutputStream {
    private final OutputStream out;
    private final MessageDigest digest = sha256();
    private long count;

    CountingDigestStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      digest.update((byte) b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      digest.update(b, off, len);
      count += len;
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }
  }
}
