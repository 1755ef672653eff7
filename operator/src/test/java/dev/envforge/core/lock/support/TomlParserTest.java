package dev.envforge.core.lock.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.envforge.core.lock.support.TomlParser.Array;
import dev.envforge.core.lock.support.TomlParser.Entry;
import dev.envforge.core.lock.support.TomlParser.SyntaxException;
import dev.envforge.core.lock.support.TomlParser.Table;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * The TOML parser against tomlj, a complete TOML 1.0 implementation: every TOML file of the test corpus must give
 * the same values, and the same positions for every key; plus the syntax TOML allows and forbids, case by case.
 */
class TomlParserTest {

  static List<Path> corpusTomlFiles() throws IOException {
    Path corpus = ExpectedAnswers.caseFolder("README.md").getParent();
    try (Stream<Path> files = Files.walk(corpus)) {
      return files.filter(f -> {
        String name = f.getFileName().toString();
        return name.endsWith(".toml") || name.equals("uv.lock") || name.equals("poetry.lock");
      }).sorted().toList();
    }
  }

  @ParameterizedTest
  @MethodSource("corpusTomlFiles")
  void corpusFilesReadAsTomljReadsThem(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    TomlParseResult reference = Toml.parse(text);
    assertThat(reference.errors()).isEmpty();

    Table table = TomlParser.parse(text);

    assertThat(plain(table)).isEqualTo(plain(reference));
    List<String> mismatches = new ArrayList<>();
    comparePositions("", table, reference, mismatches);
    assertThat(mismatches).isEmpty();
  }

