package dev.envforge.core.assemble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** Tar entries as other writers make them: PAX records with binary values, long names, links. */
class TarReaderTest {
  /**
   * Written by Python's tarfile in PAX format: a file whose long, non-ASCII name is in a PAX record next to a
   * binary {@code SCHILY.xattr.security.capability} value, then a symbolic link.
   */
  @Test
  void paxRecordsAreMeasuredInBytes() throws IOException {
    try (InputStream in = TarReaderTest.class.getResourceAsStream("/assemble/pax-xattr.tar")) {
      TarReader reader = new TarReader(in);
      TarReader.Entry file = reader.next();
      assertThat(file.path()).isEqualTo("usr/lib/" + "d".repeat(120) + "/é-file");
      assertThat(file.type()).isEqualTo(TarReader.Type.FILE);
      assertThat(new String(reader.content(100), StandardCharsets.UTF_8)).isEqualTo("hello");
      TarReader.Entry link = reader.next();
      assertThat(link.path()).isEqualTo("usr/bin/python3");
      assertThat(link.type()).isEqualTo(TarReader.Type.SYMLINK);
      assertThat(link.linkTarget()).isEqualTo("python3.11");
      assertThat(reader.next()).isNull();
    }
  }

  @Test
  void readsWhatLayerWriterWritesAndRefusesBrokenPaxRecords() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String longPath = "opt/venv/lib/python3.12/site-packages/" + "x".repeat(200) + "/module.py";
    try (LayerWriter writer = new LayerWriter(out)) {
      writer.directory("opt");
      writer.file(longPath, LayerWriter.FILE_MODE, "print()".getBytes(StandardCharsets.UTF_8));
      writer.symlink("opt/link", "venv");
      writer.finish();
    }
    TarReader reader = new TarReader(new GZIPInputStream(new ByteArrayInputStream(out.toByteArray())));
    assertThat(reader.next().path()).isEqualTo("opt");
    TarReader.Entry file = reader.next();
    assertThat(file.path()).isEqualTo(longPath);
    assertThat(reader.stream().readAllBytes()).isEqualTo("print()".getBytes(StandardCharsets.UTF_8));
    assertThat(reader.next().linkTarget()).isEqualTo("venv");
    assertThat(reader.next()).isNull();

    byte[] broken = paxHeaderWith("99 path=a\n");
    assertThatThrownBy(() -> new TarReader(new ByteArrayInputStream(broken)).next())
        .hasMessageContaining("malformed PAX header record");
  }

  /** One PAX extended header block with {@code records}, as a tar stream. */
  private static byte[] paxHeaderWith(String records) {
    byte[] data = records.getBytes(StandardCharsets.UTF_8);
    byte[] tar = new byte[512 + 512 + 1024];
    byte[] name = "PaxHeader".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(name, 0, tar, 0, name.length);
    byte[] size = String.format("%011o", data.length).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(size, 0, tar, 124, size.length);
    tar[156] = 'x';
    System.arraycopy(data, 0, tar, 512, data.length);
    return tar;
  }
}
