package dev.envforge.core.pep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MarkerTest {
  private static final MarkerEnvironment PY312_X86 = MarkerEnvironment.linuxCPython("3.12.7", "x86_64");

  private static boolean eval(String marker) {
    return Marker.parse(marker).evaluate(PY312_X86, Set.of());
  }

  private static boolean eval(String marker, Set<String> extras) {
    return Marker.parse(marker).evaluate(PY312_X86, extras);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      // 'and' binds tighter than 'or'
      "sys_platform == 'win32' or sys_platform == 'linux' and python_version < '3.0'      | false",
      "sys_platform == 'linux' or sys_platform == 'win32' and python_version < '3.0'      | true",
      "(sys_platform == 'win32' or sys_platform == 'linux') and python_version >= '3.0'   | true",
      "(sys_platform == 'win32' or sys_platform == 'linux') and python_version < '3.0'    | false",
      "((python_version >= '3.8') and (os_name == 'posix' or (os_name == 'nt')))          | true",
      "( ( ( os_name == 'nt' ) ) ) or ((platform_machine == 'x86_64'))                    | true",
      "python_version < '3.0' and sys_platform == 'linux' or os_name == 'posix'          | true",
      // in / not in are substring tests on strings
      "'linux' in sys_platform                                                           | true",
      "\"lin\" in sys_platform                                                           | true",
      "sys_platform not in 'win32 darwin'                                                | true",
      "sys_platform in 'win32 darwin'                                                    | false",
      "python_version in '3.11 3.12'                                                     | true",
      "platform_machine in 'aarch64 arm64'                                               | false",
      "platform_machine not in 'aarch64 arm64'                                           | true",
      // version comparison, not string comparison ('3.12' < '3.9' as strings)
      "python_version > '3.9'                                                            | true",
      "python_version >= '3.10'                                                          | true",
      "python_version < '3.13'                                                           | true",
      "python_version == '3.12.0'                                                        | true",
      "python_version == '3.12.*'                                                        | true",
      "python_version == '3.1.*'                                                         | false",
      "python_full_version == '3.12.*'                                                   | true",
      "python_full_version >= '3.12.7rc1'                                                | true",
      "python_full_version < '3.12.7'                                                    | false",
      "python_full_version <= '3.11.0a6'                                                 | false",
      "python_version ~= '3.10'                                                          | true",
      "python_full_version ~= '3.12.0'                                                   | true",
      "python_full_version ~= '3.11.0'                                                   | false",
      "python_version != '3.12'                                                          | false",
      "implementation_version >= '3.12'                                                  | true",
      "python_version === '3.12'                                                         | true",
      // reversed operand order
      "'3.8' < python_version                                                            | true",
      "'3.13' <= python_version                                                          | false",
      "'3.12' == python_version                                                          | true",
      // strings
      "platform_release >= '19.0'                                                        | false",
      "platform_python_implementation == 'CPython'                                       | true",
      "platform_python_implementation != 'PyPy'                                          | true",
      "implementation_name == 'cpython'                                                  | true",
      "platform_system == 'Linux' and platform_machine == 'x86_64'                       | true",
      "platform_system == 'linux'                                                        | false",
      "os_name ~= 'posix'                                                                | false",
      "os_name > 'nt'                                                                    | true",
      // legacy names
      "os.name == 'posix'                                                                | true",
      "sys.platform == 'linux' and platform.machine == 'x86_64'                          | true",
      "python_implementation == 'CPython'                                                | true",
      "platform.python_implementation == 'PyPy'                                          | false",
      // odd spacing and keyword case
      "python_version<'3.13'and os_name=='posix'                                         | true",
      "python_version  <  '3.13'   AND   os_name  ==  'nt'                               | false",
  })
  void evaluates(String marker, boolean expected) {
    assertThat(eval(marker)).isEqualTo(expected);
  }

  @Test
  void extraIsASetTest() {
    assertThat(eval("extra == 'dev'", Set.of("dev"))).isTrue();
    assertThat(eval("extra == 'dev'", Set.of())).isFalse();
    assertThat(eval("extra == 'dev'", Set.of("test"))).isFalse();
    assertThat(eval("extra != 'dev'", Set.of("dev"))).isFalse();
    assertThat(eval("extra != 'dev'", Set.of("test"))).isTrue();
    assertThat(eval("extra != 'dev'", Set.of())).isTrue();
    // both at once: impossible with one string, natural with a set
    assertThat(eval("extra == 'a' and extra == 'b'", Set.of("a", "b"))).isTrue();
    assertThat(eval("extra == 'a' and extra == 'b'", Set.of("a"))).isFalse();
    assertThat(eval("'dev' == extra", Set.of("dev"))).isTrue();
  }

  @Test
  void extraNamesArePep685Normalized() {
    assertThat(eval("extra == 'Dev_Tools'", Set.of("dev-tools"))).isTrue();
    assertThat(eval("extra == 'dev-tools'", Set.of("Dev.Tools"))).isTrue();
    assertThat(eval("extra=='THIRD_party--runtimes'", Set.of("third-party-runtimes"))).isTrue();
    assertThat(eval("extra  ==  \"third-party-runtimes\"", Set.of("third_party_runtimes"))).isTrue();
  }

  @Test
  void extraCombinesWithPlatformMarkers() {
    String marker = "sys_platform == \"linux\" and extra == \"stretch\" and python_version < \"4.0\"";
    assertThat(eval(marker, Set.of("stretch"))).isTrue();
    assertThat(eval(marker, Set.of("other"))).isFalse();
    assertThat(Marker.parse(marker).evaluate(MarkerEnvironment.linuxCPython("3.12.7", "aarch64"), Set.of("stretch")))
        .isTrue();
  }

  @Test
  void pylockExtrasAndDependencyGroupsAreSets() {
    Marker marker = Marker.parse("\"default\" in dependency_groups or \"security\" in extras");
    assertThat(marker.evaluate(PY312_X86, Set.of("security"), Set.of())).isTrue();
    assertThat(marker.evaluate(PY312_X86, Set.of(), Set.of("default"))).isTrue();
    assertThat(marker.evaluate(PY312_X86, Set.of(), Set.of())).isFalse();
    assertThat(marker.evaluate(PY312_X86, Set.of("tests"), Set.of("dev"))).isFalse();
    assertThat(Marker.parse("'tests' not in extras").evaluate(PY312_X86, Set.of("tests"), Set.of())).isFalse();
    assertThat(Marker.parse("'tests' not in extras").evaluate(PY312_X86, Set.of(), Set.of())).isTrue();
  }

  @Test
  void trueMarkerHoldsAndPrintsEmpty() {
    assertThat(Marker.TRUE.evaluate(PY312_X86, Set.of())).isTrue();
    assertThat(Marker.TRUE.toString()).isEmpty();
    assertThat(Marker.and(Marker.TRUE, Marker.parse("os_name == 'nt'")).evaluate(PY312_X86, Set.of())).isFalse();
  }

  @Test
  void printsCanonicallyWithParenthesesOnlyWhereNeeded() {
    Marker marker = Marker.parse("(os_name=='nt' or (sys_platform=='linux' and python_version<'3.9'))"
        + " and (extra=='a')");
    assertThat(marker).hasToString(
        "(os_name == \"nt\" or sys_platform == \"linux\" and python_version < \"3.9\") and extra == \"a\"");
    assertThat(Marker.parse(marker.toString())).isEqualTo(marker);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "python_versio < '3'                     | 0  | Unknown marker variable 'python_versio'",
      "os_name == 'posix' and foo == 'x'       | 23 | Unknown marker variable 'foo'",
      "os_name ==                              | 10 | Expected a marker variable or a quoted string",
      "(os_name == 'a'                         | 0  | Unclosed '('",
      "os_name == 'a')                         | 14 | Unbalanced ')'",
      "os_name = 'a'                           | 8  | Expected a comparison operator",
      "os_name == 'posix' xor os_name == 'nt'  | 19 | Expected 'and', 'or' or the end",
      "os_name not 'x'                         | 8  | Expected 'in' after 'not'",
      "os_name == 'posix                       | 11 | Unterminated string",
      "'                                       | 0  | Unterminated string",
      "os_name == 'a' and                      | 18 | Expected a marker variable or a quoted string",
  })
  void reportsSyntaxErrorsWithOffset(String text, int offset, String message) {
    assertThatThrownBy(() -> Marker.parse(text))
        .isInstanceOfSatisfying(PepSyntaxException.class, e -> {
          assertThat(e.offset()).isEqualTo(offset);
          assertThat(e.reason()).startsWith(message);
          assertThat(e.text()).isEqualTo(text);
        });
  }

  @Test
  void emptyMarkerIsAnError() {
    assertThatThrownBy(() -> Marker.parse("   ")).isInstanceOf(PepSyntaxException.class);
  }

  /**
   * Every corpus marker gives the value the 'packaging' library gives, for five targets and each extra and dependency
   * group it mentions ({@code pep/marker-reference.tsv}, written by {@code pep/make_marker_reference.py}).
   */
  @Test
  void agreesWithPackagingOnEveryCorpusMarker() {
    List<String> rows = CorpusStringsTest.lines("marker-reference.tsv");
    assertThat(rows).hasSizeGreaterThan(2000);
    List<String> mismatches = new ArrayList<>();
    for (String row : rows) {
      String[] cols = row.split("\t", -1);
      MarkerEnvironment environment = MarkerEnvironment.linuxCPython(cols[1], cols[2]);
      Set<String> extras = cols[3].isEmpty() ? Set.of() : Set.of(cols[3]);
      Set<String> groups = cols[4].isEmpty() ? Set.of() : Set.of(cols[4]);
      boolean actual = Marker.parse(cols[0]).evaluate(environment, extras, groups);
      if (actual != Boolean.parseBoolean(cols[5])) {
        mismatches.add(row);
      }
    }
    assertThat(mismatches).isEmpty();
  }
}
