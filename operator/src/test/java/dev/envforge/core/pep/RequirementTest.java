package dev.envforge.core.pep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequirementTest {
  private static final MarkerEnvironment PY312 = MarkerEnvironment.linuxCPython("3.12.7", "x86_64");

  @Test
  void nameOnly() {
    Requirement r = Requirement.parse("Django");
    assertThat(r.name()).isEqualTo("django");
    assertThat(r.extras()).isEmpty();
    assertThat(r.specifier()).isNull();
    assertThat(r.url()).isNull();
    assertThat(r.marker()).isSameAs(Marker.TRUE);
  }

  @Test
  void extrasSpecifierAndMarker() {
    Requirement r = Requirement.parse("Uvicorn[Standard, HTTP_Tools]>=0.12.0,<1.0 ; python_version >= '3.8'");
    assertThat(r.name()).isEqualTo("uvicorn");
    assertThat(r.extras()).containsExactly("standard", "http-tools");
    assertThat(r.specifier().contains(Version.parse("0.30"))).isTrue();
    assertThat(r.specifier().contains(Version.parse("1.0"))).isFalse();
    assertThat(r.marker().evaluate(PY312, Set.of())).isTrue();
    assertThat(r).hasToString("uvicorn[standard,http-tools]>=0.12.0,<1.0 ; python_version >= \"3.8\"");
  }

  @Test
  void parenthesisedSpecifierAsPoetryLockWritesIt() {
    Requirement r = Requirement.parse("pytest (>=6,!=8.1.*) ; extra == \"test\"");
    assertThat(r.name()).isEqualTo("pytest");
    assertThat(r.specifier().contains(Version.parse("8.0.2"))).isTrue();
    assertThat(r.specifier().contains(Version.parse("8.1.1"))).isFalse();
    assertThat(r.marker().evaluate(PY312, Set.of("test"))).isTrue();
    assertThat(r.marker().evaluate(PY312, Set.of())).isFalse();
    assertThat(Requirement.parse("pytest(>=6,!=8.1.*);extra=='test'")).isEqualTo(r);
    assertThat(Requirement.parse("  pytest  ( >= 6 , != 8.1.* )  ;  extra == 'test'  ")).isEqualTo(r);
  }

  @Test
  void poetryUnionInParentheses() {
    Requirement r = Requirement.parse(
        "ray[default] (>=2.4,<2.5.dev0 || >2.9.0,!=2.9.1,<2.10.dev0 || ==2.33.*) ; python_version < \"3.11\"");
    assertThat(r.extras()).containsExactly("default");
    assertThat(r.specifier().contains(Version.parse("2.4.1"))).isTrue();
    assertThat(r.specifier().contains(Version.parse("2.9.1"))).isFalse();
    assertThat(r.specifier().contains(Version.parse("2.33.2"))).isTrue();
    assertThat(r.specifier().contains(Version.parse("2.20"))).isFalse();
    assertThat(r.marker().evaluate(PY312, Set.of())).isFalse();
  }

  @Test
  void directReferences() {
    Requirement r = Requirement.parse("pip @ https://github.com/pypa/pip/archive/1.3.1.zip#sha1=da9234ee ; os_name == 'posix'");
    assertThat(r.name()).isEqualTo("pip");
    assertThat(r.url()).isEqualTo("https://github.com/pypa/pip/archive/1.3.1.zip#sha1=da9234ee");
    assertThat(r.specifier()).isNull();
    assertThat(r.marker().evaluate(PY312, Set.of())).isTrue();
    Requirement git = Requirement.parse("poetry-core[x]@git+https://github.com/python-poetry/poetry-core.git@main");
    assertThat(git.url()).isEqualTo("git+https://github.com/python-poetry/poetry-core.git@main");
    assertThat(git.extras()).containsExactly("x");
    assertThat(git).hasToString("poetry-core[x] @ git+https://github.com/python-poetry/poetry-core.git@main");
  }

  @Test
  void markerWithoutSpecifierAndEmptyExtras() {
    Requirement r = Requirement.parse("tomli[] ; python_version < \"3.11\"");
    assertThat(r.extras()).isEmpty();
    assertThat(r.specifier()).isNull();
    assertThat(r.marker().evaluate(PY312, Set.of())).isFalse();
    assertThat(Requirement.parse("Zope.Interface_Pkg--X==1.0").name()).isEqualTo("zope-interface-pkg-x");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"foo>=1.0\n", "foo>=1.0\r\n", "foo\n>=1.0", "foo>=1.0 ; os_name == 'a'\n", "foo[bar]\n",
      "foo @ https://x/y.whl\n", "foo>=1.0\u2029", "foo\u00a0>=1.0", "foo>=1.0\u000c"})
  void refusesLineBreaksAndOtherWhitespaceThanSpaceAndTab(String text) {
    assertThatThrownBy(() -> Requirement.parse(text))
        .isInstanceOfSatisfying(PepSyntaxException.class, e -> {
          assertThat(e.reason()).containsAnyOf("Unexpected line break", "Unexpected character U+");
          assertThat(text.charAt(e.offset())).isNotIn(' ', '\t');
          assertThat(Character.isLetterOrDigit(text.charAt(e.offset()))).isFalse();
        });
    assertThat(Requirement.parse("foo\t>=1.0\t;\tos_name\t==\t'posix'").marker()
        .evaluate(PY312, Set.of())).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "`>=1.0` | 0 | Expected a package name",
      "-foo | 0 | Invalid package name",
      "foo- >=1 | 0 | Invalid package name",
      "foo[bar | 3 | Unclosed '['",
      "foo[b@r] | 4 | Invalid extra name 'b@r'",
      "foo (>=1.0 | 4 | Unclosed '('",
      "foo >=1.0 ; os_nam == 'x' | 12 | Unknown marker variable 'os_nam'",
      "foo @ | 5 | Expected a URL after '@'",
      "foo @ https://x/y.whl extra | 22 | Expected ';' and a marker or the end",
      "foo ^1.0 | 4 | Expected an operator",
      "foo >=1.0 ; | 11 | Empty marker",
      "foo ; os_name == 'a\\b' | 19 | A backslash is not allowed in a marker string",
      "foo ; os_name == 'a' and (os_name == 'b' | 25 | Unclosed '('",
      "foo (===1.0)) | 11 | Unexpected ')' after '==='",
  })
  void reportsErrorsWithOffset(String text, int offset, String message) {
    assertThatThrownBy(() -> Requirement.parse(text))
        .isInstanceOfSatisfying(PepSyntaxException.class, e -> {
          assertThat(e.reason()).startsWith(message);
          assertThat(e.offset()).isEqualTo(offset);
          assertThat(e.text()).isEqualTo(text);
        });
  }
}
