package dev.envforge.core.lock.toml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.envforge.core.lock.LockInputException;
import dev.envforge.testing.Corpus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;

/**
 * The TOML reader against tomlj, a complete TOML 1.0 implementation: every TOML file of the test corpus and every
 * layout and syntax case below gives the same values and the same position for every key and array element, without
 * tomlj's help; text that is not TOML is refused and reported at tomlj's position.
 */
class TomlTest {

  static List<Path> corpusTomlFiles() throws IOException {
    Path corpus = Corpus.dir("");
    try (Stream<Path> files = Files.walk(corpus)) {
      return files.filter(f -> {
        String name = f.getFileName().toString();
        return name.endsWith(".toml") || name.equals("uv.lock") || name.equals("poetry.lock");
      }).sorted().toList();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpusTomlFiles")
  void readsEveryCorpusFileAsTomljDoes(Path file) throws IOException {
    assertReadAsTomljReads(Files.readString(file, StandardCharsets.UTF_8));
  }

  @Test
  void theCorpusIsThere() throws IOException {
    assertThat(corpusTomlFiles()).hasSizeGreaterThan(100)
        .anyMatch(f -> f.endsWith(Path.of("poetry-All-Hands-AI-OpenHands", "poetry.lock")))
        .anyMatch(f -> f.endsWith(Path.of("uv-huggingface-lerobot", "uv.lock")))
        .anyMatch(f -> f.endsWith(Path.of("pylock-pdm-project-pdm", "pylock.toml")));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      // strings: escapes, literal strings, multi-line strings with trimmed newlines and quotes at the end
      "a = \"tab\\there \\u00e9 \\U0001F600 \\\\ \\\" \\b\\f\\r\\n\"\nb = 'C:\\\\path\\n'\nc = \"\"\n",
      "s = \"\"\"\nfirst\n  second \\\n   joined\"\"\"\nt = '''\nraw \\n ''quoted'' '''\nu = \"\"\"a \"\" b\"\"\"\"\"\n"
          + "v = '''it''''\nw = \"\"\"\\\n\n  \\\n  trimmed\\\n\"\"\"\n",
      "crlf = \"\"\"\r\none\r\ntwo\"\"\"\r\nlit = '''\r\nthree\r\n'''\r\n",
      // numbers, booleans and dates
      "i = [0, 1, -2, +3, 1_000, 0xDEAD_beef, 0o755, 0b1010, 9223372036854775807, -9223372036854775808]\n"
          + "f = [1.5, -0.25e-3, 6E+2, 5e+22, 1e5, inf, -inf, +inf, nan, 1_0.5_0, -0.0]\nb = [true, false]\n",
      "d = 1979-05-27\nt = 1979-05-27T07:32:00Z\nl = 1979-05-27 07:32:00.999\no = 1979-05-27t00:32:00.5-07:00\n"
          + "h = 07:32:00\nu = 1979-05-27T07:32:00.123456\nafter = 1979-05-27 # a comment\n",
      // keys: bare, quoted, literal, dotted with spaces, empty
      "\"quoted key\" = 1\n'literal.key' = 2\na.b . c = 3\na.d = 4\n\"\" = 5\n1234 = 6\n-_ = 7\n"
          + "\"a.b\".'c' = true\n",
      // arrays and inline tables
      "arr = [\n  1, # one\n  2,\n]\nnested = [[1, 2], ['a', \"b\"], [], [{ k = 'v' }]]\nmixed = [1, 'a', {x = 1}]\n",
      "t = { a = 1, b.c = 'x', d = { e = [1, 2] } }\nempty = {}\nspaced = {  }\ns = { x = \"}\" }\n",
      // tables, arrays of tables and how they may be combined
      "[[p]]\nname = 'a'\n[p.sub]\nk = 1\n[[p.items]]\nn = 1\n[[p.items]]\nn = 2\n[[p]]\nname = 'b'\n",
      "[a.b.c]\nx = 1\n[a]\ny = 2\n[a.b]\nz = 3\n",
      "[a.b.c]\nx = 1\n[a]\nb.y = 2\nname = \"x\"\n",
      "[a.b.c.d]\nz = 9\n[a]\nb.c.k = 1\n[a.b.c.e]\n",
      "[fruit]\napple.color = 'red'\n[fruit.apple.texture]\nsmooth = true\n",
      "a.b.c = 1\n[a.x]\ny = 2\n",
      "[ spaced . header ]\n[[ spaced . list ]]\n[\"quoted\".'literal']\n",
      // whitespace, comments and line ends
      "# only a comment\r\nkey = \"crlf\"\r\n\r\n[t] # trailing\r\n\tk\t=\t1\t# tabs\n",
      "",
      "\n\n# nothing but comments\n   \n",
      "a = 1",
  })
  void readsTomlAsTomljDoes(String text) {
    assertReadAsTomljReads(text);
  }

  @Test
  void readsValuesAsTheirJavaTypes() {
    TomlTable root = Toml.parse("f", """
        s = "x\\u00e9"
        i = 0x10
        f = 2.5
        b = true
        d = 1979-05-27T07:32:00-07:00
        multi = \"\"\"
        one
        two \\
            three\"\"\"
        quotes = \"\"\"a "" b\"\"\"\"\"
        """);

    assertThat(root.get("s")).isEqualTo("xé");
    assertThat(root.get("i")).isEqualTo(16L);
    assertThat(root.get("f")).isEqualTo(2.5);
    assertThat(root.get("b")).isEqualTo(true);
    assertThat(root.get("d")).isEqualTo(new TomlDateTime("1979-05-27T07:32-07:00"));
    assertThat(root.get("multi")).isEqualTo("one\ntwo three");
    assertThat(root.get("quotes")).isEqualTo("a \"\" b\"\"");
  }

  @Test
  void placesTablesWhereTheyAreDefined() {
    TomlTable root = Toml.parse("pyproject.toml", """
        [[package]]
        name = "a"
        source = { registry = "https://pypi.org/simple" }
        wheels = [
            { url = "https://example.org/a.whl" },
        ]

        [package.extra]
        k = 1

          [[package]]
        dotted.key = 2
        """);

    assertThat(root.location()).hasToString("pyproject.toml:1:1");
    TomlArray packages = root.array("package");
    assertThat(packages.location(0)).hasToString("pyproject.toml:1:1");
    assertThat(packages.location(1)).hasToString("pyproject.toml:11:3");
    TomlTable first = packages.table(0);
    assertThat(first.location()).isEqualTo(packages.location(0));
    assertThat(first.table("source").location()).hasToString("pyproject.toml:3:1");
    assertThat(first.tables("wheels").get(0).location()).hasToString("pyproject.toml:5:5");
    assertThat(first.table("extra").location()).hasToString("pyproject.toml:8:1");
    assertThat(packages.table(1).table("dotted").location()).hasToString("pyproject.toml:12:1");
    assertThat(first.location("absent")).isEqualTo(first.location());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      // text                                    | tomlj's position | part of tomlj's message
      "a = 1\\na = 2                             | 2:1  | a previously defined at line 1, column 1",
      "[t]\\n[t]                                 | 2:1  | t previously defined",
      "[x]\\nk = 1\\n[x]\\n                      | 3:1  | x previously defined",
      "a = \"x                                   | 1:7  | Unexpected end of input",
      "a = \"unterminated\\nb = 1\\n             | 1:18 | Unexpected end of line",
      "a = 'x\\ny'                               | 1:7  | Unexpected end of line",
      "a = \"\\q\"                               | 1:6  | Invalid escape sequence",
      "a = \"\\uD800\"                           | 1:6  | Invalid unicode escape sequence",
      "a = 01                                    | 1:6  | expected a newline or end-of-input",
      "x = 1.                                    | 1:6  | expected a newline or end-of-input",
      "x = .5                                    | 1:5  | a number, a boolean, a date/time",
      "a = 1 b = 2                               | 1:7  | expected a newline or end-of-input",
      "a = [1, 2                                 | 1:10 | Unexpected end of input",
      "a = [\\n1,\\n2\\n                         | 4:1  | Unexpected end of input",
      "a = { x = 1, }                            | 1:14 | expected a-z, A-Z, 0-9",
      "a = { x = 1\\n}                           | 1:12 | Unexpected end of line, expected }",
      "a = { x = 1 }\\n[a]                       | 2:1  | a previously defined",
      "a = {}\\n[a.b]                            | 2:1  | a is not a table",
      "a = [1]\\n[[a]]                           | 2:1  | a previously defined as a literal array",
      "[[a]]\\n[a]                               | 2:1  | a previously defined",
      "a.b = 1\\n[a]                             | 2:1  | a previously defined",
      "[a]\\nb.y = 2\\n[a.b]                     | 3:1  | a.b previously defined",
      "[a.b.c]\\nx = 1\\n[a]\\nb.y = 2\\n[a.b]   | 5:1  | a.b previously defined",
      "[fruit]\\napple.color = 1\\n[fruit.apple] | 3:1  | fruit.apple previously defined",
      "[a.b]\\nc = 1\\n[a]\\nb.d = 2             | 4:1  | b already defined",
      "[t]\\nk = \"v\"\\n\\n  [[t]]\\n            | 4:3  | t is not an array (previously defined at line 1, column 1)",
      "a = 9223372036854775808                   | 1:5  | Integer is too large",
      "a = 1979-02-30                            | 1:13 | Invalid date",
      "t = 1979-05-27T07:32:00+25:00             | 1:24 | Invalid zone offset",
      "[table                                    | 1:7  | Unexpected end of input, expected ]",
      "[[package]\\nname = \"x\"                 | 1:10 | expected ]] or .",
      "= 1                                       | 1:1  | a table key, a newline, or end-of-input",
      "name = \\n                                | 1:8  | Unexpected end of line",
      "a = \"x\" \\u0007                         | 1:9  | u0007",
      "k = \"bell\\u0007\"                       | 1:10 | u0007",
      "a = 'x' # c\\u0001                        | 1:12 | u0001",
      "a = 1\\r b = 2                            | 1:6  | expected a newline or end-of-input",
      "x = 1\\r\\ny = 2\\rz = 3                 | 2:6  | expected a newline or end-of-input",
      "\"\"\"a\"\"\" = 1                       | 1:3  | expected =",
      "\"a\\nb\" = 1                             | 1:3  | Unexpected end of line",
      "[a]]                                      | 1:3  | expected ] or .",
      "a = truex                                 | 1:9  | expected a newline or end-of-input",
      "a = 1__0                                  | 1:6  | expected a newline or end-of-input",
      "a = +0x10                                 | 1:7  | expected a newline or end-of-input",
      "a = 1979-05-27T25:00:00                   | 1:16 | Invalid hour",
      "a = \"\"\"x\"\"\"\"\"\"                  | 1:12 | expected a newline or end-of-input",
      "a = '''x                                  | 1:9  | Unexpected end of input",
      "a = {a = 1 b = 2}                         | 1:12 | expected } or a comma",
      "a.b = 1\\na.b.c = 2                      | 2:1  | a.b is not a table",
      "k = 1\\n[k.x]                            | 2:1  | k is not a table",
  })
  void refusesWhatIsNotTomlAndReportsItAtTomljsPosition(String text, String position, String message) {
    String document = text.strip().replace("\\n", "\n").replace("\\r", "\r").replace("\\u0007", "\u0007")
        .replace("\\u0001", "\u0001");
    assertThat(org.tomlj.Toml.parse(document).errors()).as("tomlj refuses it too").isNotEmpty();
    assertThatThrownBy(() -> Toml.parseFast("f", document)).isInstanceOf(TomlParser.Unsupported.class);

    assertThatThrownBy(() -> Toml.parse("pyproject.toml", document))
        .isInstanceOfSatisfying(LockInputException.class, e -> {
          assertThat(e.file()).isEqualTo("pyproject.toml");
          assertThat(e.line() + ":" + e.column()).isEqualTo(position);
          assertThat(e.problem()).startsWith("malformed TOML: ").contains(message);
          assertThat(e.getMessage()).doesNotContainPattern("[\\x00-\\x1f\\x7f]");
        });
  }

