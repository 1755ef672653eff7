package dev.envforge.core.assemble;

import java.io.IOException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Pure-Python wheels made in Java with fixed zip times, so their bytes are the same on every run. */
final class JavaWheels {
  private static final LocalDateTime ZIP_TIME = LocalDateTime.of(2000, 1, 1, 0, 0);

  private JavaWheels() {}

  /** A wheel {@code name-version} with one module whose text includes {@code marker}. */
  static Path small(Path dir, String name, String version, String marker) throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(name + "/__init__.py", ("VERSION = '" + version + "'\nMARKER = '" + marker + "'\n")
        .getBytes(StandardCharsets.UTF_8));
    return write(dir, name, version, files, 0, 0);
  }

  /**
   * A wheel with a data file of {@code bigBytes} incompressible bytes (a seeded generator), stored uncompressed so
   * making it is fast; the installer still streams and compresses all of it.
   */
  static Path large(Path dir, String name, long bigBytes) throws IOException {
    return write(dir, name, "1.0", Map.of(name + "/__init__.py", "".getBytes(StandardCharsets.UTF_8)), bigBytes, 42);
  }

  private static Path write(Path dir, String name, String version, Map<String, byte[]> files, long bigBytes, long seed)
      throws IOException {
    String distInfo = name + "-" + version + ".dist-info";
    Map<String, byte[]> all = new LinkedHashMap<>(files);
    all.put(distInfo + "/METADATA", ("Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version + "\n")
        .getBytes(StandardCharsets.UTF_8));
    all.put(distInfo + "/WHEEL", "Wheel-Version: 1.0\nGenerator: envforge-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
        .getBytes(StandardCharsets.UTF_8));
    StringBuilder record = new StringBuilder();
    Path wheel = dir.resolve(name + "-" + version + "-py3-none-any.whl");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(wheel))) {
      for (var file : all.entrySet()) {
        ZipEntry entry = new ZipEntry(file.getKey());
        entry.setTimeLocal(ZIP_TIME);
        zip.putNextEntry(entry);
        zip.write(file.getValue());
        zip.closeEntry();
        record.append(file.getKey()).append(',').append(WheelInstaller.recordHash(file.getValue())).append(',')
            .append(file.getValue().length).append('\n');
      }
      if (bigBytes > 0) {
        String bigName = name + "/blob.bin";
        var digest = LayerWriter.sha256();
        ZipEntry entry = new ZipEntry(bigName);
        entry.setTimeLocal(ZIP_TIME);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(bigBytes);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        byte[] chunk = new byte[1 << 20];
        Random random = new Random(seed);
        for (long left = bigBytes; left > 0; left -= chunk.length) {
          random.nextBytes(chunk);
          int n = (int) Math.min(chunk.length, left);
          crc.update(chunk, 0, n);
        }
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        random = new Random(seed);
        for (long left = bigBytes; left > 0; left -= chunk.length) {
          random.nextBytes(chunk);
          int n = (int) Math.min(chunk.length, left);
          zip.write(chunk, 0, n);
          digest.update(chunk, 0, n);
        }
        zip.closeEntry();
        record.append(bigName).append(",sha256=")
            .append(Base64.getUrlEncoder().withoutPadding().encodeToString(digest.digest())).append(',')
            .append(bigBytes).append('\n');
      }
      record.append(distInfo).append("/RECORD,,\n");
      ZipEntry entry = new ZipEntry(distInfo + "/RECORD");
      entry.setTimeLocal(ZIP_TIME);
      zip.putNextEntry(entry);
      zip.write(record.toString().getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    }
    return wheel;
  }

}
