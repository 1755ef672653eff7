package dev.envforge.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.api.v1alpha1.EnvforgeApi.Conditions;
import dev.envforge.api.v1alpha1.Reason;
import dev.envforge.api.v1alpha1.PythonEnvironment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The operator applies the one Python-version rule of the core: every spelling of the default version finds the
 * image the default made, and a version the project's requires-python excludes is InvalidSpec naming spec.python.
 */
class PythonVersionTest extends OperatorWithRegistry {
  static final String NS = "team-py";
  static final String CASE = "corpus/uv-All-Hands-AI-OpenHands/"; // requires-python >=3.12

  @Test
  void everySpellingOfTheDefaultFindsTheDefaultsImage() {
    String pyproject = OperatorHarness.resource(CASE + "pyproject.toml");
    String lock = OperatorHarness.resource(CASE + "uv.lock");
    String tag = OperatorHarness.tagOf(Map.of("pyproject.toml", pyproject, "uv.lock", lock), List.of());
    registry.pushRandomImage("python/env", tag);
    String repo = registry.hostPort() + "/python/env";
    for (String python : new String[] {null, "3.12", "3.12.7", "3.12.2"}) {
      String name = "env-" + (python == null ? "default" : python.replace('.', '-'));
      PythonEnvironment pe = OperatorHarness.environment(NS, name, pyproject, lock, repo);
      pe.getSpec().setPython(python);
      k8s.apply(pe);
      PythonEnvironment ready = k8s.awaitCondition(NS, name, Conditions.READY, "True", Reason.CACHED.wire());
      assertThat(ready.getStatus().getVariants().get(0).getTag()).as("spec.python %s", python).isEqualTo(tag);
      assertThat(ready.getStatus().getVariants().get(0).getPython()).isEqualTo("3.12");
    }
    assertThat(k8s.jobs()).isEmpty();
  }

  @Test
  void aVersionRequiresPythonExcludesIsInvalidSpecNamingTheField() {
    PythonEnvironment pe = OperatorHarness.environment(NS, "old", OperatorHarness.resource(CASE + "pyproject.toml"),
        OperatorHarness.resource(CASE + "uv.lock"), registry.hostPort() + "/python/old");
    pe.getSpec().setPython("3.11");
    k8s.apply(pe);

    PythonEnvironment invalid = k8s.awaitCondition(NS, "old", Conditions.INVALID_SPEC, "True",
        Reason.PYTHON_EXCLUDED.wire());
    assertThat(invalid.getStatus().condition(Conditions.INVALID_SPEC).get().getMessage())
        .isEqualTo("spec.python: python '3.11' is excluded by the project's requires-python '>=3.12' (3.11 is"
            + " evaluated as 3.11.7); give a version it allows");
    assertThat(invalid.getStatus().condition(Conditions.READY).get().getReason()).isEqualTo(Reason.PYTHON_EXCLUDED.wire());
    assertThat(k8s.jobs()).isEmpty();

    k8s.edit(NS, "old", e -> {
      e.getSpec().setPython("3.12");
      return e;
    });
    k8s.awaitCondition(NS, "old", Conditions.INVALID_SPEC, "False", null);
  }
}