  @Test
  void deepNestingIsAnErrorNotAStackOverflow() {
    String deep = "a = " + "[".repeat(100_000) + "]".repeat(100_000) + "\n";

    assertThatThrownBy(() -> Toml.parse("f", deep))
        .isInstanceOf(LockInputException.class)
        .hasMessage("f:1:105: malformed TOML: arrays and inline tables nest more than 100 deep");
    assertThatThrownBy(() -> Toml.parse("f", "a = " + "{b = ".repeat(101) + "1" + "}".repeat(101)))
        .hasMessageContaining("nest more than 100 deep");
    assertThat(Toml.parse("f", "a = " + "[".repeat(100) + "]".repeat(100)).get("a")).isNotNull();
    assertThatThrownBy(() -> Toml.parse("f", "a = " + "[".repeat(100) + "]".repeat(99)))
        .hasMessageContaining("malformed TOML: Unexpected end of input");
  }

  @Test
  void anErrorInALargeTextIsReportedFromItsStatementAlone() {
    StringBuilder text = new StringBuilder();
    for (int k = 0; k < 40_000; k++) {
      text.append("[[package]]\nname = \"p").append(k).append("\"\nversion = \"1.0\"\n\n");
    }
    int lines = 160_000;
    String bad = text + "[metadata]\nx = = 1\n";
    assertThat(bad.length()).isGreaterThan(Toml.TOMLJ_WHOLE_TEXT * 10);
    assertThatThrownBy(() -> Toml.parse("poetry.lock", bad))
        .isInstanceOfSatisfying(LockInputException.class, e -> {
          assertThat(e.line() + ":" + e.column()).isEqualTo((lines + 2) + ":5");
          assertThat(e.problem()).startsWith("malformed TOML: Unexpected '='");
        });
    // a multi-line statement: tomlj sees it from its first line
    String array = text + "deps = [\n  \"a\",\n  \"b\"\n  \"c\",\n]\n";
    assertThatThrownBy(() -> Toml.parse("poetry.lock", array))
        .isInstanceOfSatisfying(LockInputException.class,
            e -> assertThat(e.line() + ":" + e.column()).isEqualTo((lines + 4) + ":3"));
    // a table defined twice far apart: only the reader knows the first one, and says where the second is
    String twice = "[tool]\n" + text + "[tool]\n";
    assertThatThrownBy(() -> Toml.parse("poetry.lock", twice))
        .isInstanceOfSatisfying(LockInputException.class, e -> {
          assertThat(e.line() + ":" + e.column()).isEqualTo((lines + 2) + ":1");
          assertThat(e.problem()).isEqualTo("malformed TOML: this key or table is already defined: '[tool]'");
        });
  }

