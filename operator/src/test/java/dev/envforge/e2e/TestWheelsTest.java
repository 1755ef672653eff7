package dev.envforge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

class TestWheelsTest {
  private final TestWheels wheels = TestWheels.create();

  @Test
  void filesAreByteIdenticalEveryTime() {
    TestWheels again = TestWheels.create();
    for (TestWheels.TestPackage p : wheels.packages()) {
      TestWheels.TestPackage q = again.get(p.name());
      assertThat(q.wheel().content()).isEqualTo(p.wheel().content());
      assertThat(q.sdist().content()).isEqualTo(p.sdist().content());
    }
  }

  @Test
  void hashesDoNotDependOnTheMachine() {
    // pinned on purpose: stored zip entries, fixed local times and level-0 gzip make these the same everywhere;
    // if this fails, lock files written earlier no longer match the files served
    assertThat(wheels.beta().wheel().sha256())
        .isEqualTo("383f83d2aea776d2bb75c7cf53f3798a435890ffe557bb21450383da0c5b587b");
  }

  @Test
  void wheelHoldsModuleMetadataWheelFileAndRecordWithHashes() throws IOException {
    Map<String, byte[]> entries = unzip(wheels.alpha().wheel().content());

    assertThat(entries.keySet()).containsExactly("alpha/__init__.py", "alpha-1.0.dist-info/METADATA",
        "alpha-1.0.dist-info/WHEEL", "alpha-1.0.dist-info/RECORD");
    assertThat(text(entries, "alpha/__init__.py")).contains("__version__ = \"1.0\"");
    assertThat(text(entries, "alpha-1.0.dist-info/METADATA")).contains(
        "Name: alpha\n", "Version: 1.0\n", "Provides-Extra: fast\n", "Requires-Dist: beta>=2.0\n",
        "Requires-Dist: delta>=1.0; sys_platform == \"win32\"\n",
        "Requires-Dist: gamma>=0.5; python_version >= \"3.8\" and extra == \"fast\"\n");
    assertThat(text(entries, "alpha-1.0.dist-info/WHEEL")).contains("Root-Is-Purelib: true\n",
        "Tag: py3-none-any\n");
    List<String> record = text(entries, "alpha-1.0.dist-info/RECORD").lines().toList();
    assertThat(record).hasSize(4).last().isEqualTo("alpha-1.0.dist-info/RECORD,,");
    for (String line : record.subList(0, 3)) {
      String[] fields = line.split(",");
      byte[] content = entries.get(fields[0]);
      String expected = "sha256=" + Base64.getUrlEncoder().withoutPadding()
          .encodeToString(TestWheels.digest("SHA-256", content));
      assertThat(fields[1]).as(fields[0]).isEqualTo(expected);
      assertThat(Integer.parseInt(fields[2])).isEqualTo(content.length);
    }
  }

  @Test
  void sdistIsATarGzWithPkgInfoPyprojectAndModule() throws IOException {
    TestWheels.Distribution sdist = wheels.gamma().sdist();
    List<String> paths = new ArrayList<>();
    Map<String, String> contents = new LinkedHashMap<>();
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(sdist.content()))) {
      TarFormat.read(in, (entry, content) -> {
        paths.add(entry.path());
        contents.put(entry.path(), new String(content, StandardCharsets.UTF_8));
      });
    }

    assertThat(sdist.filename()).isEqualTo("gamma-0.5.tar.gz");
    assertThat(paths).containsExactly("gamma-0.5/PKG-INFO", "gamma-0.5/pyproject.toml", "gamma-0.5/gamma/__init__.py");
    assertThat(contents.get("gamma-0.5/PKG-INFO")).contains("Name: gamma\n", "Version: 0.5\n");
    assertThat(contents.get("gamma-0.5/pyproject.toml")).contains("name = \"gamma\"", "version = \"0.5\"");
  }

  @Test
  void tamperedPackageIsServedUnderTheSameNamesWithOtherBytes() {
    TestWheels.TestPackage locked = wheels.tampered();
    TestWheels.TestPackage served = wheels.tamperedAsServed();

    assertThat(served.wheel().filename()).isEqualTo(locked.wheel().filename());
    assertThat(served.sdist().filename()).isEqualTo(locked.sdist().filename());
    assertThat(served.wheel().sha256()).isNotEqualTo(locked.wheel().sha256());
    assertThat(served.sdist().sha256()).isNotEqualTo(locked.sdist().sha256());
    assertThat(wheels.servedFiles()).contains(served.wheel(), served.sdist())
        .doesNotContain(locked.wheel(), locked.sdist())
        .contains(wheels.alpha().wheel(), wheels.alpha().sdist());
  }

  @Test
  void hashedRequirementPinsTheVersionWithBothHashes() {
    TestWheels.TestPackage beta = wheels.beta();

    assertThat(beta.hashedRequirement()).isEqualTo("beta==2.0 --hash=sha256:" + beta.wheel().sha256()
        + " --hash=sha256:" + beta.sdist().sha256());
  }

  private static Map<String, byte[]> unzip(byte[] zip) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      ZipEntry entry;
      while ((entry = in.getNextEntry()) != null) {
        assertThat(entry.getMethod()).isEqualTo(ZipEntry.STORED);
        entries.put(entry.getName(), in.readAllBytes());
      }
    }
    return entries;
  }

  private static String text(Map<String, byte[]> entries, String name) {
    return new String(entries.get(name), StandardCharsets.UTF_8);
  }
}
