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
