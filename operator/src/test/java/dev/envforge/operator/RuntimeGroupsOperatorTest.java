package dev.envforge.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.api.v1alpha1.EnvforgeApi.Conditions;
import dev.envforge.api.v1alpha1.Reason;
import dev.envforge.api.v1alpha1.PythonEnvironment;
import dev.envforge.api.v1alpha1.Variant;
import dev.envforge.api.v1alpha1.VariantStatus;
import dev.envforge.core.lock.ProjectFiles;
import dev.envforge.core.plan.Selection;
import dev.envforge.core.planner.EnvironmentPlanner;
import dev.envforge.core.planner.PlanOutcome;
import dev.envforge.core.planner.PlanningRequest;
import dev.envforge.core.planner.VariantRequest;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Runtime groups in the operator, on langgraph's real uv.lock (its "lint" group renamed "exp"): the variant's image
 * and tag stay those of the variant without them, the runtime requirements go to an owned, immutable ConfigMap named
 * from its content and named in the status, a stale one is deleted, and a bad runtime group is InvalidSpec.
 */
class RuntimeGroupsOperatorTest extends OperatorWithRegistry {
  static final String NS = "runtime";

  static Variant withRuntime(String name, String... runtimeGroups) {
    Variant v = new Variant(name);
    v.setRuntimeGroups(List.of(runtimeGroups));
    return v;
  }

  static String requirements(List<String> runtimeGroups) {
    PlanOutcome outcome = EnvironmentPlanner.outcome(ProjectFiles.of(Map.of("pyproject.toml",
        GovernanceTest.PYPROJECT, "uv.lock", GovernanceTest.LOCK), ""), PlanningRequest.DEFAULTS,
        new VariantRequest("default", Selection.MAIN, runtimeGroups), null);
    return ((PlanOutcome.Planned) outcome).runtime().requirements();
  }

  List<ConfigMap> runtimeConfigMaps() {
    return k8s.client.configMaps().inNamespace(NS).withLabel(Labels.COMPONENT, RuntimeConfigMaps.COMPONENT).list()
        .getItems();
  }

  VariantStatus awaitRuntimeConfigMap(String expected) {
    k8s.awaitOrDescribe("status.variants[0].runtimeConfigMap " + expected, () -> {
      PythonEnvironment pe = k8s.get(NS, "env");
      return pe.getStatus() != null && pe.getStatus().getVariants() != null
          && java.util.Objects.equals(expected, pe.getStatus().getVariants().get(0).getRuntimeConfigMap());
    });
    return k8s.get(NS, "env").getStatus().getVariants().get(0);
  }

  @Test
  void theRuntimeRequirementsGoToAnOwnedConfigMapAndTheImageStaysTheSame() {
    String repo = registry.hostPort() + "/runtime/env";
    String tag = GovernanceTest.tagOf(GovernanceTest.LOCK, List.of());
    registry.pushRandomImage("runtime/env", tag);
    PythonEnvironment applied = k8s.apply(OperatorHarness.environment(NS, "env", GovernanceTest.PYPROJECT,
        GovernanceTest.LOCK, repo, withRuntime("default", "exp")));
    PythonEnvironment ready = k8s.awaitCondition(NS, "env", Conditions.READY, "True", Reason.CACHED.wire());

    VariantStatus v = ready.getStatus().getVariants().get(0);
    assertThat(v.getTag()).as("the tag of the variant without runtime groups").isEqualTo(tag);
    assertThat(k8s.jobs()).as("nothing built").isEmpty();
    String expected = requirements(List.of("exp"));
    assertThat(expected).contains("--index-url https://pypi.org/simple\n").contains(" \\\n    --hash=sha256:");
    v = awaitRuntimeConfigMap(v.getRuntimeConfigMap() == null ? "none" : v.getRuntimeConfigMap());
    assertThat(v.getRuntimeConfigMap()).startsWith("envforge-runtime-");
    assertThat(v.getRuntimePackages()).isEqualTo(expected.split("\n==|==").length - 1);
    ConfigMap cm = k8s.client.configMaps().inNamespace(NS).withName(v.getRuntimeConfigMap()).get();
    assertThat(cm.getData()).containsExactly(Map.entry(RuntimeConfigMaps.KEY, expected));
    assertThat(cm.getImmutable()).isTrue();
    assertThat(cm.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
      assertThat(o.getKind()).isEqualTo("PythonEnvironment");
      assertThat(o.getUid()).isEqualTo(applied.getMetadata().getUid());
      assertThat(o.getController()).isTrue();
    });
    assertThat(cm.getMetadata().getLabels()).containsEntry(Labels.OWNER_UID, applied.getMetadata().getUid())
        .containsEntry(Labels.VARIANT, "default").containsEntry(Labels.MANAGED_BY, "envforge");
    assertThat(cm.getMetadata().getName()).isEqualTo(RuntimeConfigMaps.name("env", "default",
        new dev.envforge.core.runtime.RuntimePlan(List.of("exp"), List.of(), expected)));

