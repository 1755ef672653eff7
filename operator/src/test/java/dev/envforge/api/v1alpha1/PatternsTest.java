package dev.envforge.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PatternsTest {

  private static boolean matches(String regex, String value) {
    // the API server searches (like find), the anchors make it a whole match
    return Pattern.compile(regex).matcher(value).find();
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "pyproject.toml", "packages/core/pyproject.toml", ".python-version", "a/.hidden/b", "..data/x", "a/...",
    "_build/x-y_z.1"
  })
  void relativePathAccepts(String path) {
    assertThat(matches(Patterns.RELATIVE_PATH, path)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "", "/etc/passwd", "..", "../x", "a/../b", "a/..", ".", "./a", "a/./b", "a//b", "a/", "a\\b", "a b", "~/x"
  })
  void relativePathRejects(String path) {
    assertThat(matches(Patterns.RELATIVE_PATH, path)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "app", "team/app", "registry.example.com/team/ml-env", "localhost:5000/app", "127.0.0.1:5000/a/b",
    "Registry.Example.COM/app", "ghcr.io/org/a__b", "r.io/a.b/c-d---e"
  })
  void imageRepositoryAccepts(String repository) {
    assertThat(matches(Patterns.IMAGE_REPOSITORY, repository)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "", "app:latest", "registry.example.com/app:1.0", "app@sha256:abc", "registry.example.com/App",
    "registry.example.com:port/app", "/app", "app/", "a//b", "-a/b", "a/-b", "a/b_"
  })
  void imageRepositoryRejects(String repository) {
    assertThat(matches(Patterns.IMAGE_REPOSITORY, repository)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"default", "cpu", "gpu-test", "a", "0", "abcdefghijklmnopqrstuvwxyz012345"})
  void variantNameAccepts(String name) {
    assertThat(matches(Patterns.VARIANT_NAME, name)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-a", "a-", "A", "a_b", "a.b", "abcdefghijklmnopqrstuvwxyz0123456"})
  void variantNameRejects(String name) {
    assertThat(matches(Patterns.VARIANT_NAME, name)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "my-config", "my.config.v1", "0abc"})
  void dnsSubdomainAccepts(String name) {
    assertThat(matches(Patterns.DNS_SUBDOMAIN, name)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "My", "a_b", "-a", "a.", ".a", "a..b"})
  void dnsSubdomainRejects(String name) {
    assertThat(matches(Patterns.DNS_SUBDOMAIN, name)).isFalse();
  }
}
