package dev.envforge.core.assemble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Wheels an installer must refuse, and the shebang forms. */
class WheelInstallerTest {
  @TempDir
  Path dir;

  Path wheel(Map<String, String> files, Map<String, String> recordOverrides) throws IOException {
    Path wheel = dir.resolve("bad-1.0-py3-none-any.whl");
    StringBuilder record = new StringBuilder();
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(wheel))) {
      Map<String, String> all = new LinkedHashMap<>(files);
      all.put("bad-1.0.dist-info/WHEEL", "Wheel-Version: 1.0\nRoot-Is-Purelib: true\n");
      for (var f : all.entrySet()) {
        zip.putNextEntry(new ZipEntry(f.getKey()));
        byte[] bytes = f.getValue().getBytes(StandardCharsets.UTF_8);
        zip.write(bytes);
        zip.closeEntry();
        if (!recordOverrides.containsKey(f.getKey())) {
          record.append(f.getKey()).append(',').append(WheelInstaller.recordHash(bytes)).append(',')
              .append(bytes.length).append('\n');
        } else if (recordOverrides.get(f.getKey()) != null) {
          record.append(f.getKey()).append(',').append(recordOverrides.get(f.getKey())).append('\n');
        }
      }
      zip.putNextEntry(new ZipEntry("bad-1.0.dist-info/RECORD"));
      zip.write(record.toString().getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    }
    return wheel;
  }

  void install(Path wheel, String sha) throws IOException {
    try (OutputStream out = OutputStream.nullOutputStream()) {
      WheelInstaller.install(wheel, "bad", sha, VenvLayout.standard("3.12"), out);
    }
  }

  /**
   * As pip: a file is executable only when its zip entry has a Unix mode with an execute bit. Entries without a Unix
   * mode (java.util.zip, zips written on Windows) are installed 0644, not with the zip file system's default rwx.
   */
  @Test
  void onlyEntriesWithAnExecutableUnixModeAreExecutable() throws IOException {
    Path withoutModes = wheel(Map.of("bad/__init__.py", "", "bad/tool.sh", "#!/bin/sh\n"), Map.of());
    assertThat(modes(withoutModes)).containsEntry("bad/__init__.py", LayerWriter.FILE_MODE)
        .containsEntry("bad/tool.sh", LayerWriter.FILE_MODE).containsEntry("bad-1.0.dist-info/WHEEL",
            LayerWriter.FILE_MODE);

    // the same wheel with Unix modes, as Python's zipfile and the wheel tool write them
    Path withModes = dir.resolve("modes").resolve("bad-1.0-py3-none-any.whl");
    Files.createDirectories(withModes.getParent());
    Files.copy(withoutModes, withModes);
    try (java.nio.file.FileSystem zip = java.nio.file.FileSystems.newFileSystem(withModes,
        Map.of("enablePosixFileAttributes", "true"))) {
      Files.setPosixFilePermissions(zip.getPath("/bad/tool.sh"),
          java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.setPosixFilePermissions(zip.getPath("/bad/__init__.py"),
          java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    }
    assertThat(modes(withModes)).containsEntry("bad/tool.sh", LayerWriter.EXECUTABLE_MODE)
        .containsEntry("bad/__init__.py", LayerWriter.FILE_MODE)
        .containsEntry("bad-1.0.dist-info/WHEEL", LayerWriter.FILE_MODE);
  }

  /** The mode of every installed file, by its path under site-packages. */
  private static Map<String, Integer> modes(Path wheel) throws IOException {
    java.io.ByteArrayOutputStream layer = new java.io.ByteArrayOutputStream();
    WheelInstaller.install(wheel, "bad", WheelInstaller.sha256Hex(wheel), VenvLayout.standard("3.12"), layer);
    Map<String, Integer> modes = new LinkedHashMap<>();
    String sitePackages = "opt/venv/lib/python3.12/site-packages/";
    TarReader tar = new TarReader(new java.util.zip.GZIPInputStream(
        new java.io.ByteArrayInputStream(layer.toByteArray())));
    for (TarReader.Entry entry = tar.next(); entry != null; entry = tar.next()) {
      if (entry.type() == TarReader.Type.FILE && entry.path().startsWith(sitePackages)) {
        modes.put(entry.path().substring(sitePackages.length()), entry.mode());
      }
    }
    return modes;
  }

  @Test
  void aWheelWhoseHashDiffersFromTheLockIsRefused() throws IOException {
    Path wheel = wheel(Map.of("bad/__init__.py", ""), Map.of());
    assertThatThrownBy(() -> install(wheel, "00".repeat(32))).isInstanceOf(WheelException.class)
        .hasMessageContaining("the lock says");
  }

  @Test
  void filesThatDoNotMatchOrAreMissingFromRecordAreRefused() throws IOException {
    Path mismatch = wheel(Map.of("bad/__init__.py", "x = 1\n"), Map.of("bad/__init__.py", "sha256=AAAA,6"));
    assertThatThrownBy(() -> install(mismatch, WheelInstaller.sha256Hex(mismatch)))
        .hasMessageContaining("does not match its RECORD hash");
    Path unlisted = wheel(Map.of("bad/__init__.py", "x = 1\n"), java.util.Collections.singletonMap("bad/__init__.py",
        null));
    assertThatThrownBy(() -> install(unlisted, WheelInstaller.sha256Hex(unlisted)))
        .hasMessageContaining("not listed in RECORD");
    Path md5 = wheel(Map.of("bad/__init__.py", "x = 1\n"), Map.of("bad/__init__.py", "md5=AAAA,6"));
    assertThatThrownBy(() -> install(md5, WheelInstaller.sha256Hex(md5))).hasMessageContaining("md5");
  }

  @Test
  void namesLeavingTheVenvAreRefused() throws IOException {
    for (String name : new String[] {"../evil.py", "bad/../../evil.py", "/etc/passwd", "bad\\evil.py",
        "bad-1.0.data/data/../../../../etc/x"}) {
      Path wheel = wheel(Map.of(name, "x"), Map.of());
      assertThatThrownBy(() -> install(wheel, WheelInstaller.sha256Hex(wheel))).as(name)
          .isInstanceOf(WheelException.class).hasMessageContaining("unsafe file name");
    }
    Path unknownScheme = wheel(Map.of("bad-1.0.data/lib/x.py", "x"), Map.of());
    assertThatThrownBy(() -> install(unknownScheme, WheelInstaller.sha256Hex(unknownScheme)))
        .hasMessageContaining("unknown .data folder");
  }

  @Test
  void shebangsUseTheShellFormWhenTooLongOrSpaced() {
    assertThat(WheelInstaller.shebang("/opt/venv/bin/python")).isEqualTo("#!/opt/venv/bin/python\n");
    String longPath = "/" + "a".repeat(130) + "/bin/python";
    assertThat(WheelInstaller.shebang(longPath))
        .isEqualTo("#!/bin/sh\n'''exec' " + longPath + " \"$0\" \"$@\"\n' '''\n");
    assertThat(WheelInstaller.shebang("/opt/my venv/bin/python"))
        .startsWith("#!/bin/sh\n'''exec' \"/opt/my venv/bin/python\" \"$0\"");
  }
}
