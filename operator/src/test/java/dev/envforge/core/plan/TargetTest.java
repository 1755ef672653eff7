package dev.envforge.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A target's Python version is checked where the target is made, so no number overflows further on. */
class TargetTest {
  @ParameterizedTest
  @ValueSource(strings = {"3.99999999999999999999", "3.12.99999999999999999999", "3", "2.7.18", "3.12.7.1",
      "3.12.7rc1", "3.12.-1", "3.1e5", "03.12.7", "3.12\n.7", "\u0663.12.7"})
  void refusesWhatIsNotACPython3Version(String python) {
    assertThatThrownBy(() -> new Target(python, "linux/amd64"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("python: expected a CPython 3 version such as 3.12.7, got '")
        .hasMessageNotContaining("\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"3.12.7", "3.13", "3.9.0", "3.10.999"})
  void acceptsCPython3Versions(String python) {
    assertThat(new Target(python, "linux/amd64").python()).isEqualTo(python);
  }
}
