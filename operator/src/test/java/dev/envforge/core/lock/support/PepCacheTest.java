package dev.envforge.core.lock.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.envforge.core.lock.toml.Location;
import dev.envforge.core.lock.toml.Toml;
import org.junit.jupiter.api.Test;

class PepCacheTest {
  private final Location first = Toml.parse("poetry.lock", "a = 1\nb = 2\n").location("a");
  private final Location second = Toml.parse("poetry.lock", "a = 1\nb = 2\n").location("b");

  @Test
  void parsesEachStringOnce() {
    PepCache pep = new PepCache();

    String marker = "python_version < \"3.11\"";
    assertThat(pep.marker(marker, first)).isSameAs(pep.marker(marker, second));
    assertThat(pep.poetryConstraint("^1.2", first)).isSameAs(pep.poetryConstraint("^1.2", second));
    assertThat(pep.pep440Constraint(">=1.2", first)).isSameAs(pep.pep440Constraint(">=1.2", second));
    assertThat(pep.packageName("Typing_Extensions", first)).isEqualTo("typing-extensions");
  }

  @Test
  void reportsABadStringWhereItIsWrittenEveryTime() {
    PepCache pep = new PepCache();

    assertThatThrownBy(() -> pep.marker("python_version <", first))
        .hasMessageStartingWith("poetry.lock:1:1: invalid marker 'python_version <': ");
    assertThatThrownBy(() -> pep.marker("python_version <", second))
        .hasMessageStartingWith("poetry.lock:2:1: invalid marker 'python_version <': ");
    assertThatThrownBy(() -> pep.extraName("no good", second))
        .hasMessage("poetry.lock:2:1: 'no good' is not a valid extra name");
    assertThatThrownBy(() -> pep.version("1.x", first))
        .hasMessageStartingWith("poetry.lock:1:1: invalid version '1.x'");
  }
}