  @Test
  void stringsNumbersAndDatesAsTomlDefinesThem() {
    String text = """
        basic = "tab\\there \\u00e9 \\U0001F600 \\"q\\" \\\\"
        literal = 'C:\\path\\n'
        multi = \"\"\"
        one
        two \\
            three\"\"\"
        multiLiteral = '''
        raw \\n ''line'' '''
        quotes = \"\"\"a "" b\"\"\"\"\"
        ints = [0, +17, -3, 1_000, 0xDEAD_beef, 0o755, 0b1101]
        floats = [1.5, -0.01, 5e+22, 6.626e-34, 9_224.617_445, inf, -inf, nan]
        date1 = 1979-05-27T07:32:00Z
        date2 = 1979-05-27 00:32:00.999-07:00
        date3 = 1979-05-27T07:32:00
        date4 = 1979-05-27
        time = 07:32:00
        bools = [true, false]
        "quoted key" = 1
        'literal.key' = 2
        a.b . c = 3
        a.d = 4
        inline = { x = 1, y.z = [1, 2], s = "}" }
        nested = [ [1, 2], ["a"], [], ]  # trailing comma and comment
        empty = {}

        [t1]
        k = 1
        [[aot]]
        n = 1
        [aot.sub]
        m = 2
        [[aot]]
        n = 2
        """;
    TomlParseResult reference = Toml.parse(text);
    assertThat(reference.errors()).isEmpty();

    Table table = TomlParser.parse(text);

    assertThat(plain(table)).isEqualTo(plain(reference));
    assertThat(table.get("multi").value()).isEqualTo("one\ntwo three");
    assertThat(table.get("quotes").value()).isEqualTo("a \"\" b\"\"");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "a = 1\\na = 2                  | 2:1 | duplicate key 'a'",
      "[t]\\n[t]                      | 2:2 | 't' is defined twice",
      "a = \"x                        | 1:5 | unterminated string",
      "a = 'x\\ny'                    | 1:5 | unterminated string",
      "a = \"\\q\"                    | 1:6 | invalid escape '\\q'",
      "a = 01                         | 1:5 | invalid value: 01",
      "a = 1 b = 2                    | 1:7 | expected the end of the line",
      "a = [1, 2                      | 1:10 | unterminated array",
      "a = { x = 1, }                 | 1:14 | expected a key",
      "a = { x = 1\\n}                | 1:12 | expected ',' or '}' in an inline table",
      "a = { x = 1 }\\n[a]            | 2:2 | 'a' is defined twice",
      "a = [1]\\n[[a]]                | 2:3 | cannot append to 'a': it is not an array of tables",
      "[fruit]\\napple.color = 1\\n[fruit.apple] | 3:8 | 'fruit.apple' is defined twice",
      "[a.b]\\nc = 1\\n[a]\\nb.d = 2 | 4:1 | cannot add to 'b' with a dotted key",
      "a = 9223372036854775808         | 1:5 | integer out of range: 9223372036854775808",
      "a = 1979-02-30                  | 1:5 | invalid date or time: 1979-02-30",
      "[table                          | 1:7 | expected ']' to close the table header",
      "= 1                             | 1:1 | expected a key",
      "a = \"x\" \\u0007               | 1:9 | expected the end of the line",
      "a = 'bell\\u0007'               | 1:10 | control character U+0007 must be escaped",
      "a = 1\\r b = 2                  | 1:6 | expected the end of the line",
  })
  void invalidDocumentsAreRejectedAtTheirPosition(String text, String position, String message) {
    String document = text.strip().replace("\\n", "\n").replace("\\r", "\r").replace("\\u0007", "\u0007");
    assertThat(Toml.parse(document).errors()).as("tomlj rejects it too").isNotEmpty();

    assertThatThrownBy(() -> TomlParser.parse(document))
        .isInstanceOf(SyntaxException.class)
        .hasMessage(message)
        .satisfies(e -> assertThat(((SyntaxException) e).line + ":" + ((SyntaxException) e).column)
            .isEqualTo(position));
  }

  @Test
  void deepNestingIsAnErrorNotAStackOverflow() {
    String deep = "a = " + "[".repeat(100_000) + "]".repeat(100_000) + "\n";

    assertThatThrownBy(() -> TomlParser.parse(deep))
        .isInstanceOf(SyntaxException.class)
        .hasMessage("arrays and inline tables nest more than 100 deep");
    assertThat(TomlParser.parse("a = " + "[".repeat(100) + "]".repeat(100)).get("a")).isNotNull();
  }

  /** Tables as sorted maps, arrays as lists, everything else as is. */
  private static Object plain(Object value) {
    if (value instanceof Table table) {
      Map<String, Object> map = new TreeMap<>();
      table.keys().forEach(k -> map.put(k, plain(table.get(k).value())));
      return map;
    }
    if (value instanceof Array array) {
      List<Object> list = new ArrayList<>();
      for (int i = 0; i < array.size(); i++) {
        list.add(plain(array.get(i).value()));
      }
      return list;
    }
    if (value instanceof TomlTable table) {
      Map<String, Object> map = new TreeMap<>();
      table.keySet().forEach(k -> map.put(k, plain(table.get(List.of(k)))));
      return map;
    }
    if (value instanceof TomlArray array) {
      List<Object> list = new ArrayList<>();
      for (int i = 0; i < array.size(); i++) {
        list.add(plain(array.get(i)));
      }
      return list;
    }
    return value;
  }

  private static void comparePositions(String path, Table table, TomlTable reference, List<String> mismatches) {
    for (String key : table.keys()) {
      Entry entry = table.get(key);
      TomlPosition expected = reference.inputPositionOf(List.of(key));
      String where = path + "." + key;
      if (expected != null && (expected.line() != entry.line() || expected.column() != entry.column())) {
        mismatches.add(where + ": " + entry.line() + ":" + entry.column() + " vs tomlj " + expected);
      }
      Object value = entry.value();
      Object referenceValue = reference.get(List.of(key));
      if (value instanceof Table sub && referenceValue instanceof TomlTable referenceSub) {
        comparePositions(where, sub, referenceSub, mismatches);
      } else if (value instanceof Array array && referenceValue instanceof TomlArray referenceArray) {
        for (int i = 0; i < array.size(); i++) {
          if (array.get(i).value() instanceof Table sub && referenceArray.get(i) instanceof TomlTable referenceSub) {
            comparePositions(where + "[" + i + "]", sub, referenceSub, mismatches);
          }
        }
      }
      if (mismatches.size() > 20) {
        return;
      }
    }
  }

}