  @Test
  void deepNestingAfterASyntaxErrorNeverReachesTomlj() {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    assertThatThrownBy(() -> Toml.parse("f", "x = !\ny = " + deep + "\n"))
        .isInstanceOfSatisfying(LockInputException.class, e -> {
          assertThat(e.line() + ":" + e.column()).isEqualTo("1:5");
          assertThat(e.problem()).startsWith("malformed TOML: Unexpected '!'"); // tomlj saw the first line alone
        });
    assertThatThrownBy(() -> Toml.parse("f", "y = " + "[".repeat(150) + "1 2" + "]".repeat(150) + "\n"))
        .hasMessageContaining("nest more than 100 deep");
    assertThatThrownBy(() -> Toml.parse("f", "y = [1 2 " + "{".repeat(50_000) + "\n"))
        .isInstanceOfSatisfying(LockInputException.class,
            e -> assertThat(e.line() + ":" + e.column()).isEqualTo("1:9")); // where the reader stopped
    assertThatThrownBy(() -> Toml.parse("f", "k" + ".k".repeat(100) + " = 1\n"))
        .hasMessage("f:1:201: malformed TOML: a dotted key has more than 100 parts");
    assertThatThrownBy(() -> Toml.parse("f", "[k" + ".k".repeat(100_000) + "]\n"))
        .hasMessageContaining("a dotted key has more than 100 parts");
  }

