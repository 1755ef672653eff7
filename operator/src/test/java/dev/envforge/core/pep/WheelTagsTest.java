package dev.envforge.core.pep;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WheelTagsTest {
  /** file, python, machine, installable. */
  @ParameterizedTest(name = "{0} on {1} {2}: {3}")
  @CsvSource({
      // sdists always, other files never
      "foo-1.0.tar.gz, 3.12.7, x86_64, true",
      "foo-1.0.zip, 3.12.7, aarch64, true",
      "foo-1.0.tar.bz2, 3.9.7, x86_64, true",
      "foo-1.0-py2.7.egg, 3.12.7, x86_64, false",
      "foo-1.0.win32.exe, 3.12.7, x86_64, false",
      "foo-1.0.msi, 3.12.7, x86_64, false",
      // pure wheels
      "six-1.16.0-py2.py3-none-any.whl, 3.12.7, x86_64, true",
      "foo-1.0-py3-none-any.whl, 3.9.7, aarch64, true",
      "foo-1.0-py2-none-any.whl, 3.12.7, x86_64, false",
      "foo-1.0-py312-none-any.whl, 3.12.7, x86_64, true",
      "foo-1.0-py313-none-any.whl, 3.12.7, x86_64, false",
      "foo-1.0-py30-none-any.whl, 3.12.7, x86_64, true",
      "foo-1.0-cp312-none-any.whl, 3.12.7, x86_64, true",
      "foo-1.0-cp311-none-any.whl, 3.12.7, x86_64, false",
      "foo-1.0-1build-py3-none-any.whl, 3.12.7, x86_64, true",
      // CPython ABI-specific wheels, compressed tag sets
      "numpy-2.1.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl, 3.12.7, x86_64, true",
      "numpy-2.1.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl, 3.12.7, aarch64, false",
      "numpy-2.1.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl, 3.11.7, x86_64, false",
      "numpy-2.1.0-cp312-cp312-manylinux_2_17_aarch64.manylinux2014_aarch64.whl, 3.12.7, aarch64, true",
      "numpy-2.1.0-cp311-cp311-manylinux_2_28_aarch64.whl, 3.11.7, aarch64, true",
      "numpy-2.1.0-cp311-cp311-musllinux_1_2_x86_64.whl, 3.11.7, x86_64, false",
      "numpy-2.1.0-cp312-cp312-macosx_14_0_arm64.whl, 3.12.7, aarch64, false",
      "numpy-2.1.0-cp312-cp312-win_amd64.whl, 3.12.7, x86_64, false",
      "numpy-2.1.0-cp312-cp312-manylinux_2_17_i686.manylinux2014_i686.whl, 3.12.7, x86_64, false",
      "foo-1.0-cp39-cp39-manylinux1_x86_64.whl, 3.9.7, x86_64, true",
      "foo-1.0-cp39-cp39-manylinux2010_x86_64.whl, 3.9.7, x86_64, true",
      "foo-1.0-cp310-cp310-linux_x86_64.whl, 3.10.7, x86_64, true",
      "foo-1.0-cp310-cp310-linux_aarch64.whl, 3.10.7, x86_64, false",
      "foo-1.0-cp313-cp313t-manylinux_2_17_x86_64.whl, 3.13.7, x86_64, false",
      "foo-1.0-cp39.cp310.cp311-cp39.cp310.cp311-manylinux_2_17_x86_64.whl, 3.10.7, x86_64, true",
      // stable ABI: cp3Y-abi3 for Y from 2 up to the target's minor
      "cryptography-43.0.0-cp39-abi3-manylinux_2_28_x86_64.whl, 3.12.7, x86_64, true",
      "cryptography-43.0.0-cp39-abi3-manylinux_2_28_x86_64.whl, 3.9.7, x86_64, true",
      "cryptography-43.0.0-cp39-abi3-manylinux_2_28_x86_64.whl, 3.8.10, x86_64, false",
      "cryptography-43.0.0-cp37-abi3-manylinux_2_28_aarch64.whl, 3.13.7, aarch64, true",
      "foo-1.0-cp32-abi3-manylinux1_x86_64.whl, 3.12.7, x86_64, true",
      "foo-1.0-cp313-abi3-manylinux1_x86_64.whl, 3.12.7, x86_64, false",
      "foo-1.0-py3-abi3-manylinux1_x86_64.whl, 3.12.7, x86_64, false",
      // py3-none on a platform
      "foo-1.0-py3-none-manylinux_2_17_x86_64.whl, 3.12.7, x86_64, true",
      "foo-1.0-py3-none-manylinux_2_17_x86_64.whl, 3.12.7, aarch64, false",
      "foo-1.0-cp312-none-linux_aarch64.whl, 3.12.7, aarch64, true",
      // not wheel names
      "foo-cp312-cp312-any.whl, 3.12.7, x86_64, false",
      // paths and URLs reduce to the file name
      "https://files.pythonhosted.org/packages/ab/cd/six-1.16.0-py2.py3-none-any.whl#sha256=abc, 3.12.7, x86_64, true",
      "dist/foo-1.0-cp312-cp312-win_amd64.whl, 3.12.7, x86_64, false",
  })
  void decidesInstallability(String file, String python, String machine, boolean installable) {
    assertThat(WheelTags.isInstallable(file, MarkerEnvironment.linuxCPython(python, machine))).isEqualTo(installable);
  }

  /**
   * Agrees with the tag triples 'packaging' supports for CPython 3.9, 3.12 and 3.13 on both machines
   * ({@code pep/wheel-tags.tsv}), including the rejection of musllinux, other machines, PyPy and free-threaded ABIs.
   */
  @Test
  void agreesWithPackagingTags() {
    List<String> rows = CorpusStringsTest.lines("wheel-tags.tsv");
    assertThat(rows).hasSizeGreaterThan(8000);
    List<String> mismatches = new ArrayList<>();
    for (String row : rows) {
      String[] c = row.split("\t");
      String wheel = "pkg-1.0-" + c[2] + "-" + c[3] + "-" + c[4] + ".whl";
      boolean actual = WheelTags.isInstallable(wheel, MarkerEnvironment.linuxCPython(c[0] + ".7", c[1]));
      if (actual != Boolean.parseBoolean(c[5])) {
        mismatches.add(row);
      }
    }
    assertThat(mismatches).isEmpty();
  }

  /** The Python version is read by hand; it must read exactly what {@code 3.Y[.anything]} matches. */
  @Test
  void pythonMinorIsReadAsThePatternReadsIt() {
    java.util.regex.Pattern pattern = java.util.regex.Pattern.compile("3\\.([0-9]{1,4})(?:\\..*)?");
    String[] pieces = {"3", ".", "1", "12", "0", "03", "12345", "a", "\n", "\u2028", "\r", "+", "\u0663"};
    java.util.Random random = new java.util.Random(425);
    for (int k = 0; k < 20_000; k++) {
      StringBuilder text = new StringBuilder(random.nextBoolean() ? "3." : "");
      for (int i = random.nextInt(5); i > 0; i--) {
        text.append(pieces[random.nextInt(pieces.length)]);
      }
      java.util.regex.Matcher m = pattern.matcher(text);
      int expected = m.matches() ? Integer.parseInt(m.group(1)) : -1;
      assertThat(WheelTags.python3Minor(text.toString())).as("'%s'", text).isEqualTo(expected);
    }
  }
}
