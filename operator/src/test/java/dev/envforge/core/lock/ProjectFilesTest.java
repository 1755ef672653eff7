package dev.envforge.core.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading project files: strict UTF-8 with the position of the first bad byte, and the size limit. */
class ProjectFilesTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      // bytes as hex                     | line:column of the first bad byte
      "ff                                 | 1:1",
      "61 0a 62 ff                        | 2:2",
      "c3 a9 c3 a9 80                     | 1:3",
      "0a 0a 78 e2 82                     | 3:2",
      "c0 af                              | 1:1",
      "ed a0 80                           | 1:1",
      "f4 90 80 80                        | 1:1",
      "f0 9f 98 80 0a ff                  | 2:1",
  })
  void invalidUtf8IsReportedAtItsLineAndColumn(String hex, String position, @TempDir Path dir) throws IOException {
    String[] parts = hex.trim().split(" ");
    byte[] bytes = new byte[parts.length];
    for (int i = 0; i < parts.length; i++) {
      bytes[i] = (byte) Integer.parseInt(parts[i], 16);
    }
    Files.write(dir.resolve("poetry.lock"), bytes);

    assertThatThrownBy(() -> ProjectFiles.of(dir).read("poetry.lock"))
        .isInstanceOfSatisfying(LockInputException.class, e -> {
          assertThat(e.line() + ":" + e.column()).isEqualTo(position);
          assertThat(e.problem()).startsWith("not UTF-8 text: byte 0x");
        });
  }

  @Test
  void validUtf8IsRead(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("a.toml"), "name = \"caf\u00e9 \ud83d\ude00\"\n", StandardCharsets.UTF_8);
    assertThat(ProjectFiles.of(dir).read("a.toml")).contains("name = \"caf\u00e9 \ud83d\ude00\"\n");
  }

  @Test
  void aReplacementCharacterWrittenInTheFileIsText(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("a.toml"), "x = \"\ufffd\"\n", StandardCharsets.UTF_8);
    assertThat(ProjectFiles.of(dir).read("a.toml")).contains("x = \"\ufffd\"\n");
  }

  /** The decoder agrees with a strict JDK decoder on random bytes, mostly UTF-8-shaped, both in what it accepts and in the text. */
  @Test
  void decodingAgreesWithAStrictDecoderOnRandomBytes() {
    java.util.Random random = new java.util.Random(751);
    byte[][] pieces = {{'a'}, {'\n'}, {(byte) 0xc3, (byte) 0xa9}, {(byte) 0xef, (byte) 0xbf, (byte) 0xbd},
        {(byte) 0xf0, (byte) 0x9f, (byte) 0x98, (byte) 0x80}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, {(byte) 0xc0},
        {(byte) 0x80}, {(byte) 0xe2, (byte) 0x82}, {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xff}};
    int accepted = 0;
    for (int round = 0; round < 5_000; round++) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      int length = random.nextInt(12);
      for (int i = 0; i < length; i++) {
        byte[] piece = random.nextInt(4) == 0 ? new byte[] {(byte) random.nextInt(256)}
            : pieces[random.nextInt(random.nextInt(3) == 0 ? pieces.length : 5)];
        out.writeBytes(piece);
      }
      byte[] bytes = out.toByteArray();
      String strict;
      try {
        strict = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
      } catch (java.nio.charset.CharacterCodingException e) {
        strict = null;
      }
      String decoded;
      try {
        decoded = ProjectText.decode("f", bytes);
      } catch (LockInputException e) {
        decoded = null;
      }
      assertThat(decoded).as("%s", java.util.HexFormat.of().formatHex(bytes)).isEqualTo(strict);
      accepted += strict != null ? 1 : 0;
    }
    assertThat(accepted).as("both kinds of input are tried").isBetween(500, 4_500);
  }

  @Test
  void aFileLargerThanTheLimitIsRefusedWithoutReadingIt(@TempDir Path dir) throws IOException {
    try (RandomAccessFile file = new RandomAccessFile(dir.resolve("uv.lock").toFile(), "rw")) {
      file.setLength(InputLimits.MAX_FILE_BYTES + 1L); // sparse: nothing is written
    }
    assertThatThrownBy(() -> ProjectFiles.of(dir).read("uv.lock"))
        .isInstanceOf(LockInputException.class)
        .hasMessage(dir.resolve("uv.lock") + ": file is too large (16777217 bytes); envforge reads project files"
            + " of at most 16777216 bytes (16 MiB)");
    String big = "#".repeat(InputLimits.MAX_FILE_BYTES + 1);
    assertThatThrownBy(() -> ProjectFiles.of(Map.of("uv.lock", big), "cm/").read("uv.lock"))
        .hasMessageStartingWith("cm/uv.lock: file is too large");
  }
}
