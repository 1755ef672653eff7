package dev.envforge.core.lock.poetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.envforge.core.lock.LockInputException;
import dev.envforge.core.lock.poetry.TomlDoc.Array;
import dev.envforge.core.lock.poetry.TomlDoc.Table;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The fast TOML reader gives the same values and key positions as tomlj, and hands everything else to tomlj. */
class TomlDocTest {

  static List<Path> corpusTomlFiles() throws IOException, URISyntaxException {
    Path corpus = Path.of(TomlDocTest.class.getResource("/corpus/README.md").toURI()).getParent();
    try (Stream<Path> files = Files.walk(corpus)) {
      // the Poetry cases, and the pylock files for dates and PEP 751 layouts
      return files.filter(f -> f.toString().endsWith(".toml") || f.toString().endsWith(".lock"))
          .filter(f -> {
            String caseName = corpus.relativize(f).getName(0).toString();
            return caseName.startsWith("poetry-") || caseName.startsWith("pylock-");
          })
          .sorted()
          .toList();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpusTomlFiles")
  void readsEveryCorpusFileLikeTomlj(Path file) throws IOException {
    String text = Files.readString(file);

    TomlDoc fast = TomlDoc.parseFast(text, "f");
    TomlDoc reference = TomlDoc.parseWithTomlj(text, "f");

    assertThat(canonical(fast.root())).containsExactlyElementsOf(canonical(reference.root()));
  }

  @Test
  void placesArrayOfTablesElementsAtTheirHeader() throws IOException, URISyntaxException {
    Path lock = Path.of(getClass().getResource("/corpus/poetry-nonebot-nonebot2/poetry.lock").toURI());
    String text = Files.readString(lock);

    Array fast = TomlDoc.parseFast(text, "f").root().array("package");
    Array reference = TomlDoc.parseWithTomlj(text, "f").root().array("package");

    assertThat(fast.size()).isEqualTo(reference.size()).isGreaterThan(90);
    for (int k = 0; k < fast.size(); k++) {
      assertThat(fast.location(k)).isEqualTo(reference.location(k));
      assertThat(fast.table(k).location()).isEqualTo(fast.location(k));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "a = \"tab\\there \\u00e9 \\U0001F600 \\\\ \\\" \\b\\f\\r\\n\"\nb = 'C:\\\\path'\n",
      "s = \"\"\"\nfirst\n  second \\\n   joined\"\"\"\nt = '''\nraw \\n ''quoted'' '''\nu = \"\"\"two quotes at the end\"\"\"\"\"\n",
      "x.y.z = 1\nx.y.w = 2\n\"quoted key\".'literal key' = true\n[x.y.deeper]\nv = false\n",
      "i = [1, -2, +3, 1_000, 0xDEAD_beef, 0o755, 0b1010]\nf = [1.5, -0.25e-3, 6E+2, inf, -inf, nan, 1_0.5_0]\n",
      "arr = [\n  1, # one\n  2,\n]\nnested = [[1, 2], ['a', \"b\"], [], [{ k = 'v' }]]\n",
      "t = { a = 1, b.c = 'x', d = { e = [1, 2] } }\nempty = {}\n",
      "[[p]]\nname = 'a'\n[p.sub]\nk = 1\n[[p.items]]\nn = 1\n[[p.items]]\nn = 2\n[[p]]\nname = 'b'\n",
      "[a.b.c]\nx = 1\n[a]\ny = 2\n[a.b]\nz = 3\n",
      "# only a comment\r\nkey = \"crlf\"\r\n\r\n[t] # trailing\r\n",
      "[fruit]\napple.color = 'red'\n[fruit.apple.texture]\nsmooth = true\n",
  })
  void readsTomlLikeTomlj(String text) {
    TomlDoc fast = TomlDoc.parseFast(text, "f");

    assertThat(canonical(fast.root())).containsExactlyElementsOf(canonical(TomlDoc.parseWithTomlj(text, "f").root()));
  }

  @Test
  void readsDatesAsTomljPrintsThem() {
    String text = "d = 1979-05-27\nt = 1979-05-27T07:32:00Z\nl = 1979-05-27 07:32:00.999\n"
        + "o = 1979-05-27t00:32:00.5-07:00\nh = 07:32:00\nname = \"x\"\n";

    TomlDoc fast = TomlDoc.parseFast(text, "f");

    assertThat(canonical(fast.root())).containsExactlyElementsOf(canonical(TomlDoc.parseWithTomlj(text, "f").root()));
    assertThat(fast.root().get("d")).isEqualTo(new TomlDoc.DateTime("1979-05-27"));
  }

  @Test
  void handsWhatItDoesNotTrackToTomlj() {
    // a table made by a header path and then extended with dotted keys: tomlj decides whether TOML allows it
    String text = "[a.b.c]\nx = 1\n[a]\nb.y = 2\nname = \"x\"\n";
    assertThatThrownBy(() -> TomlDoc.parseFast(text, "f")).isInstanceOf(TomlParser.Unsupported.class);

    Table root = TomlDoc.parse(text, "f").root();

    assertThat(root.table("a").table("b").get("y")).isEqualTo(2L);
    assertThat(root.table("a").location("name")).hasToString("f:5:1");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "a = 1\na = 2\n|2|1",
      "[x]\nk = 1\n[x]\n|3|1",
      "a = \"unterminated\nb = 1\n|1|18",
      "a = { b = 1, }\n|1|14",
      "a = 1 b = 2\n|1|7",
      "x = \"\\q\"\n|1|6",
      "a = 1\n[a]\n|2|1",
      "[t]\nk = \"v\"\n\n  [[t]]\n|4|3",
      "a = [1, 2\n|2|1",
      "k = \"bell\u0007\"\n|1|10",
  })
  void reportsMalformedTomlAtTomljsPosition(String textAndPosition) {
    String[] parts = textAndPosition.split("\\|");
    String text = parts[0];

    assertThatThrownBy(() -> TomlDoc.parse(text, "pyproject.toml"))
        .isInstanceOfSatisfying(LockInputException.class, e -> {
          assertThat(e.file()).isEqualTo("pyproject.toml");
          assertThat(e.line()).isEqualTo(Integer.parseInt(parts[1]));
          assertThat(e.column()).isEqualTo(Integer.parseInt(parts[2]));
          assertThat(e.problem()).startsWith("malformed TOML: ").doesNotContain("\u0007");
        });
  }

  @Test
  void namesTheKeyOfAValueOfTheWrongType() {
    Table root = TomlDoc.parse("[tool.poetry]\nname = 1\n", "pyproject.toml").root();
    Table poetry = root.table("tool").table("poetry");

    assertThatThrownBy(() -> poetry.string("name"))
        .isInstanceOf(LockInputException.class)
        .hasMessage("pyproject.toml:2:1: 'name' must be a string, not an integer");
  }

  /**
   * One line per value: its path, the position of every table key on the way, and the value. Array element
   * positions are left out: tomlj's are approximate.
   */
  private static List<String> canonical(Table root) {
    List<String> lines = new ArrayList<>();
    flatten("", root, lines);
    return lines;
  }

  private static void flatten(String path, Object value, List<String> lines) {
    if (value instanceof Table table) {
      lines.add(path + " = {" + table.keys().size() + " keys}");
      for (String key : table.keys()) {
        flatten(path + "." + key + "@" + table.location(key).line() + ":" + table.location(key).column(),
            table.get(key), lines);
      }
    } else if (value instanceof Array array) {
      lines.add(path + " = [" + array.size() + " elements]");
      for (int k = 0; k < array.size(); k++) {
        flatten(path + "[" + k + "]", array.get(k), lines);
      }
    } else {
      lines.add(path + " = " + (value == null ? "null" : value.getClass().getSimpleName() + ":" + value));
    }
  }
}