  @Test
  void skipsAByteOrderMark() {
    TomlTable root = Toml.parse("f", "\uFEFFa = 1\n");

    assertThat(root.get("a")).isEqualTo(1L);
    assertThat(root.location("a")).hasToString("f:1:2");
  }

  @Test
  void namesTheKeyOfAValueOfTheWrongType() {
    TomlTable root = Toml.parse("pyproject.toml", "[tool.poetry]\nname = 1\nlist = ['a', 2]\n");
    TomlTable poetry = root.table("tool").table("poetry");

    assertThatThrownBy(() -> poetry.string("name"))
        .isInstanceOf(LockInputException.class)
        .hasMessage("pyproject.toml:2:1: 'name' must be a string, not an integer");
    assertThatThrownBy(() -> poetry.table("name"))
        .hasMessage("pyproject.toml:2:1: 'name' must be a table, not an integer");
    assertThatThrownBy(() -> poetry.strings("list"))
        .hasMessage("pyproject.toml:3:14: element 2 must be a string, not an integer");
    assertThatThrownBy(() -> poetry.tables("list"))
        .hasMessage("pyproject.toml:3:9: element 1 must be a table, not a string");
    assertThatThrownBy(() -> poetry.requiredString("version")).hasMessage("pyproject.toml:1:1: missing 'version'");
  }

