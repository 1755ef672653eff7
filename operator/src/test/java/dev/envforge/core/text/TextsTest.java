package dev.envforge.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Redaction of credentials and escaping of everything that could forge or hide a line. */
class TextsTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "https://user:pass@host/simple                | https://***@host/simple",
      "https://token@host/simple                    | https://***@host/simple",
      "HTTP://u:p@host:8080                         | HTTP://***@host:8080",
      "git+https://ghp_abc@github.com/o/r.git       | git+https://***@github.com/o/r.git",
      "git+ssh://git@github.com/o/r.git             | git+ssh://git@github.com/o/r.git",
      "git+ssh://git:secret@github.com/o/r.git      | git+ssh://***@github.com/o/r.git",
      "ftp://u%40x@host/                            | ftp://***@host/",
      "https://a:b@c@host/x                         | https://***@host/x",
      "see https://a:b@h1/ and http://c:d@h2/ too   | see https://***@h1/ and http://***@h2/ too",
      "https://host/path@v1                         | https://host/path@v1",
      "user@example.com wrote https://h/            | user@example.com wrote https://h/",
      "'https://a:b@h/'                             | 'https://***@h/'",
      "https://a:b@h?x                              | https://***@h?x",
  })
  void redactsTheUserInfoOfEveryUrl(String text, String redacted) {
    assertThat(Texts.redact(text)).isEqualTo(redacted);
    assertThat(Texts.escape(text)).isEqualTo(redacted.replace("'", "\\'"));
    assertThat(Texts.oneLine(text)).isEqualTo(redacted);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "https://user:pass@host/simple           | https://host/simple",
      "git+ssh://git@github.com/o/r.git        | git+ssh://git@github.com/o/r.git",
      "https://host/simple                     | https://host/simple",
  })
  void removesCredentialsFromUrlsThePlanKeeps(String url, String kept) {
    assertThat(Texts.withoutUserInfo(url)).isEqualTo(kept);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "url = \"https://u:p@h/a.whl\", x = \"http://t@h2/b\" | url = \"https://h/a.whl\", x = \"http://h2/b\"",
      "git+ssh://git@github.com/o/r.git and ftp://u:p@h/   | git+ssh://git@github.com/o/r.git and ftp://h/",
      "user@example.com wrote https://h/path@v1            | user@example.com wrote https://h/path@v1",
  })
  void removesCredentialsFromEveryUrlOfAText(String text, String kept) {
    assertThat(Texts.withoutUrlCredentials(text)).isEqualTo(kept);
  }

  @ParameterizedTest
  @ValueSource(strings = {"\u2028", "\u2029", "\n", "\r", "\u0000", "\u001b", "\u0085", "\u200e", "\u202e", "\ufeff"})
  void escapesEveryCharacterThatBreaksOrHidesALine(String c) {
    String text = "a" + c + "b";
    assertThat(Texts.escape(text)).doesNotContain(c).startsWith("a\\").endsWith("b");
    assertThat(Texts.oneLine(text)).doesNotContain(c).startsWith("a\\").endsWith("b");
    assertThat(Texts.quote(text)).doesNotContain(c);
  }
}
