package dev.envforge.core.pep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class VersionTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(quoteCharacter = '`', value = {
      "1.0RC1, 1.0rc1", "v1, 1", "V1.2, 1.2", "1.0-1, 1.0.post1", "01.02, 1.2", "2024.01.05, 2024.1.5",
      "1.0alpha1, 1.0a1", "1.0.beta.2, 1.0b2", "1.0c1, 1.0rc1", "1.0pre, 1.0rc0", "1.0preview2, 1.0rc2",
      "1.0-r4, 1.0.post4", "1.0rev, 1.0.post0", "1.0.post, 1.0.post0", "1.0-dev, 1.0.dev0", "1.0dev3, 1.0.dev3",
      "1!2.0, 1!2.0", "0!1.0, 1.0", "1.0+Ubuntu-1, 1.0+ubuntu.1", "1.0+local.007, 1.0+local.7",
      "`  1.0  `, 1.0", "1.0a1.post2.dev3, 1.0a1.post2.dev3", "1.0_a_1, 1.0a1", "1.0-a.1, 1.0a1", "1.0.a, 1.0a0",
      "2.11.0+cu128, 2.11.0+cu128", "0.1.1.post2209072238, 0.1.1.post2209072238", "1.0.0-post1, 1.0.0.post1",
      "1.0.0_post_1, 1.0.0.post1", "1.0DEV, 1.0.dev0", "1.0.0a0.dev0, 1.0.0a0.dev0", "1.0-1-dev2, 1.0.post1.dev2", "1.0-dev-1, 1.0.dev1",
  })
  void normalizes(String text, String normalized) {
    assertThat(Version.parse(text)).hasToString(normalized);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "1.0.", "a1", "1.0+", "1..0", "1.0 beta", "1.0+local!", "1.0-", "1!", "!1.0",
      "1.0.*", "1.0dev1dev2", "99999999999999999999"})
  void rejects(String text) {
    assertThatThrownBy(() -> Version.parse(text)).isInstanceOf(PepSyntaxException.class);
    assertThat(Version.tryParse(text)).isNull();
  }

  @Test
  void aReleaseNumberOfThousandsOfDigitsIsRefusedWithTheLimit() {
    String huge = "1." + "9".repeat(5000);
    assertThatThrownBy(() -> Version.parse(huge))
        .isInstanceOfSatisfying(PepSyntaxException.class, e -> {
          assertThat(e.reason()).isEqualTo("Version number too large: envforge reads numbers of at most 18 digits");
          assertThat(e.offset()).isEqualTo(2);
          assertThat(e.getMessage()).hasSizeLessThan(300);
        });
    assertThat(Version.tryParse(huge)).isNull();
    assertThat(Version.parse("999999999999999999.0" + "0".repeat(5000) + "1").major()).isEqualTo(999999999999999999L);
    assertThat(Version.parse("1." + "0".repeat(5000) + "7")).isEqualTo(Version.parse("1.7"));
    assertThatThrownBy(() -> VersionConstraint.parsePep440(">=" + huge)).isInstanceOf(PepSyntaxException.class);
    assertThatThrownBy(() -> VersionConstraint.parsePoetry("^" + huge)).isInstanceOf(PepSyntaxException.class);
    assertThatThrownBy(() -> Marker.parse("python_version >= '" + huge + "'"))
        .isInstanceOfSatisfying(PepSyntaxException.class, e -> {
          assertThat(e.reason()).startsWith("Version number too large");
          assertThat(e.offset()).isEqualTo(21);
        });
    assertThatThrownBy(() -> Requirement.parse("foo>=" + huge)).isInstanceOf(PepSyntaxException.class);
  }

  @Test
  void localNumbersOfAnySizeCompareAsNumbers() {
    Version big = Version.parse("1.0+" + "9".repeat(40));
    assertThat(big.compareTo(Version.parse("1.0+" + "1" + "0".repeat(40)))).isNegative();
    assertThat(big).isEqualTo(Version.parse("1.0+000" + "9".repeat(40)));
    assertThat(big.compareTo(Version.parse("1.0+abc"))).isPositive();
  }

  @Test
  void versionsOfManyPartsParseWithoutExhaustingTheStack() {
    assertThat(Version.parse("1" + ".1".repeat(100_000)).release()).hasSize(100_001);
    assertThat(Version.parse("1.0+" + "a.".repeat(100_000) + "b").local()).hasSize(200_001);
    assertThatThrownBy(() -> Version.parse("1" + ".1".repeat(100_000) + "..1"))
        .isInstanceOfSatisfying(PepSyntaxException.class, e -> assertThat(e.offset()).isEqualTo(200_002));
    assertThatThrownBy(() -> Version.parse("1.0+a" + "..a".repeat(10))).isInstanceOf(PepSyntaxException.class);
  }

  @Test
  void reportsWhereAVersionStopsBeingValid() {
    assertThatThrownBy(() -> Version.parse("1.0.0-foo"))
        .isInstanceOfSatisfying(PepSyntaxException.class, e -> assertThat(e.offset()).isEqualTo(5));
  }

  /** The examples of PEP 440's "Summary of permitted suffixes and relative ordering", plus epochs and locals. */
  private static final List<String> ORDERED = List.of(
      "1.0.dev456", "1.0a1", "1.0a2.dev456", "1.0a12.dev456", "1.0a12", "1.0b1.dev456", "1.0b2",
      "1.0b2.post345.dev456", "1.0b2.post345", "1.0rc1.dev456", "1.0rc1", "1.0", "1.0+abc.5", "1.0+abc.7", "1.0+5",
      "1.0+5.abc", "1.0+6", "1.0.post456.dev34", "1.0.post456", "1.0.15", "1.1.dev1", "1.1a1", "1.1", "1.10",
      "2024.1", "1!0.1", "1!1.0.dev0", "1!1.0", "2!0.0.1");

  @Test
  void ordersAsPep440() {
    for (int i = 0; i < ORDERED.size(); i++) {
      for (int j = 0; j < ORDERED.size(); j++) {
        Version a = Version.parse(ORDERED.get(i));
        Version b = Version.parse(ORDERED.get(j));
        assertThat(Integer.signum(a.compareTo(b))).as("%s vs %s", a, b).isEqualTo(Integer.compare(i, j));
      }
    }
    List<Version> shuffled = new ArrayList<>(ORDERED.stream().map(Version::parse).toList());
    Collections.shuffle(shuffled, new Random(440));
    Collections.sort(shuffled);
    assertThat(shuffled).map(Version::toString).containsExactlyElementsOf(ORDERED);
  }

  @Test
  void equalityIgnoresTrailingZerosButNotLocals() {
    assertThat(Version.parse("1.0")).isEqualTo(Version.parse("1.0.0")).isEqualTo(Version.parse("1"))
        .hasSameHashCodeAs(Version.parse("1.0.0.0"));
    assertThat(Version.parse("0")).isEqualTo(Version.parse("0.0")).hasSameHashCodeAs(Version.parse("0.0.0"));
    assertThat(Version.parse("1.0RC1")).isEqualTo(Version.parse("1.0.0rc1"));
    assertThat(Version.parse("1.0+a")).isNotEqualTo(Version.parse("1.0"));
    assertThat(Version.parse("1.0+A-1")).isEqualTo(Version.parse("1.0+a.1"));
    assertThat(Version.parse("1.0.post0")).isNotEqualTo(Version.parse("1.0"));
    assertThat(Version.parse("1!1.0")).isNotEqualTo(Version.parse("1.0"));
    // the hash does not depend on the spelling of equal versions
    assertThat(Version.parse("01.000.0rc01").hashCode()).isEqualTo(Version.parse("1.0rc1").hashCode());
  }

  @Test
  void exposesItsParts() {
    Version v = Version.parse("2!1.22.3rc4.post5.dev6+ubuntu.7");
    assertThat(v.epoch()).isEqualTo(2);
    assertThat(v.release()).containsExactly(1L, 22L, 3L);
    assertThat(v.major()).isEqualTo(1);
    assertThat(v.minor()).isEqualTo(22);
    assertThat(v.micro()).isEqualTo(3);
    assertThat(v.pre()).isEqualTo(new Version.Pre(Version.PreKind.RC, 4));
    assertThat(v.post()).isEqualTo(5L);
    assertThat(v.dev()).isEqualTo(6L);
    assertThat(v.local()).isEqualTo("ubuntu.7");
    assertThat(v.publicVersion()).hasToString("2!1.22.3rc4.post5.dev6");
    assertThat(v.baseVersion()).hasToString("2!1.22.3");
    assertThat(Version.parse("3.12").micro()).isZero();
    assertThat(Version.of(3, 12, 7)).isEqualTo(Version.parse("3.12.7"));
  }

  @Test
  void classifiesPreAndPostReleases() {
    assertThat(Version.parse("1.0a1").isPrerelease()).isTrue();
    assertThat(Version.parse("1.0.dev1").isPrerelease()).isTrue();
    assertThat(Version.parse("1.0.post1.dev1").isPrerelease()).isTrue();
    assertThat(Version.parse("1.0.post1").isPrerelease()).isFalse();
    assertThat(Version.parse("1.0.post1").isPostrelease()).isTrue();
    assertThat(Version.parse("1.0+local").isPrerelease()).isFalse();
    assertThat(Version.parse("1.0+local").isLocal()).isTrue();
    assertThat(Version.parse("1.0").isDevrelease()).isFalse();
  }

  /** The corpus versions sort and normalize exactly as the 'packaging' library does ({@code pep/versions-sorted.txt}). */
  @Test
  void sortsAndNormalizesCorpusVersionsLikePackaging() {
    List<String> rows = CorpusStringsTest.lines("versions-sorted.txt");
    List<String> inOriginalOrder = CorpusStringsTest.lines("versions.txt");
    List<Version> sorted = new ArrayList<>(inOriginalOrder.stream().map(Version::parse).toList());
    Collections.sort(sorted);
    List<String> expected = rows.stream().map(row -> row.split("\t")[1]).toList();
    assertThat(sorted).map(Version::toString).containsExactlyElementsOf(expected);
  }

  /** Release-only texts are read without the regular expression; both ways must give the same version or error. */
  @Test
  void releaseOnlyTextsReadTheSameWithAndWithoutThePattern() {
    Random random = new Random(440);
    String[] pieces = {"0", "1", "9", "00", "07", "10", "2024", ".", ".", "..", "123456789012345678",
        "1234567890123456789", "000000000000000000001", "a", " ", "-", "v"};
    List<String> texts = new ArrayList<>(List.of("", ".", "1", "1.", ".1", "1..2", "0.0.0", "01.002.0003"));
    for (int k = 0; k < 20_000; k++) {
      StringBuilder text = new StringBuilder();
      int n = 1 + random.nextInt(6);
      for (int i = 0; i < n; i++) {
        text.append(pieces[random.nextInt(random.nextInt(5) == 0 ? pieces.length : 12)]);
      }
      texts.add(text.toString());
    }
    int plain = 0;
    for (String text : texts) {
      Object fast;
      Object full;
      try {
        Version v = Version.parse(text);
        fast = v.toString() + " " + v.text() + " " + v.release() + " " + v.hashCode();
      } catch (PepSyntaxException e) {
        fast = e.getMessage();
      }
      try {
        Version v = Version.parseWithPattern(text);
        full = v.toString() + " " + v.text() + " " + v.release() + " " + v.hashCode();
      } catch (PepSyntaxException e) {
        full = e.getMessage();
      }
      assertThat(fast).as("'%s'", text).isEqualTo(full);
      plain += text.matches("[0-9]+(\\.[0-9]+)*") ? 1 : 0;
    }
    assertThat(plain).as("release-only texts among the cases").isGreaterThan(2_000);
  }
}
