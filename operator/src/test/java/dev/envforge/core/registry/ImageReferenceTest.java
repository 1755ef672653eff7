package dev.envforge.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageReferenceTest {
  private static final String DIGEST =
      "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      python                                | docker.io      | library/python          | latest | -
      python:3.12-slim                      | docker.io      | library/python          | 3.12-slim | -
      bitnami/redis:7                       | docker.io      | bitnami/redis           | 7      | -
      docker.io/python                      | docker.io      | library/python          | latest | -
      index.docker.io/library/python:3      | docker.io      | library/python          | 3      | -
      Docker.IO/team/app:v1                 | docker.io      | team/app                | v1     | -
      ghcr.io/org/team/app:v1.2.3           | ghcr.io        | org/team/app            | v1.2.3 | -
      localhost/app                         | localhost      | app                     | latest | -
      localhost:5000/app:dev                | localhost:5000 | app                     | dev    | -
      127.0.0.1:5000/a/b/c:_x               | 127.0.0.1:5000 | a/b/c                   | _x     | -
      [::1]:5000/app:1                      | [::1]:5000     | app                     | 1      | -
      registry.example.com/my_app__x--y.z:T | registry.example.com | my_app__x--y.z    | T      | -
      example.com                           | docker.io      | library/example.com     | latest | -
      localhost:5000                        | docker.io      | library/localhost       | 5000   | -
      """)
  void parsesTagReferences(String text, String registry, String repository, String tag, String digest) {
    ImageReference reference = ImageReference.parse(text);

    assertThat(reference.registry()).isEqualTo(registry);
    assertThat(reference.repository()).isEqualTo(repository);
    assertThat(reference.tag()).isEqualTo(tag);
    assertThat(reference.digest()).isEqualTo(digest);
  }

  @Test
  void parsesDigestReferences() {
    ImageReference byDigest = ImageReference.parse("ghcr.io/org/app@" + DIGEST);
    assertThat(byDigest.tag()).isNull();
    assertThat(byDigest.digest()).isEqualTo(DIGEST);
    assertThat(byDigest.manifestReference()).isEqualTo(DIGEST);

    ImageReference both = ImageReference.parse("python:3.12@" + DIGEST);
    assertThat(both.tag()).isEqualTo("3.12");
    assertThat(both.manifestReference()).as("the digest wins when both are given").isEqualTo(DIGEST);
    assertThat(both).hasToString("docker.io/library/python:3.12@" + DIGEST);
  }

  @Test
  void dockerHubIsServedByItsApiHost() {
    assertThat(ImageReference.parse("python").registryHost()).isEqualTo("registry-1.docker.io");
    assertThat(ImageReference.parse("localhost:5000/app").registryHost()).isEqualTo("localhost:5000");
  }

  @ParameterizedTest
  @ValueSource(strings = {"python", "ghcr.io/org/app:v1", "localhost:5000/a/b@" + DIGEST, "[::1]:5000/app:1"})
  void toStringParsesBackToTheSameReference(String text) {
    ImageReference reference = ImageReference.parse(text);
    assertThat(ImageReference.parse(reference.toString())).isEqualTo(reference);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', textBlock = """
      ''                                    | empty
      ' python'                             | whitespace
      'python '                             | whitespace
      'py thon'                             | whitespace
      'python:3.12\\n'                       | whitespace
      'ghcr.io/org/app\\u0000:v1'            | control
      'ghcr.io/org/äpp:v1'                  | non-ASCII
      https://ghcr.io/org/app:v1            | URL scheme
      ghcr.io/org/App:v1                    | repository 'org/App'
      ghcr.io/../etc/passwd                 | repository '../etc/passwd'
      ghcr.io/org/./app                     | repository 'org/./app'
      ghcr.io/org//app                      | repository 'org//app'
      ghcr.io/org/app/                      | repository 'org/app/'
      /org/app                              | repository '/org/app'
      ghcr.io/org/-app                      | repository 'org/-app'
      ghcr.io/org/app.                      | repository 'org/app.'
      ghcr.io/org/a___b                     | repository 'org/a___b'
      ghcr.io/org/app?x=1                   | repository 'org/app?x=1'
      ghcr.io/org/app#frag                  | repository 'org/app#frag'
      ghcr.io/org/app%2fx                   | repository 'org/app%2fx'
      ghcr.io/org/app:                      | the tag
      ghcr.io/org/app:-x                    | the tag
      ghcr.io/org/app:.x                    | the tag
      ghcr.io/org/app:a/b                   | repository
      user:pass@ghcr.io/org/app             | after '@' must be a digest
      ghcr.io/org/app@sha256:abc            | after '@' must be a digest
      ghcr.io/org/app@md5:0123456789abcdef0123456789abcdef | after '@' must be a digest
      ghcr.io/org/app@@sha256:x             | after '@' must be a digest
      ghcr.io:99999/app                     | invalid port
      ghcr.io:0/app                         | invalid port
      ghcr.io:/app                          | invalid port
      -bad.example.com/app                  | not a valid host name
      bad-.example.com/app                  | not a valid host name
      bad..example.com/app                  | not a valid host name
      bad_host.example.com/app              | not a valid host name
      [zz::1]:5000/app                      | not a valid host name
      :tag                                  | repository is missing
      ghcr.io/                              | repository is missing
      """)
  void rejectsHostileAndMalformedInput(String text, String expectedProblem) {
    String input = text.replace("\\n", "\n").replace("\\u0000", "\u0000");
    assertThatThrownBy(() -> ImageReference.parse(input))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid image reference")
        .hasMessageContaining(expectedProblem)
        .satisfies(e -> assertThat(e.getMessage()).as("messages are printable").matches("[\\x20-\\x7e]*"));
  }

  @Test
  void doesNotRepeatCredentialsWrittenIntoAReference() {
    assertThatThrownBy(() -> ImageReference.parse("robot:s3cr3t-pass@ghcr.io/org/app:v1"))
        .hasMessageContaining("credentials do not belong in an image reference")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cr3t-pass"));
  }

  @Test
  void rejectsOverlongInputBeforeMatchingPatterns() {
    String longName = "a".repeat(100_000);
    assertThatThrownBy(() -> ImageReference.parse(longName))
        .hasMessageContaining("longer than")
        .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(300));
    assertThatThrownBy(() -> ImageReference.parse("ghcr.io/" + "a/".repeat(130) + "b"))
        .hasMessageContaining("longer than 255");
    assertThatThrownBy(() -> ImageReference.parse("app:" + "t".repeat(129)))
        .hasMessageContaining("the tag");
    assertThat(ImageReference.parse("app:" + "t".repeat(128)).tag()).hasSize(128);
  }

  @Test
  void constructorValidatesLikeParse() {
    assertThat(ImageReference.of("GHCR.io", "org/app", "v1").registry()).isEqualTo("ghcr.io");
    assertThatThrownBy(() -> ImageReference.of("ghcr.io", "org/../app", "v1"))
        .hasMessageContaining("repository");
    assertThatThrownBy(() -> ImageReference.of("ghcr.io", "org/app", "v1\r\nX-Evil: 1"))
        .hasMessageContaining("tag")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\r", "\n"));
    assertThatThrownBy(() -> new ImageReference("ghcr.io", "org/app", null, null))
        .hasMessageContaining("a tag or a digest is required");
    assertThatThrownBy(() -> ImageReference.of("evil.com/x", "app", "v1"))
        .hasMessageContaining("not a valid host name");
  }

  @Test
  void withTagDropsTheDigest() {
    ImageReference pinned = ImageReference.parse("ghcr.io/org/app:v1@" + DIGEST);
    assertThat(pinned.withTag("v2")).isEqualTo(ImageReference.of("ghcr.io", "org/app", "v2"));
  }
}
