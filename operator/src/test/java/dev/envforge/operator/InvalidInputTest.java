package dev.envforge.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.api.v1alpha1.ConfigMapSource;
import dev.envforge.api.v1alpha1.EnvforgeApi.Conditions;
import dev.envforge.api.v1alpha1.Reason;
import dev.envforge.api.v1alpha1.LockSource;
import dev.envforge.api.v1alpha1.PythonEnvironment;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Inputs that cannot be used: the resource says what is wrong and where (InvalidSpec with a reason, the field, and
 * file:line:column for a lock), nothing is built, and other resources of the same operator are not held up. Also
 * the ConfigMap source in the shape kustomize's configMapGenerator writes.
 */
class InvalidInputTest extends OperatorWithRegistry {
  static final String NS = "team-a";
  static final String UV_CASE = "corpus/uv-langchain-ai-langgraph/";
  static final String POETRY_CASE = "corpus/poetry-langchain-ai-langgraph/";



  @Test
  void malformedLockNamesFileLineAndColumnAndDoesNotHoldUpOthers() {
    String pyproject = OperatorHarness.resource(UV_CASE + "pyproject.toml");
    String lock = OperatorHarness.resource(UV_CASE + "uv.lock");
    // line 2 is "revision = 3": a second '=' at column 12 is not TOML
    assertThat(lock.lines().toList().get(1)).isEqualTo("revision = 3");
    String broken = lock.replaceFirst("\nrevision = 3\n", "\nrevision = = 3\n");
    String repo = registry.hostPort() + "/invalid/env";
    registry.pushRandomImage("invalid/env", OperatorHarness.tagOf(
        Map.of("pyproject.toml", pyproject, "uv.lock", lock), List.of()));

    k8s.apply(OperatorHarness.environment(NS, "broken", pyproject, broken, repo));
    k8s.apply(OperatorHarness.environment(NS, "fine", pyproject, lock, repo));

    PythonEnvironment invalid = k8s.awaitCondition(NS, "broken", Conditions.INVALID_SPEC, "True",
        Reason.INVALID_LOCK.wire());
    String message = invalid.getStatus().condition(Conditions.INVALID_SPEC).get().getMessage();
    assertThat(message).contains("pythonenvironment/team-a/broken:spec.source.inline/uv.lock:2:12");
    assertThat(invalid.getStatus().condition(Conditions.READY).get()).satisfies(ready -> {
      assertThat(ready.getStatus()).isEqualTo("False");
      assertThat(ready.getReason()).isEqualTo(Reason.INVALID_LOCK.wire());
      assertThat(ready.getMessage()).isEqualTo(message);
    });
    assertThat(invalid.getStatus().getObservedGeneration()).isEqualTo(invalid.getMetadata().getGeneration());
    k8s.awaitCondition(NS, "fine", Conditions.READY, "True", Reason.CACHED.wire());
    assertThat(k8s.events(NS)).anySatisfy(e -> {
      assertThat(e.getReason()).isEqualTo(Reason.INVALID_LOCK.wire());
      assertThat(e.getType()).isEqualTo("Warning");
      assertThat(e.getInvolvedObject().getName()).isEqualTo("broken");
    });
    k8s.restartOperator();
    assertThat(k8s.jobs()).isEmpty();

    // the fix is a spec change
    k8s.edit(NS, "broken", pe -> {
      pe.getSpec().getSource().getInline().setLock(lock);
      return pe;
    });
    k8s.awaitCondition(NS, "broken", Conditions.READY, "True", Reason.CACHED.wire());
    assertThat(k8s.condition(NS, "broken", Conditions.INVALID_SPEC).get().getStatus()).isEqualTo("False");
  }

