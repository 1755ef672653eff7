package dev.envforge.core.lock.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArtifactsTest {
  /** The hash syntax as a regular expression: the hand-written check must accept exactly this. */
  private static final Pattern HASH = Pattern.compile("[a-z0-9_]{2,20}:[0-9a-fA-F]{16,128}");

  @ParameterizedTest
  @ValueSource(strings = {
      "sha256:58cd2187c01e70e6e26505bca751777aa9f2ee0b7f4300988b709f44e013003f",
      "md5:0123456789ABCDEF", "blake2b_256:0123456789abcdef0123", "ab:0123456789abcdef",
      "a:0123456789abcdef", "abcdefghijklmnopqrstu:0123456789abcdef", "sha256:0123456789abcde",
      "SHA256:0123456789abcdef", "sha-256:0123456789abcdef", "sha256:0123456789abcdeg", "sha256:0123456789abcdef:0",
      "sha256:０123456789abcdef", "sha256:٣123456789abcdef", ":0123456789abcdef", "sha256", "", "sha256:",
  })
  void isHashAcceptsWhatTheHashSyntaxAccepts(String text) {
    assertThat(Artifacts.isHash(text)).isEqualTo(HASH.matcher(text).matches());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ".", "..", "a/b.whl", "a\\b.whl", "a b.whl", "a\tb.whl", "a\u0085b.whl", "a\u2028b.whl",
      "a\u007fb.whl"})
  void refusesFileNamesThatAreNotPlain(String name) {
    assertThat(Artifacts.isPlainFilename(name)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"requests-2.31.0-py3-none-any.whl", "torch-2.1.0+cpu.tar.gz", "zoneinfo-é.tar.gz", "..a"})
  void acceptsPlainFileNames(String name) {
    assertThat(Artifacts.isPlainFilename(name)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://h/x/%2F", "https://h/x/..", "https://h/x/", "https://h/x/a%20b.whl",
      "https://h/x/a%5Cb.whl", "https://h/x/a%zz.whl"})
  void filenameOfRefusesWhatIsNotAPlainName(String url) {
    assertThat(Artifacts.filenameOf(url)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://h/x/torch-2.1.0%2Bcpu-cp311-none-linux_x86_64.whl?x=1#sha256=00",
      "C:\\wheels\\torch-2.1.0+cpu-cp311-none-linux_x86_64.whl"})
  void filenameOfDecodesTheLastSegment(String url) {
    assertThat(Artifacts.filenameOf(url)).isEqualTo("torch-2.1.0+cpu-cp311-none-linux_x86_64.whl");
  }
}
