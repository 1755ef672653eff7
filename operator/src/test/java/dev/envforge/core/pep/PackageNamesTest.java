package dev.envforge.core.pep;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PackageNamesTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"Django, django", "zope.interface, zope-interface", "Foo__Bar, foo-bar", "a-_.-b, a-b",
      "typing_extensions, typing-extensions", "PyYAML, pyyaml", "backports.tarfile, backports-tarfile", "x, x"})
  void normalizes(String name, String normalized) {
    assertThat(PackageNames.normalize(name)).isEqualTo(normalized);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "A1", "zope.interface", "Foo_Bar-baz", "1password", "a.-_b"})
  void acceptsValidNames(String name) {
    assertThat(PackageNames.isValid(name)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-a", "a-", "a_", ".a", "a b", "a@b", "café"})
  void rejectsInvalidNames(String name) {
    assertThat(PackageNames.isValid(name)).isFalse();
  }
}