    // another runtime group: a new ConfigMap, the old one deleted, the image unchanged
    k8s.edit(NS, "env", pe -> {
      pe.getSpec().setVariants(List.of(withRuntime("default", "exp", "test")));
      return pe;
    });
    String first = v.getRuntimeConfigMap();
    k8s.awaitOrDescribe("a new runtime ConfigMap", () -> {
      VariantStatus now = k8s.get(NS, "env").getStatus().getVariants().get(0);
      return now.getRuntimeConfigMap() != null && !now.getRuntimeConfigMap().equals(first);
    });
    VariantStatus second = k8s.get(NS, "env").getStatus().getVariants().get(0);
    assertThat(second.getTag()).isEqualTo(tag);
    k8s.awaitOrDescribe("only the new runtime ConfigMap", () -> runtimeConfigMaps().stream()
        .map(c -> c.getMetadata().getName()).toList().equals(List.of(second.getRuntimeConfigMap())));
    assertThat(k8s.client.configMaps().inNamespace(NS).withName(second.getRuntimeConfigMap()).get().getData()
        .get(RuntimeConfigMaps.KEY)).isEqualTo(requirements(List.of("exp", "test")));

    // deleted by hand: written again
    k8s.client.configMaps().inNamespace(NS).withName(second.getRuntimeConfigMap()).delete();
    k8s.awaitOrDescribe("the runtime ConfigMap written again", () -> k8s.client.configMaps().inNamespace(NS)
        .withName(second.getRuntimeConfigMap()).get() != null);

    // no runtime groups any more: no ConfigMap, nothing in the status
    k8s.edit(NS, "env", pe -> {
      pe.getSpec().setVariants(List.of(new Variant("default")));
      return pe;
    });
    VariantStatus without = awaitRuntimeConfigMap(null);
    assertThat(without.getRuntimePackages()).isNull();
    assertThat(without.getTag()).isEqualTo(tag);
    k8s.awaitOrDescribe("no runtime ConfigMap", () -> runtimeConfigMaps().isEmpty());
  }

  @Test
  void anUnknownRuntimeGroupIsInvalidSpecNamingTheField() {
    String repo = registry.hostPort() + "/runtime/bad";
    k8s.apply(OperatorHarness.environment(NS, "bad", GovernanceTest.PYPROJECT, GovernanceTest.LOCK, repo,
        withRuntime("default", "nope")));

    PythonEnvironment pe = k8s.awaitCondition(NS, "bad", Conditions.READY, "False", Reason.INVALID_SPEC.wire());

    assertThat(pe.getStatus().condition(Conditions.READY).get().getMessage())
        .startsWith("spec.variants[0] (default): runtimeGroups: ").contains("nope");
    assertThat(runtimeConfigMaps()).isEmpty();
  }

  @Test
  void aPolicyForbiddingRuntimeGroupsStopsTheVariantAndItsConfigMap() {
    String governed = "production";
    k8s.client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
        .withName(governed).addToLabels("envforge.dev/stage", "production").endMetadata().build()).create();
    dev.envforge.api.v1alpha1.EnvironmentPolicy policy = new dev.envforge.api.v1alpha1.EnvironmentPolicy();
    policy.getMetadata().setName("no-runtime-groups");
    dev.envforge.api.v1alpha1.EnvironmentPolicySpec spec = new dev.envforge.api.v1alpha1.EnvironmentPolicySpec();
    io.fabric8.kubernetes.api.model.LabelSelector selector = new io.fabric8.kubernetes.api.model.LabelSelector();
    selector.setMatchLabels(Map.of("envforge.dev/stage", "production"));
    spec.setNamespaceSelector(selector);
    dev.envforge.api.v1alpha1.PolicyRulesSpec rules = new dev.envforge.api.v1alpha1.PolicyRulesSpec();
    rules.setForbidRuntimeGroups(true);
    spec.setRules(rules);
    policy.setSpec(spec);
    k8s.client.resource(policy).create();
    String repo = registry.hostPort() + "/runtime/prod";
    registry.pushRandomImage("runtime/prod", GovernanceTest.tagOf(GovernanceTest.LOCK, List.of()));

    k8s.apply(OperatorHarness.environment(governed, "env", GovernanceTest.PYPROJECT, GovernanceTest.LOCK, repo,
        withRuntime("default", "exp")));
    PythonEnvironment pe = k8s.awaitCondition(governed, "env", Conditions.POLICY_VIOLATION, "True",
        Reason.POLICY_VIOLATED.wire());

    assertThat(pe.getStatus().condition(Conditions.POLICY_VIOLATION).get().getMessage())
        .contains("policy no-runtime-groups: forbidRuntimeGroups: variant default: runtime groups ['exp']");
    assertThat(pe.getStatus().getVariants().get(0).getReason()).isEqualTo(Reason.POLICY_VIOLATED.wire());
    assertThat(pe.getStatus().getVariants().get(0).getRuntimeConfigMap()).isNull();
    assertThat(k8s.client.configMaps().inNamespace(governed).withLabel(Labels.COMPONENT,
        RuntimeConfigMaps.COMPONENT).list().getItems()).isEmpty();
  }
}
