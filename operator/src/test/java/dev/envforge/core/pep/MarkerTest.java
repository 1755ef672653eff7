package dev.envforge.core.pep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

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
      // other strings: < and > are false, <= and >= mean == ('packaging' 22 and later)
      "os_name > 'nt'                                                                    | false",
      "os_name > '1.0'                                                                   | false",
      "os_name < 'z'                                                                     | false",
      "os_name <= 'posix'                                                                | true",
      "os_name >= 'a'                                                                    | false",
      "platform_release < '5.0'                                                          | false",
      "platform_release >= '5.0'                                                         | false",
      "platform_release == ''                                                            | true",
      "python_version < 'foo'                                                            | false",
      "python_version != 'foo'                                                           | true",
      "python_version <= 'foo'                                                           | false",
      // legacy names
      "os.name == 'posix'                                                                | true",
      "sys.platform == 'linux' and platform.machine == 'x86_64'                          | true",
      "python_implementation == 'CPython'                                                | true",
      "platform.python_implementation == 'PyPy'                                          | false",
      // odd spacing
      "python_version<'3.13'and os_name=='posix'                                         | true",
      "`python_version\t<\t'3.13'   and   os_name  ==  'nt'`                             | false",
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
      "os_name == 'a' AND os_name == 'b'       | 15 | Expected 'and', 'or' or the end",
      "os_name IN 'posix'                      | 8  | Expected a comparison operator",
      "os_name not'in' 'x'                     | 8  | Expected 'in' after 'not'",
      "os_name ~= 'posix'                      | 8  | '~=' compares versions, and os_name is not a version variable",
      "extra === 'dev'                         | 6  | '===' compares versions, and extra is not a version variable",
      "python_version ~= '3'                   | 18 | '~=' needs a version: '~=3' is not a PEP 440 clause",
      "'a' == 'a'                              | 0  | A marker comparison needs a marker variable on one side",
      "python_version == python_full_version   | 18 | A marker comparison needs a quoted string on one side",
      "extras == 'x'                           | 0  | 'extras' is a set",
      "'x' ~= dependency_groups                | 4  | 'dependency_groups' is a set",
      "os_name == 'a\\b'                       | 13 | A backslash is not allowed in a marker string",
      "os_name == 'a\\'                        | 13 | A backslash is not allowed in a marker string",
  })
  void reportsSyntaxErrorsWithOffset(String text, int offset, String message) {
    assertThatThrownBy(() -> Marker.parse(text))
        .isInstanceOfSatisfying(PepSyntaxException.class, e -> {
          assertThat(e.offset()).isEqualTo(offset);
          assertThat(e.reason()).startsWith(message);
          assertThat(e.text()).isEqualTo(text);
        });
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"os_name == 'a'\n", "os_name == 'a'\r\n", "os_name\n== 'a'", "os_name == 'a\nb'",
      "os_name == 'a'\u2028", "os_name == 'a' \u000b", "os_name ==\u00a0'a'", "os_name == 'a\u0000'",
      "\nos_name == 'a'"})
  void refusesLineBreaksAndOtherWhitespaceThanSpaceAndTab(String text) {
    assertThatThrownBy(() -> Marker.parse(text))
        .isInstanceOfSatisfying(PepSyntaxException.class, e -> {
          assertThat(e.reason()).containsAnyOf("Unexpected line break", "Unexpected character U+",
              "Expected a comparison operator");
          assertThat(e.getMessage()).contains("at column " + (e.offset() + 1));
        });
    assertThatThrownBy(() -> Requirement.parse("foo>=1.0 ; " + text)).isInstanceOf(PepSyntaxException.class);
  }

  @Test
  void deepParenthesesAreRefusedWithTheirColumnNotByExhaustingTheStack() {
    String within = "(".repeat(MarkerParser.MAX_NESTING) + "os_name == 'posix'" + ")".repeat(MarkerParser.MAX_NESTING);
    assertThat(Marker.parse(within).evaluate(PY312_X86, Set.of())).isTrue();
    for (int depth : new int[] {MarkerParser.MAX_NESTING + 1, 100_000}) {
      String deep = "(".repeat(depth) + "os_name == 'posix'" + ")".repeat(depth);
      assertThatThrownBy(() -> Marker.parse(deep))
          .isInstanceOfSatisfying(PepSyntaxException.class, e -> {
            assertThat(e.reason()).isEqualTo("Parentheses nested more than " + MarkerParser.MAX_NESTING + " deep");
            assertThat(e.offset()).isEqualTo(MarkerParser.MAX_NESTING);
            assertThat(e.getMessage()).hasSizeLessThan(400);
          });
      String requirement = "foo ; " + deep;
      assertThatThrownBy(() -> Requirement.parse(requirement))
          .isInstanceOfSatisfying(PepSyntaxException.class,
              e -> assertThat(e.offset()).isEqualTo(6 + MarkerParser.MAX_NESTING));
    }
    // Unclosed and unbalanced runs stay syntax errors too.
    assertThatThrownBy(() -> Marker.parse("(".repeat(100_000))).isInstanceOf(PepSyntaxException.class);
    assertThatThrownBy(() -> Marker.parse("os_name == 'a'" + ")".repeat(100_000)))
        .isInstanceOf(PepSyntaxException.class);
  }

  @Test
  void longConjunctionsStayFlat() {
    Marker marker = Marker.TRUE;
    Marker operand = Marker.parse("os_name == 'posix'");
    for (int i = 0; i < 2_000; i++) {
      marker = Marker.and(marker, operand);
    }
    assertThat(marker.evaluate(PY312_X86, Set.of())).isTrue();
    assertThat(marker.hashCode()).isEqualTo(Marker.parse(marker.toString()).hashCode());
    String chain = String.join(" and ", java.util.Collections.nCopies(100_000, "(os_name == 'posix' or extra == 'x')"));
    assertThat(Marker.parse(chain).evaluate(PY312_X86, Set.of())).isTrue();
  }

  @Test
  void extraFollowsPackagingForEveryOperator() {
    assertThat(eval("extra <= 'dev'", Set.of("dev"))).isTrue();
    assertThat(eval("extra >= 'dev'", Set.of("dev"))).isTrue();
    assertThat(eval("extra < 'dev'", Set.of("dev"))).isFalse();
    assertThat(eval("extra > 'a'", Set.of("dev"))).isFalse();
    assertThat(eval("'de' in extra", Set.of("dev"))).isTrue();
    assertThat(eval("'de' not in extra", Set.of("dev"))).isFalse();
    assertThat(eval("extra in 'dev test'", Set.of("test"))).isTrue();
    // No extra requested: 'packaging' evaluates with extra == "".
    assertThat(eval("extra in 'dev test'", Set.of())).isTrue();
    assertThat(eval("extra == ''", Set.of())).isTrue();
  }

  @Test
  void emptyMarkerIsAnError() {
    assertThatThrownBy(() -> Marker.parse("   ")).isInstanceOf(PepSyntaxException.class);
  }

  /**
   * Every marker variable with every operator and version-like and other strings, on both sides, gives the value
   * 'packaging' 26 gives in twelve environments ({@code pep/marker-forms.txt}, written by
   * {@code pep/make_marker_forms.py}). Where packaging cannot evaluate a marker in any environment, envforge refuses it
   * when parsing; where it cannot in some environments only (a version clause taken from the environment), envforge
   * answers false. Comparing two variables is refused although packaging answers (it reads the right one as a string
   * of its own name).
   */
  @Test
  void agreesWithPackaging26OnEveryComparisonForm() {
    List<String> rows = CorpusStringsTest.lines("marker-forms.txt");
    assertThat(rows.get(0)).startsWith("# written by make_marker_forms.py with packaging 26.");
    List<MarkerEnvironment> environments = new ArrayList<>();
    List<Set<String>> extras = new ArrayList<>();
    List<String> mismatches = new ArrayList<>();
    int compared = 0;
    for (String row : rows.subList(1, rows.size())) {
      String[] cols = row.split("\t", -1);
      if (cols[0].equals("environment")) {
        java.util.Map<String, String> values = new java.util.HashMap<>();
        for (String pair : cols[2].split(" ")) {
          values.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        }
        MarkerEnvironment linux = MarkerEnvironment.linuxCPython(values.get("python_full_version"), "x86_64");
        environments.add(new MarkerEnvironment(linux.pythonVersion(), linux.pythonFullVersion(), linux.sysPlatform(),
            linux.platformSystem(), linux.platformMachine(), linux.osName(), linux.implementationName(),
            linux.platformPythonImplementation(), linux.implementationVersion(), values.get("platform_release"),
            linux.platformVersion()));
        extras.add(values.get("extra").isEmpty() ? Set.of() : Set.of(values.get("extra")));
        continue;
      }
      String text = cols[0];
      String expected = cols[1];
      Marker marker;
      try {
        marker = Marker.parse(text);
      } catch (PepSyntaxException e) {
        boolean twoVariables = text.matches("[a-z_]+ [^\"]+ [a-z_]+");
        if (!expected.equals("invalid") && !expected.matches("u+") && !twoVariables) {
          mismatches.add(text + ": refused (" + e.getMessage() + "), packaging answers " + expected);
        }
        continue;
      }
      if (expected.equals("invalid") || expected.matches("u+")) {
        mismatches.add(text + ": accepted, packaging " + (expected.equals("invalid") ? "refuses it" : "cannot evaluate it"));
        continue;
      }
      assertThat(expected).as(text).hasSize(environments.size());
      for (int i = 0; i < environments.size(); i++) {
        boolean actual = marker.evaluate(environments.get(i), extras.get(i), Set.of());
        char want = expected.charAt(i);
        if (actual != (want == 't')) {
          mismatches.add(text + " in environment " + i + ": " + actual + ", packaging " + want);
        }
        compared++;
      }
    }
    assertThat(mismatches).as("%d mismatches", mismatches.size()).isEmpty();
    assertThat(compared).isGreaterThan(50_000);
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
