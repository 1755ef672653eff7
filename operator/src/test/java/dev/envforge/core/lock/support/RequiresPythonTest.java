package dev.envforge.core.lock.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.envforge.core.lock.LockInputException;
import dev.envforge.core.lock.ProjectFiles;
import dev.envforge.core.lock.toml.Toml;
import dev.envforge.core.pep.Version;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequiresPythonTest {
  @Test
  void readsTheConstraintWhereItIsWritten() {
    var requiresPython = RequiresPython.of(Toml.parse("uv.lock", "version = 1\nrequires-python = \">=3.10\"\n"));

    assertThat(requiresPython.value().contains(Version.parse("3.12"))).isTrue();
    assertThat(requiresPython.value().contains(Version.parse("3.9"))).isFalse();
    assertThat(requiresPython.location()).hasToString("uv.lock:2:1");
    assertThat(RequiresPython.of(Toml.parse("uv.lock", "version = 1\n"))).isNull();
  }

  @Test
  void anInvalidConstraintIsReportedAtItsKey() {
    assertThatThrownBy(() -> RequiresPython.of(Toml.parse("pylock.toml", "a = 1\nrequires-python = \">=3.\\u0007\"\n")))
        .isInstanceOfSatisfying(LockInputException.class, e -> {
          assertThat(e.getMessage()).startsWith("pylock.toml:2:1: invalid requires-python '>=3.\\u0007': ");
        });
  }

  @Test
  void readsTheProjectBesideALock() {
    ProjectFiles files = ProjectFiles.of(Map.of("pyproject.toml", "[project]\nrequires-python = \"~=3.11\"\n"), "cm/");

    assertThat(RequiresPython.ofProject(files).contains(Version.parse("3.11.4"))).isTrue();
    assertThat(RequiresPython.ofProject(ProjectFiles.of(Map.of(), ""))).isNull();
    assertThat(RequiresPython.ofProject(ProjectFiles.of(Map.of("pyproject.toml", "[tool.x]\n"), ""))).isNull();
    assertThatThrownBy(() -> RequiresPython.ofProject(ProjectFiles.of(Map.of("pyproject.toml", "[project\n"), "cm/")))
        .hasMessageStartingWith("cm/pyproject.toml:1:9: malformed TOML: ");
  }
}
