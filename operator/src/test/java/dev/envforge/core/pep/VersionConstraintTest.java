package dev.envforge.core.pep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VersionConstraintTest {
  /** spec, version, contains (PEP 440 pre-release rule), containsAllowingPrereleases. */
  @ParameterizedTest(name = "{0} contains {1}: {2}/{3}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      // == and != with local versions: a specifier without local ignores the candidate's local part
      "==1.0              | 1.0.0        | true  | true",
      "==1.0              | 1.0+local    | true  | true",
      "==1.0+local        | 1.0          | false | false",
      "==1.0+local        | 1.0+local    | true  | true",
      "==1.0+local        | 1.0+other    | false | false",
      "==1.0+local        | 1.0.0+LOCAL  | true  | true",
      "!=1.0              | 1.0+local    | false | false",
      "!=1.0+local        | 1.0          | true  | true",
      "!=1.0              | 1.0.post1    | true  | true",
      // prefix matching
      "==1.1.*            | 1.1          | true  | true",
      "==1.1.*            | 1.1.0.0      | true  | true",
      "==1.1.*            | 1.10         | false | false",
      "==1.1.*            | 1.1.2+x      | true  | true",
      "==1.1.*            | 1.1.post1    | true  | true",
      "==1.1.*            | 1.1a1        | false | true",
      "==1.1.*            | 1            | false | false",
      "==1.0.*            | 1            | true  | true",
      "==1!1.*            | 1.1          | false | false",
      "!=1.0.*            | 1.0.5        | false | false",
      "!=1.0.*            | 1.0.post1    | false | false",
      "!=1.0.*            | 1.1          | true  | true",
      "!=1.0.*            | 0.9          | true  | true",
      // ~= with two, three and four parts
      "~=2.2              | 2.3          | true  | true",
      "~=2.2              | 2.2          | true  | true",
      "~=2.2              | 3.0          | false | false",
      "~=2.2              | 2.1          | false | false",
      "~=1.4.5            | 1.4.9        | true  | true",
      "~=1.4.5            | 1.5.0        | false | false",
      "~=1.4.5            | 1.4.4        | false | false",
      "~=1.4.5.0          | 1.4.5.7      | true  | true",
      "~=1.4.5.0          | 1.4.6        | false | false",
      "~=2.2.post3        | 2.2.post4    | true  | true",
      "~=2.2.post3        | 2.2          | false | false",
      "~=2.2.post3        | 2.9          | true  | true",
      "~=2.2.post3        | 3.0          | false | false",
      "~=1.4.5a4          | 1.4.5        | true  | true",
      "~=1.4.5a4          | 1.4.5a5      | true  | true",
      "~=1!1.0            | 1!1.5        | true  | true",
      "~=1!1.0            | 1.5          | false | false",
      "~=2.2              | 2.5+local    | true  | true",
      // exclusive ordered comparisons
      ">1.7               | 1.7.1        | true  | true",
      ">1.7               | 1.7.post1    | false | false",
      ">1.7               | 1.7+local    | false | false",
      ">1.7               | 1.7.0.1      | true  | true",
      ">1.7.post2         | 1.7.post3    | true  | true",
      ">1.7.post2         | 1.7.1        | true  | true",
      "<1.7               | 1.7a1        | false | false",
      "<1.7               | 1.7.dev0     | false | false",
      "<1.7               | 1.6.9        | true  | true",
      "<1.7               | 1.6a1        | false | true",
      "<1.7rc1            | 1.7a1        | true  | true",
      "<1.7               | 1.6.9+local  | true  | true",
      // the exclusive rules concern V itself, not V's release numbers
      ">1.0rc1            | 1.0.post0    | true  | true",
      ">1.0rc1            | 1.0          | true  | true",
      ">1.0rc1            | 1.0rc1.post1 | false | false",
      ">1.0rc1            | 1.0rc1+local | false | false",
      ">1.0rc1            | 1.0rc2+local | true  | true",
      ">2.1.0rc1          | 2.1.0+cu118  | true  | true",
      ">1.0.dev1          | 1.0.post1    | true  | true",
      "<1.0.post1         | 1.0rc1       | false | true",
      "<1.0.post1         | 1.0          | true  | true",
      "<1.0.post1         | 1.0.post1.dev0 | false | false",
      "<1.0.post1         | 1.0.post0.dev1 | false | true",
      "<1.7               | 1.6.9.dev1+x | false | true",
      // inclusive ordered comparisons compare the public version
      "<=1.0              | 1.0+local    | true  | true",
      ">=1.0              | 1.0+local    | true  | true",
      ">=1.0              | 1.0.dev1     | false | false",
      ">=1.0              | 2.0a1        | false | true",
      ">=1.0b1            | 1.0rc1       | true  | true",
      ">=1.0b1            | 2.0a1        | true  | true",
      ">=1.0b1,!=1.0rc1   | 1.0rc1       | false | false",
      "!=1.0rc1           | 1.0rc2       | false | true",
      // arbitrary equality compares the normalized text
      "===1.0             | 1.0          | true  | true",
      "===1.0             | 1.0.0        | false | false",
      "===1.0+LOCAL       | 1.0+local    | true  | true",
      // epochs
      ">=1.0              | 1!0.5        | true  | true",
      "<2.0               | 1!0.5        | false | false",
      "==1!1.0            | 1.0          | false | false",
      "==1!1.0            | 1!1.0.0      | true  | true",
      // sets, whitespace, empty
      "`  >= 1.0 , < 2 `  | 1.5          | true  | true",
      ">=1.0,,<2,         | 2.0          | false | false",
      "``                 | 1.0          | true  | true",
      "``                 | 1.0a1        | false | true",
      ">=3.8,<4.0,!=3.9.* | 3.9.7        | false | false",
      ">=3.8,<4.0,!=3.9.* | 3.12.7       | true  | true",
  })
  void pep440(String spec, String version, boolean contains, boolean allowingPrereleases) {
    VersionConstraint constraint = VersionConstraint.parsePep440(spec);
    assertThat(constraint.contains(Version.parse(version))).isEqualTo(contains);
    assertThat(constraint.containsAllowingPrereleases(Version.parse(version))).isEqualTo(allowingPrereleases);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      ">=1.0,<       | 7  | Expected a version after '<'",
      "1.0           | 0  | Expected an operator",
      ">=1.0.*       | 5  | '.*' is only allowed with == and !=",
      "==1.0a1.*     | 7  | '.*' may only follow a release",
      "~=1           | 2  | '~=' needs a version with at least two release numbers",
      "<1.0+local    | 1  | A local version is only allowed with == and !=",
      ">=1.0 2       | 5  | Unexpected whitespace in a version",
      ">=1.0,=>2     | 6  | Expected an operator",
      ">=1.x         | 3  | Invalid PEP 440 version '1.x'",
      "^1.2          | 0  | Expected an operator",
  })
  void pep440Errors(String spec, int offset, String message) {
    assertThatThrownBy(() -> VersionConstraint.parsePep440(spec))
        .isInstanceOfSatisfying(PepSyntaxException.class, e -> {
          assertThat(e.reason()).startsWith(message);
          assertThat(e.offset()).isEqualTo(offset);
        });
  }

  @Test
  void printsNormalized() {
    assertThat(VersionConstraint.parsePep440(" >= 1.0RC1 , != 1.5.* ,<2")).hasToString(">=1.0rc1,!=1.5.*,<2");
    assertThat(VersionConstraint.parsePoetry("^1.2 || ~0.9")).hasToString(">=1.2,<2.0 || >=0.9,<0.10");
    assertThat(VersionConstraint.parsePoetry("*")).hasToString("*");
  }

  @Test
  void filterFallsBackToPrereleasesWhenNoFinalVersionMatches() {
    List<Version> candidates = List.of(Version.parse("0.9"), Version.parse("1.0"), Version.parse("2.0a1"));
    assertThat(VersionConstraint.parsePep440(">=1.0").filter(candidates)).containsExactly(Version.parse("1.0"));
    assertThat(VersionConstraint.parsePep440(">=1.5").filter(candidates)).containsExactly(Version.parse("2.0a1"));
    assertThat(VersionConstraint.parsePep440(">=3").filter(candidates)).isEmpty();
  }

  /** spec, version, contains. */
  @ParameterizedTest(name = "{0} contains {1}: {2}")
  @CsvSource(delimiter = ';', quoteCharacter = '`', value = {
      "* ; 0.1 ; true",
      "* ; 1.0a1 ; true",
      "`` ; 1.0 ; true",
      "^1.2.3 ; 1.9.9 ; true",
      "^1.2.3 ; 1.2.3 ; true",
      "^1.2.3 ; 2.0.0 ; false",
      "^1.2.3 ; 1.2.2 ; false",
      "^1.2.3 ; 2.0.0a1 ; false",
      "^1.2.3 ; 1.3.0b1 ; true",
      "^1.2 ; 1.99 ; true",
      "^1 ; 1.99 ; true",
      "^1 ; 2 ; false",
      "^0.2 ; 0.2.9 ; true",
      "^0.2 ; 0.3 ; false",
      "^0.2.3 ; 0.2.9 ; true",
      "^0.2.3 ; 0.3.0 ; false",
      "^0.0.3 ; 0.0.3.1 ; true",
      "^0.0.3 ; 0.0.4 ; false",
      "^0.0 ; 0.0.9 ; true",
      "^0.0 ; 0.1 ; false",
      "^0 ; 0.9 ; true",
      "^0 ; 1.0 ; false",
      "^ 1.2 ; 1.5 ; true",
      "^1.0.0a1 ; 1.0.0a2 ; true",
      "^1.0.0a1 ; 2.0 ; false",
      "~1.2.3 ; 1.2.9 ; true",
      "~1.2.3 ; 1.2.2 ; false",
      "~1.2.3 ; 1.3 ; false",
      "~1.2 ; 1.2.0 ; true",
      "~1.2 ; 1.3 ; false",
      "~1 ; 1.9 ; true",
      "~1 ; 2 ; false",
      "~=1.2 ; 1.9 ; true",
      "~=1.2 ; 2.0 ; false",
      "~=1.2.3 ; 1.2.9 ; true",
      "~=1.2.3 ; 1.3 ; false",
      "~=1 ; 1.0.5 ; true",
      "~=1 ; 1.1 ; false",
      "1.2.* ; 1.2.5 ; true",
      "1.2.* ; 1.2 ; true",
      "1.2.* ; 1.3 ; false",
      "1.2.x ; 1.2.5 ; true",
      "1.* ; 1.9 ; true",
      "==1.2.* ; 1.2.1 ; true",
      "!=1.2.* ; 1.2.1 ; false",
      "!=1.2.* ; 1.3 ; true",
      ">=1.2.* ; 1.2 ; true",
      "==1.2 ; 1.2.0 ; true",
      "1.2 ; 1.2 ; true",
      "1.2 ; 1.2.1 ; false",
      "=1.2 ; 1.2 ; true",
      "<>1.0 ; 1.0 ; false",
      "<>1.0 ; 1.1 ; true",
      ">=1,<2 ; 1.5 ; true",
      ">=1,<2 ; 2.0 ; false",
      ">=1 <2 ; 1.5 ; true",
      ">=1 <2 ; 2.0 ; false",
      ">= 1, < 2 ; 1.5 ; true",
      ">=0.47.0, <0.48 ; 0.47.5 ; true",
      ">=0.47.0, <0.48 ; 0.48 ; false",
      "<1 || >=2 ; 1.5 ; false",
      "<1 || >=2 ; 2.5 ; true",
      "<1 | >=2 ; 0.5 ; true",
      "^1.2 || ^2.1 ; 2.5 ; true",
      "^1.2 || ^2.1 ; 2.0 ; false",
      // no pre-release filter (poetry-core's allows), but exclusive bounds keep PEP 440's rules
      ">=1.0 ; 2.0a1 ; true",
      ">1.7 ; 1.7.post1 ; false",
      ">1.0rc1 ; 1.0.post0 ; true",
      ">2.1.0rc1 ; 2.1.0+cu118 ; true",
      "<1.0.post1 ; 1.0rc1 ; true",
      ">1.0rc1,<1.0.post1 || >=3 ; 1.0+local ; true",
      "<4.0.0a0 || >4.0.0a0,<4.0.0a1 || >4.0.0a1 ; 4.0.0a0 ; false",
      "<4.0.0a0 || >4.0.0a0,<4.0.0a1 || >4.0.0a1 ; 4.0.0a1 ; false",
      "<4.0.0a0 || >4.0.0a0,<4.0.0a1 || >4.0.0a1 ; 4.0.0 ; true",
      "<4.0.0a0 || >4.0.0a0,<4.0.0a1 || >4.0.0a1 ; 3.9 ; true",
      ">=0.32.0,<0.40.0 || >0.40.0,<0.41.dev0 || >=0.43.dev0 ; 0.40.0 ; false",
      ">=0.32.0,<0.40.0 || >0.40.0,<0.41.dev0 || >=0.43.dev0 ; 0.40.1 ; true",
      ">=0.32.0,<0.40.0 || >0.40.0,<0.41.dev0 || >=0.43.dev0 ; 0.42 ; false",
      ">=0.32.0,<0.40.0 || >0.40.0,<0.41.dev0 || >=0.43.dev0 ; 0.43.dev1 ; true",
      ">=2.7,!=3.0.*,!=3.1.*,!=3.2.*,!=3.3.* ; 3.12.7 ; true",
      ">=2.7,!=3.0.*,!=3.1.*,!=3.2.*,!=3.3.* ; 3.1.4 ; false",
      ">=3.10,<4.0 ; 3.12.7 ; true",
      "v1.2 ; 1.2 ; true",
  })
  void poetry(String spec, String version, boolean contains) {
    VersionConstraint constraint = VersionConstraint.parsePoetry(spec);
    assertThat(constraint.contains(Version.parse(version))).isEqualTo(contains);
    assertThat(constraint.containsAllowingPrereleases(Version.parse(version))).isEqualTo(contains);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = ';', quoteCharacter = '`', value = {
      "^ ; 1 ; Expected a version after '^'",
      ">=1 ||  ; 6 ; Empty alternative",
      "|| >=1 ; 0 ; Empty alternative",
      "^abc ; 1 ; Invalid PEP 440 version 'abc'",
      ">=1,< ; 5 ; Expected a version after '<'",
      "=>1 ; 0 ; Unknown operator '=>'",
  })
  void poetryErrors(String spec, int offset, String message) {
    assertThatThrownBy(() -> VersionConstraint.parsePoetry(spec))
        .isInstanceOfSatisfying(PepSyntaxException.class, e -> {
          assertThat(e.reason()).startsWith(message);
          assertThat(e.offset()).isEqualTo(offset);
        });
  }

  @Test
  void poetryCaretAndTildeExpandToBoundsWithPoetrysPrecision() {
    SpecifierConstraint caret = SpecifierConstraint.parsePoetry("^3.8");
    assertThat(caret.alternatives()).containsExactly(List.of(
        Specifier.of(Specifier.Operator.GREATER_EQUAL, Version.parse("3.8")),
        Specifier.of(Specifier.Operator.LESS, Version.parse("4.0"))));
    assertThat(caret.alternatives().get(0).get(1).version().release()).containsExactly(4L, 0L);
    assertThat(SpecifierConstraint.parsePoetry("~3.8.1").alternatives().get(0).get(1)).hasToString("<3.9.0");
    assertThat(SpecifierConstraint.parsePoetry("*").isAny()).isTrue();
    assertThat(SpecifierConstraint.parsePoetry(">=1 || *").isAny()).isTrue();
    assertThat(SpecifierConstraint.parsePoetry(">=1").isAny()).isFalse();
  }

  /**
   * The corpus's PEP 440 specifiers agree with the 'packaging' library on probe versions with pre-releases allowed
   * ({@code pep/specifier-reference.tsv}).
   */
  @Test
  void agreesWithPackagingOnCorpusSpecifiers() {
    List<String> rows = CorpusStringsTest.lines("specifier-reference.tsv");
    assertThat(rows).hasSizeGreaterThan(1000);
    List<String> mismatches = new ArrayList<>();
    for (String row : rows) {
      String[] cols = row.split("\t", -1);
      boolean actual = VersionConstraint.parsePep440(cols[0]).containsAllowingPrereleases(Version.parse(cols[1]));
      if (actual != Boolean.parseBoolean(cols[2])) {
        mismatches.add(row);
      }
    }
    assertThat(mismatches).isEmpty();
  }
}