  @Test
  void keepsPositionsOfStringsInArrays() {
    TomlTable root = Toml.parse("f", "deps = [\n  \"a\",\n    'b',\n]\n");

    assertThat(root.strings("deps")).extracting(Located::value).containsExactly("a", "b");
    assertThat(root.strings("deps")).extracting(s -> s.location().toString()).containsExactly("f:2:3", "f:3:5");
    assertThat(root.strings("absent")).isEmpty();
    assertThat(root.locatedString("absent")).isNull();
  }

  /** The reader alone (tomlj must not be needed) gives what tomlj gives, positions included. */
  private static void assertReadAsTomljReads(String text) {
    TomlParseResult reference = org.tomlj.Toml.parse(text);
    assertThat(reference.errors()).as("tomlj reads it").isEmpty();

    TomlTable table = Toml.parseFast("f", text);

    List<String> expected = new ArrayList<>();
    flattenReference(text, "", reference, expected);
    List<String> actual = new ArrayList<>();
    flatten("", table, actual);
    assertThat(actual).containsExactlyElementsOf(expected);
    assertTablesAreWhereTheirKeysAre(table);
  }

  /**
   * One line per value: its path with the position of every key and {@code [[header]]} on the way, and the value.
   * Other array elements are left out: tomlj places them where the space before them starts, and envforge exactly
   * (checked by {@link #keepsPositionsOfStringsInArrays} and {@link #placesTablesWhereTheyAreDefined}).
   */
  private static void flatten(String path, Object value, List<String> lines) {
    if (value instanceof TomlTable table) {
      lines.add(path + " = {" + table.keys().size() + " keys}");
      for (String key : table.keys()) {
        Location at = table.location(key);
        flatten(path + "." + key + "@" + at.line() + ":" + at.column(), table.get(key), lines);
      }
    } else if (value instanceof TomlArray array) {
      lines.add(path + " = [" + array.size() + " elements]");
      for (int i = 0; i < array.size(); i++) {
        Location at = array.location(i);
        flatten(path + "[" + i + "]" + (array.ofTables ? "@" + at.line() + ":" + at.column() : ""), array.get(i),
            lines);
      }
    } else {
      lines.add(path + " = " + value.getClass().getSimpleName() + ":" + value);
    }
  }

  private static void flattenReference(String text, String path, Object value, List<String> lines) {
    if (value instanceof org.tomlj.TomlTable table) {
      lines.add(path + " = {" + table.keySet().size() + " keys}");
      for (Map.Entry<String, Object> entry : table.entrySet()) {
        TomlPosition at = table.inputPositionOf(List.of(entry.getKey()));
        flattenReference(text, path + "." + entry.getKey() + "@" + at.line() + ":" + at.column(), entry.getValue(),
            lines);
      }
    } else if (value instanceof org.tomlj.TomlArray array) {
      lines.add(path + " = [" + array.size() + " elements]");
      for (int i = 0; i < array.size(); i++) {
        TomlPosition at = array.inputPositionOf(i);
        boolean header = text.lines().skip(at.line() - 1).findFirst().orElseThrow().startsWith("[[", at.column() - 1);
        flattenReference(text, path + "[" + i + "]" + (header ? "@" + at.line() + ":" + at.column() : ""),
            array.get(i), lines);
      }
    } else if (value instanceof String || value instanceof Long || value instanceof Double
        || value instanceof Boolean) {
      lines.add(path + " = " + value.getClass().getSimpleName() + ":" + value);
    } else {
      lines.add(path + " = TomlDateTime:" + new TomlDateTime(String.valueOf(value)));
    }
  }

  /** Errors about a table point where it is defined: at its header, its key, or its place in an array. */
  private static void assertTablesAreWhereTheirKeysAre(TomlTable table) {
    for (String key : table.keys()) {
      if (table.get(key) instanceof TomlTable sub) {
        assertThat(sub.location()).as(key).isEqualTo(table.location(key));
        assertTablesAreWhereTheirKeysAre(sub);
      } else if (table.get(key) instanceof TomlArray array) {
        for (int i = 0; i < array.size(); i++) {
          if (array.get(i) instanceof TomlTable element) {
            assertThat(element.location()).as(key + "[" + i + "]").isEqualTo(array.location(i));
            assertTablesAreWhereTheirKeysAre(element);
          }
        }
      }
    }
  }
}