  /**
   * A lock that reads fine but cannot be built (here a PEP 751 vcs package without a version) is refused while
   * planning, like any other bad lock: InvalidSpec/InvalidLock, Stalled, no ReconcileError, no Job and no retry
   * loop; a fixed lock builds at once.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"version = \"1.0\"\nvcs = { type = \"git\", url = \"ssh://git@example.org/o/speedup.git\","
      + " commit-id = \"4ffaa97a9a438b913b73696e192b5575419407bc\" }",
      "vcs = { type = \"git\", url = \"https://example.org/o/speedup.git\","
      + " commit-id = \"4ffaa97a9a438b913b73696e192b5575419407bc\" }"})
  void lockThatReadsButCannotBeBuiltIsRefusedWhilePlanning(String vcsPackage) {
    String good = """
        lock-version = "1.0"
        created-by = "hand"
        requires-python = ">=3.9"

        [[packages]]
        name = "app-lib"
        version = "1.0"
        index = "https://example.org/simple/"
        wheels = [{ name = "app_lib-1.0-py3-none-any.whl", url = "https://example.org/f/app_lib-1.0-py3-none-any.whl", hashes = { sha256 = "%s" } }]
        """.formatted("ab".repeat(32));
    String unbuildable = good + "\n[[packages]]\nname = \"speedup\"\n" + vcsPackage + "\n";
    PythonEnvironment pe = OperatorHarness.environment(NS, "vcs", null, unbuildable,
        registry.hostPort() + "/vcs/env");
    pe.getSpec().getSource().setFormat(dev.envforge.api.v1alpha1.LockSourceFormat.PYLOCK);
    k8s.apply(pe);

    PythonEnvironment invalid = k8s.awaitCondition(NS, "vcs", Conditions.INVALID_SPEC, "True",
        Reason.INVALID_LOCK.wire());
    assertThat(invalid.getStatus().condition(Conditions.INVALID_SPEC).get().getMessage()).contains("cannot be built");
    assertThat(invalid.getStatus().condition(Conditions.READY).get().getReason())
        .isEqualTo(Reason.INVALID_LOCK.wire());
    assertThat(invalid.getStatus().condition(Conditions.STALLED).get().getStatus()).isEqualTo("True");
    k8s.reconcileWithoutChange(NS, "vcs");
    assertThat(k8s.get(NS, "vcs").getStatus().condition(Conditions.READY).get().getReason())
        .isEqualTo(Reason.INVALID_LOCK.wire());
    assertThat(k8s.jobs()).isEmpty();

    k8s.edit(NS, "vcs", e -> {
      e.getSpec().getSource().getInline().setLock(good);
      return e;
    });
    k8s.awaitJob();
    k8s.awaitCondition(NS, "vcs", Conditions.INVALID_SPEC, "False", Reason.SPEC_VALID.wire());
  }

  @Test
  void unknownGroupIsAnInvalidSpecNamingTheVariant() {
    k8s.apply(OperatorHarness.environment(NS, "env", OperatorHarness.resource(UV_CASE + "pyproject.toml"),
        OperatorHarness.resource(UV_CASE + "uv.lock"), registry.hostPort() + "/groups/env",
        LockChangeTest.variant("docs", "no-such-group")));

    PythonEnvironment invalid = k8s.awaitCondition(NS, "env", Conditions.INVALID_SPEC, "True", null);

    assertThat(invalid.getStatus().condition(Conditions.INVALID_SPEC).get().getMessage())
        .startsWith("spec.variants[0] (docs): ").contains("no-such-group");
    assertThat(k8s.jobs()).isEmpty();
  }

  @Test
  void missingPushSecretIsSecretNotFound() {
    PythonEnvironment pe = OperatorHarness.environment(NS, "env", null, BuildFailureTest.LOCK,
        registry.hostPort() + "/secret/env");
    pe.getSpec().getImage().setPushSecretRef(OperatorHarness.secretRef("no-such-secret"));

    k8s.apply(pe);

    PythonEnvironment invalid = k8s.awaitCondition(NS, "env", Conditions.INVALID_SPEC, "True",
        Reason.SECRET_NOT_FOUND.wire());
    assertThat(invalid.getStatus().condition(Conditions.INVALID_SPEC).get().getMessage())
        .contains("spec.image.pushSecretRef.name", "team-a/no-such-secret");
    assertThat(invalid.getStatus().condition(Conditions.READY).get().getReason()).isEqualTo(Reason.SECRET_NOT_FOUND.wire());
    assertThat(k8s.jobs()).isEmpty();
  }

  @Test
  void missingConfigMapIsConfigMapNotFound() {
    k8s.apply(fromConfigMap("env", "no-such-project", registry.hostPort() + "/cm/env"));

    PythonEnvironment invalid = k8s.awaitCondition(NS, "env", Conditions.INVALID_SPEC, "True",
        Reason.CONFIG_MAP_NOT_FOUND.wire());
    assertThat(invalid.getStatus().condition(Conditions.INVALID_SPEC).get().getMessage())
        .contains("spec.source.configMapRef.name", "team-a/no-such-project");
    assertThat(k8s.jobs()).isEmpty();
  }

  @Test
  void configMapInKustomizeGeneratorShapeIsRead() {
    // what `configMapGenerator: [{name: langgraph-project, files: [pyproject.toml, poetry.lock]}]` makes: the keys
    // are the file names, the name gets a content-hash suffix
    String pyproject = OperatorHarness.resource(POETRY_CASE + "pyproject.toml");
    String lock = OperatorHarness.resource(POETRY_CASE + "poetry.lock");
    k8s.client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata()
        .withName("langgraph-project-8g2hd7km4b").endMetadata()
        .withData(Map.of("pyproject.toml", pyproject, "poetry.lock", lock)).build()).create();
    String tag = OperatorHarness.tagOf(Map.of("pyproject.toml", pyproject, "poetry.lock", lock), List.of());
    String digest = registry.pushRandomImage("kustomize/env", tag);

    k8s.apply(fromConfigMap("env", "langgraph-project-8g2hd7km4b", registry.hostPort() + "/kustomize/env"));

    PythonEnvironment ready = k8s.awaitCondition(NS, "env", Conditions.READY, "True", Reason.CACHED.wire());
    assertThat(ready.getStatus().getImage()).isEqualTo(registry.hostPort() + "/kustomize/env:" + tag + "@" + digest);
  }

  private static PythonEnvironment fromConfigMap(String name, String configMap, String repository) {
    PythonEnvironment pe = OperatorHarness.environment(NS, name, null, "", repository);
    ConfigMapSource ref = new ConfigMapSource();
    ref.setName(configMap);
    LockSource source = new LockSource();
    source.setConfigMapRef(ref);
    pe.getSpec().setSource(source);
    return pe;
  }
}
