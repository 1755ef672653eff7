package dev.envforge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TarFormatTest {
  @Test
  void readsWhatItWrites() throws IOException {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    TarFormat.writeFile(tar, "pkg-1.0/PKG-INFO", bytes("Name: pkg\n"), 0644, 946_684_800L);
    TarFormat.writeFile(tar, "pkg-1.0/empty", new byte[0], 0600, 946_684_800L);
    TarFormat.writeFile(tar, "pkg-1.0/block", new byte[512], 0644, 946_684_800L);
    TarFormat.writeEnd(tar);

    List<String> seen = read(tar.toByteArray());

    assertThat(tar.size() % 512).isZero();
    assertThat(seen).containsExactly("pkg-1.0/PKG-INFO FILE 10 644 Name: pkg\n", "pkg-1.0/empty FILE 0 600 ",
        "pkg-1.0/block FILE 512 644 " + new String(new byte[512], StandardCharsets.UTF_8));
  }

  @Test
  void paxPathReplacesTheHeaderName() throws IOException {
    String longPath = "opt/venv/lib/python3.11/site-packages/" + "a".repeat(120) + "/__init__.py";
    String record = "path=" + longPath + "\n";
    int length = record.length() + 4;
    length = record.length() + String.valueOf(length).length() + 1;
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    TarFormat.writeFile(tar, "PaxHeaders/0", bytes(length + " " + record), 0644, 0);
    byte[] withPaxFlag = tar.toByteArray();
    withPaxFlag[156] = 'x';
    tar.reset();
    tar.writeBytes(withPaxFlag);
    TarFormat.writeFile(tar, "shortened", bytes("x"), 0644, 0);
    TarFormat.writeEnd(tar);

    List<String> seen = read(tar.toByteArray());

    assertThat(seen).containsExactly(longPath + " FILE 1 644 x");
  }

  private static List<String> read(byte[] tar) throws IOException {
    List<String> seen = new ArrayList<>();
    TarFormat.read(new ByteArrayInputStream(tar), (entry, content) -> seen.add(entry.path() + " " + entry.type()
        + " " + entry.size() + " " + Integer.toOctalString(entry.mode()) + " "
        + new String(content, StandardCharsets.UTF_8)));
    return seen;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
