package dev.envforge.core.assemble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The facts read from a base image's layers: links, whiteouts, versions, libc, templates. */
class BaseImageReaderTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DPKG = "Package: libc6\nStatus: install ok installed\nVersion: 2.36-9+deb12u7\n\n"
      + "Package: python3.11-minimal\nVersion: 3.11.2-6+deb12u5\n";

  @TempDir
  Path dir;

  interface Content {
    void write(LayerWriter writer) throws IOException;
  }

  private Path layer(String name, Content content) throws IOException {
    Path file = dir.resolve(name + ".tar.gz");
    try (OutputStream out = Files.newOutputStream(file); LayerWriter writer = new LayerWriter(out)) {
      content.write(writer);
      writer.finish();
    }
    return file;
  }

  private static ObjectNode config(String path, String pythonVersion) {
    ObjectNode config = JSON.createObjectNode().put("architecture", "arm64").put("os", "linux");
    var env = config.putObject("config").putArray("Env").add("PATH=" + path);
    if (pythonVersion != null) {
      env.add("PYTHON_VERSION=" + pythonVersion);
    }
    return config;
  }

  private static byte[] text(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void debianShapedBaseLinksThroughBinAndReadsDpkg() throws IOException {
    Path base = layer("debian", w -> {
      w.symlink("bin", "usr/bin");
      w.directory("usr");
      w.directory("usr/bin");
      w.symlink("usr/bin/python3", "python3.11");
      w.file("usr/bin/python3.11", LayerWriter.EXECUTABLE_MODE, text("ELF"));
      w.directory("usr/lib");
      w.directory("usr/lib/python3.11");
      w.directory("usr/lib/python3.11/venv");
      w.directory("usr/lib/python3.11/venv/scripts");
      w.directory("usr/lib/python3.11/venv/scripts/common");
      w.file("usr/lib/python3.11/venv/scripts/common/activate", LayerWriter.FILE_MODE, text("A"));
      w.directory("usr/lib/python3.11/venv/scripts/posix");
      w.file("usr/lib/python3.11/venv/scripts/posix/activate.csh", LayerWriter.FILE_MODE, text("C"));
      w.directory("var");
      w.directory("var/lib");
      w.directory("var/lib/dpkg");
      w.file("var/lib/dpkg/status", LayerWriter.FILE_MODE, text(DPKG));
    });

    // /bin comes first on this PATH: python3 is found there, through the bin -> usr/bin link
    BaseImageReader.Facts facts = BaseImageReader.facts(List.of(base), "test", config("/bin:/usr/bin", null));

    assertThat(facts.python()).isEqualTo(new BaseInterpreter("/bin/python3", "/usr/bin/python3.11", "3.11.2"));
    assertThat(facts.interpreter()).isEqualTo(new WheelChoice.Interpreter("3.11.2", "aarch64", 36));
    assertThat(facts.activateTemplates()).containsOnlyKeys("activate", "activate.csh");
    assertThat(BaseImageReader.fromJson(BaseImageReader.toJson(facts))).isEqualTo(facts);
  }

  @Test
  void officialShapedBaseUsesPythonVersionAndALaterLayerWinsOverAWhiteout() throws IOException {
    Path lower = layer("lower", w -> {
      w.directory("usr");
      w.directory("usr/local");
      w.directory("usr/local/bin");
      w.symlink("usr/local/bin/python3", "python3.12");
      w.file("usr/local/bin/python3.12", LayerWriter.EXECUTABLE_MODE, text("ELF"));
      w.directory("lib");
      w.directory("lib/x86_64-linux-gnu");
      w.file("lib/x86_64-linux-gnu/libc-2.31.so", LayerWriter.FILE_MODE, text("ELF"));
    });
    Path upper = layer("upper", w -> {
      w.directory("usr");
      w.directory("usr/local");
      w.directory("usr/local/bin");
      w.file("usr/local/bin/.wh.python3", LayerWriter.FILE_MODE, new byte[0]);
    });

    assertThat(BaseImageReader.facts(List.of(lower), "official", config("/usr/local/bin:/usr/bin", "3.12.7"))
        .interpreter()).isEqualTo(new WheelChoice.Interpreter("3.12.7", "aarch64", 31));
    assertThatThrownBy(() -> BaseImageReader.facts(List.of(lower, upper), "whited-out",
        config("/usr/local/bin:/usr/bin", "3.12.7")))
        .isInstanceOf(AssembleRefusedException.class).hasMessageContaining("no python3 on its PATH");
  }

  @Test
  void muslAndUnknownGlibcAreRefused() throws IOException {
    Path musl = layer("musl", w -> {
      w.directory("lib");
      w.file("lib/ld-musl-x86_64.so.1", LayerWriter.EXECUTABLE_MODE, text("ELF"));
      w.directory("usr");
      w.directory("usr/bin");
      w.file("usr/bin/python3", LayerWriter.EXECUTABLE_MODE, text("ELF"));
    });
    assertThatThrownBy(() -> BaseImageReader.facts(List.of(musl), "alpine", config("/usr/bin", "3.12.7")))
        .isInstanceOf(AssembleRefusedException.class).hasMessageContaining("musl");

    Path noLibc = layer("nolibc", w -> {
      w.directory("usr");
      w.directory("usr/bin");
      w.symlink("usr/bin/python3", "/usr/bin/python3.12");
      w.file("usr/bin/python3.12", LayerWriter.EXECUTABLE_MODE, text("ELF"));
    });
    assertThatThrownBy(() -> BaseImageReader.facts(List.of(noLibc), "distroless", config("/usr/bin", "3.12.7")))
        .isInstanceOf(AssembleRefusedException.class).hasMessageContaining("glibc");
  }

  @Test
  void withoutDpkgOrPythonVersionTheBinariesSayTheVersions() throws IOException {
    // the version strings straddle the reader's 64 KiB chunks
    byte[] interpreter = new byte[70_000];
    byte[] version = text("\u00003.11.4\u0000");
    System.arraycopy(text("\u00003.1.0\u0000"), 0, interpreter, 100, 7); // another version: not this minor
    System.arraycopy(version, 0, interpreter, 65_533, version.length);
    byte[] libc = new byte[70_000];
    byte[] release = text("GNU C Library (Debian GLIBC 2.36-9) stable release version 2.36.");
    System.arraycopy(release, 0, libc, 65_500, release.length);
    Path base = layer("bare", w -> {
      w.directory("usr");
      w.directory("usr/bin");
      w.symlink("usr/bin/python3", "python3.11");
      w.file("usr/bin/python3.11", LayerWriter.EXECUTABLE_MODE, interpreter);
      w.directory("usr/lib");
      w.directory("usr/lib/x86_64-linux-gnu");
      w.file("usr/lib/x86_64-linux-gnu/libc.so.6", LayerWriter.EXECUTABLE_MODE, libc);
    });

    BaseImageReader.Facts facts = BaseImageReader.facts(List.of(base), "bare", config("/usr/bin", null));

    assertThat(facts.interpreter()).isEqualTo(new WheelChoice.Interpreter("3.11.4", "aarch64", 36));
  }

  @Test
  void dpkgVersionsDropEpochAndFindTheRightStanza() {
    String status = "Package: libc6-dev\nVersion: 9.9\n\nPackage: libc6\nVersion: 1:2.36-9\n";
    assertThat(BaseImageReader.dpkgVersion(status, "libc6")).isEqualTo("2.36-9");
    assertThat(BaseImageReader.dpkgVersion(status, "python3.11-minimal")).isNull();
  }
}
