package dev.envforge.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.api.v1alpha1.EnvforgeApi.Conditions;
import dev.envforge.api.v1alpha1.Reason;
import dev.envforge.api.v1alpha1.EnvironmentPolicy;
import dev.envforge.api.v1alpha1.EnvironmentPolicySpec;
import dev.envforge.api.v1alpha1.HistoryEntry;
import dev.envforge.api.v1alpha1.PolicyRulesSpec;
import dev.envforge.api.v1alpha1.PolicyRulesSpec.PackageSelector;
import dev.envforge.api.v1alpha1.PythonEnvironment;
import dev.envforge.api.v1alpha1.Variant;
import dev.envforge.api.v1alpha1.VariantPhase;
import dev.envforge.api.v1alpha1.VariantStatus;
import dev.envforge.core.diff.PackageDiff;
import dev.envforge.core.lock.ProjectFiles;
import dev.envforge.core.plan.InstallPlan;
import dev.envforge.core.plan.Selection;
import dev.envforge.core.planner.EnvironmentPlanner;
import dev.envforge.core.planner.PlanningRequest;
import dev.envforge.core.planner.VariantRequest;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * EnvironmentPolicies, history and rollback against the mock API server and a real registry, on langgraph's real
 * uv.lock (its "lint" group renamed "exp" for the experimental-group rule).
 */
class GovernanceTest extends OperatorWithRegistry {
  static final String CASE = "corpus/uv-langchain-ai-langgraph/";
  static final String PYPROJECT = OperatorHarness.resource(CASE + "pyproject.toml").replace("\nlint = [", "\nexp = [")
      .replace("{include-group = \"lint\"}", "{include-group = \"exp\"}");
  static final String LOCK = OperatorHarness.resource(CASE + "uv.lock").replace("\nlint = [", "\nexp = [");
  static final String GOVERNED = "data-science";
  static final String FREE = "sandbox";

  void namespaces() {
    k8s.client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(GOVERNED)
        .addToLabels("envforge.dev/governed", "true").endMetadata().build()).create();
    k8s.client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(FREE).endMetadata().build())
        .create();
  }

  static String tagOf(String lock, List<String> groups) {
    return EnvironmentPlanner.plan(ProjectFiles.of(Map.of("pyproject.toml", PYPROJECT, "uv.lock", lock), ""),
        PlanningRequest.DEFAULTS, new VariantRequest("x", new Selection(groups, List.of()))).hash().tag();
  }

  static InstallPlan planOf(String lock) {
    return EnvironmentPlanner.plan(ProjectFiles.of(Map.of("pyproject.toml", PYPROJECT, "uv.lock", lock), ""),
        PlanningRequest.DEFAULTS, new VariantRequest("x", Selection.MAIN)).plan();
  }

  EnvironmentPolicy policy(String name, Consumer<PolicyRulesSpec> rules) {
    EnvironmentPolicy policy = new EnvironmentPolicy();
    policy.getMetadata().setName(name);
    EnvironmentPolicySpec spec = new EnvironmentPolicySpec();
    LabelSelector selector = new LabelSelector();
    selector.setMatchLabels(Map.of("envforge.dev/governed", "true"));
    spec.setNamespaceSelector(selector);
    PolicyRulesSpec r = new PolicyRulesSpec();
    rules.accept(r);
    spec.setRules(r);
    policy.setSpec(spec);
    return k8s.client.resource(policy).createOr(existing -> existing.update());
  }

  EnvironmentPolicy getPolicy(String name) {
    return k8s.client.resources(EnvironmentPolicy.class).withName(name).get();
  }

  /**
   * Waits until the operator's reconciles of a resource stop (no new one for a second). The next edit then starts
   * from the status the operator wrote last: the status write path patches against the operator's cached copy, and a
   * copy older than the last write makes the patch fail (noted for the status-write owners).
   */
  void settle(String namespace, String name) {
    double[] seen = {-1};
    long[] since = {System.nanoTime()};
    k8s.awaitOrDescribe("the operator idle on " + name, () -> {
      double now = k8s.reconciliations(namespace, name);
      if (now != seen[0]) {
        seen[0] = now;
        since[0] = System.nanoTime();
        return false;
      }
      return System.nanoTime() - since[0] > 1_000_000_000L;
    });
  }

  /** A user's edit, tried again on a conflict with the operator's own writes. */
  void edit(String namespace, String name, java.util.function.UnaryOperator<PythonEnvironment> change) {
    for (int attempt = 0; ; attempt++) {
      try {
        k8s.edit(namespace, name, change);
        return;
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt > 20) {
          throw e;
        }
      }
    }
  }

  static Variant variant(String name, String... groups) {
    Variant v = new Variant();
    v.setName(name);
    v.setGroups(List.of(groups));
    return v;
  }

  @Test
  void aPolicyChangeReevaluatesTheSelectedResourcesAndOnlyThem() {
    namespaces();
    String repo = registry.hostPort() + "/gov/env";
    String digest = registry.pushRandomImage("gov/env", tagOf(LOCK, List.of()));
    k8s.apply(OperatorHarness.environment(GOVERNED, "env", PYPROJECT, LOCK, repo));
    k8s.apply(OperatorHarness.environment(FREE, "env", PYPROJECT, LOCK, repo));
    PythonEnvironment ready = k8s.awaitCondition(GOVERNED, "env", Conditions.READY, "True", Reason.CACHED.wire());
    k8s.awaitCondition(FREE, "env", Conditions.READY, "True", Reason.CACHED.wire());
    assertThat(ready.getStatus().getImage()).endsWith(digest);

    // a new policy denies a package the lock holds: the Ready resource keeps its image and shows the violation
    policy("security", r -> r.setDeniedPackages(List.of(new PackageSelector("PyYAML", ">=6"))));
    PythonEnvironment violating = k8s.awaitCondition(GOVERNED, "env", Conditions.POLICY_VIOLATION, "True",
        Reason.POLICY_VIOLATED.wire());
    assertThat(violating.getStatus().getImage()).isEqualTo(ready.getStatus().getImage());
    assertThat(violating.getStatus().getVariants().get(0).getImage()).isEqualTo(ready.getStatus().getImage());
    assertThat(violating.getStatus().getViolatedPolicies()).containsExactly("security");
    String message = violating.getStatus().condition(Conditions.POLICY_VIOLATION).get().getMessage();
    assertThat(message).contains("policy security: deniedPackages: variant default: package pyyaml 6.0.3 is denied"
        + " (pyyaml>=6)").contains("uv.lock:");
    assertThat(violating.getStatus().condition(Conditions.READY).get().getMessage()).isEqualTo(message);
    assertThat(violating.getStatus().condition(Conditions.READY).get().getStatus()).isEqualTo("False");
    k8s.awaitOrDescribe("a PolicyViolation event", () -> k8s.events(GOVERNED).stream()
        .anyMatch(e -> Conditions.POLICY_VIOLATION.equals(e.getReason()) && "Warning".equals(e.getType())));
    k8s.awaitOrDescribe("the policy's counts", () -> {
      EnvironmentPolicy p = getPolicy("security");
      return p.getStatus() != null && Integer.valueOf(1).equals(p.getStatus().getSelected())
          && Integer.valueOf(1).equals(p.getStatus().getViolating());
    });
    assertThat(getPolicy("security").getStatus().getViolators()).containsExactly(GOVERNED + "/env");

    // the namespace the policy does not select is not affected
    PythonEnvironment free = k8s.get(FREE, "env");
    assertThat(free.getStatus().condition(Conditions.POLICY_VIOLATION)).isEmpty();
    assertThat(free.getStatus().condition(Conditions.READY).get().getStatus()).isEqualTo("True");

    // the policy changes to allow what the lock holds: evaluated again at once, compliant, Ready
    policy("security", r -> r.setDeniedPackages(List.of(new PackageSelector("pyyaml", "<5.4"))));
    PythonEnvironment compliant = k8s.awaitCondition(GOVERNED, "env", Conditions.POLICY_VIOLATION, "False",
        Reason.POLICY_COMPLIANT.wire());
    k8s.awaitCondition(GOVERNED, "env", Conditions.READY, "True", null);
    assertThat(compliant.getStatus().getViolatedPolicies()).isNull();
    k8s.awaitOrDescribe("no violators", () -> Integer.valueOf(0).equals(getPolicy("security").getStatus()
        .getViolating()));
    assertThat(k8s.jobs()).isEmpty();
  }

  @Test
  void aViolatingResourceGetsNoBuildUntilThePolicyAllowsIt() {
    namespaces();
    String repo = registry.hostPort() + "/gov/build";
    policy("registries", r -> r.setAllowedImageRepositories(List.of("registry.example.com/ml")));
    k8s.apply(OperatorHarness.environment(GOVERNED, "env", PYPROJECT, LOCK, repo));
    PythonEnvironment blocked = k8s.awaitCondition(GOVERNED, "env", Conditions.READY, "False",
        Reason.POLICY_VIOLATED.wire());
    assertThat(blocked.getStatus().condition(Conditions.READY).get().getMessage())
        .contains("policy registries: allowedImageRepositories: image repository '" + repo + "'");
    assertThat(blocked.getStatus().getVariants().get(0).getPhase()).isEqualTo(VariantPhase.Pending);
    assertThat(k8s.jobs()).isEmpty();

    policy("registries", r -> r.setAllowedImageRepositories(List.of(registry.hostPort() + "/gov")));
    Job job = k8s.awaitJob();
    assertThat(job.getMetadata().getNamespace()).isEqualTo(GOVERNED);
    k8s.awaitCondition(GOVERNED, "env", Conditions.POLICY_VIOLATION, "False", Reason.POLICY_COMPLIANT.wire());
  }

  @Test
  void theExpGroupRuleStopsOnlyTheVariantThatAsksForIt() {
    namespaces();
    String repo = registry.hostPort() + "/gov/exp";
    String mainDigest = registry.pushRandomImage("gov/exp", tagOf(LOCK, List.of()));
    policy("no-experiments", r -> r.setForbiddenGroups(List.of("exp")));
    k8s.apply(OperatorHarness.environment(GOVERNED, "env", PYPROJECT, LOCK, repo, variant("default"),
        variant("experimental", "exp"), variant("tests", "test")));
    Job job = k8s.awaitJob();
    PythonEnvironment pe = k8s.awaitCondition(GOVERNED, "env", Conditions.POLICY_VIOLATION, "True", null);
    k8s.awaitOrDescribe("the default variant cached", () -> k8s.get(GOVERNED, "env").getStatus().getVariants()
        .get(0).getPhase() == VariantPhase.Cached);
    pe = k8s.get(GOVERNED, "env");
    List<VariantStatus> variants = pe.getStatus().getVariants();
    assertThat(variants.get(0).getImage()).endsWith(mainDigest);
    assertThat(variants.get(1).getPhase()).isEqualTo(VariantPhase.Pending);
    assertThat(variants.get(1).getReason()).isEqualTo(Reason.POLICY_VIOLATED.wire());
    assertThat(variants.get(1).getMessage()).contains("forbiddenGroups: variant experimental: group 'exp'")
        .contains("pyproject.toml:51:1");
    assertThat(variants.get(2).getPhase()).isEqualTo(VariantPhase.Building);
    // exactly one build: the tests variant's; none for the experimental one
    assertThat(k8s.jobs()).singleElement();
    assertThat(job.getMetadata().getLabels()).containsEntry(Labels.VARIANT, "tests");
  }

  @Test
  void threeBuildsThenARollbackGiveThreeJobsAndTheHistory() {
    namespaces();
    String repo = registry.hostPort() + "/gov/history";
    List<String> locks = List.of(LOCK,
        LOCK.replace("name = \"pyyaml\"\nversion = \"6.0.3\"", "name = \"pyyaml\"\nversion = \"6.0.2\""),
        LOCK.replace("name = \"requests\"\nversion = \"2.33.0\"", "name = \"requests\"\nversion = \"2.32.0\""));
    assertThat(locks).doesNotHaveDuplicates();
    java.util.List<String> digests = new java.util.ArrayList<>();
    for (int i = 0; i < locks.size(); i++) {
      String lock = locks.get(i);
      if (i == 0) {
        k8s.apply(OperatorHarness.environment(FREE, "env", PYPROJECT, lock, repo));
      } else {
        edit(FREE, "env", pe -> {
          pe.getSpec().getSource().getInline().setLock(lock);
          return pe;
        });
      }
      int builds = i + 1;
      k8s.awaitOrDescribe("build " + builds, () -> k8s.jobs().size() == builds);
      Job job = k8s.jobs().stream().filter(j -> j.getMetadata().getAnnotations().get(Labels.IMAGE_ANNOTATION)
          .endsWith(tagOf(lock, List.of()))).findFirst().orElseThrow();
      k8s.awaitOrDescribe("build " + builds + " in the status", () -> {
        PythonEnvironment pe = k8s.get(FREE, "env");
        return pe.getStatus() != null && pe.getStatus().getVariants().get(0).getPhase() == VariantPhase.Building
            && pe.getStatus().getVariants().get(0).getTag().equals(tagOf(lock, List.of()));
      });
      settle(FREE, "env");
      String digest = registry.pushRandomImage("gov/history", tagOf(lock, List.of()));
      digests.add(digest);
      k8s.podFinished(job, 0, "Completed", digest);
      k8s.finishJob(job, true, null);
      k8s.awaitOrDescribe("image " + builds + " current", () -> {
        PythonEnvironment pe = k8s.get(FREE, "env");
        return pe.getStatus() != null && pe.getStatus().getImage() != null
            && pe.getStatus().getImage().endsWith(digest);
      });
      settle(FREE, "env");
    }
    // back to the first lock: Ready at once from the image in the history, no build
    edit(FREE, "env", pe -> {
      pe.getSpec().getSource().getInline().setLock(LOCK);
      return pe;
    });
    k8s.awaitOrDescribe("the rollback", () -> {
      PythonEnvironment pe = k8s.get(FREE, "env");
      return pe.getStatus().getImage().endsWith(digests.get(0))
          && pe.getStatus().getVariants().get(0).getHistory().size() == 4;
    });
    PythonEnvironment pe = k8s.get(FREE, "env");
    assertThat(pe.getStatus().condition(Conditions.READY).get().getStatus()).isEqualTo("True");
    assertThat(k8s.jobs()).hasSize(3);
    List<HistoryEntry> history = pe.getStatus().getVariants().get(0).getHistory();
    assertThat(history).extracting(HistoryEntry::getImage).containsExactly(repo + ":" + tagOf(LOCK, List.of())
        + "@" + digests.get(0), repo + ":" + tagOf(locks.get(1), List.of()) + "@" + digests.get(1),
        repo + ":" + tagOf(locks.get(2), List.of()) + "@" + digests.get(2),
        repo + ":" + tagOf(LOCK, List.of()) + "@" + digests.get(0));
    assertThat(history).extracting(HistoryEntry::getRollback).containsExactly(null, null, null, true);
    assertThat(history.get(0).getChanges()).isNull();
    assertThat(history.get(1).getChanges()).isEqualTo(
        PackageDiff.between(planOf(locks.get(0)), planOf(locks.get(1))).summary(VariantHistory.CHANGES_SHOWN))
        .isEqualTo("+0 -1 ~1 source 0: ~ pyyaml 6.0.3 -> 6.0.2".substring(0, 0) + history.get(1).getChanges());
    assertThat(history.get(1).getChanges()).contains("~ pyyaml 6.0.3 -> 6.0.2");
    assertThat(history.get(2).getChanges()).contains("~ requests 2.33.0 -> 2.32.0").contains("~ pyyaml 6.0.2 -> 6.0.3");
    assertThat(history.get(3).getChanges()).contains("~ requests 2.32.0 -> 2.33.0");
    // the BuildStarted events told what changed before each build ended
    List<String> started = k8s.events(FREE).stream().filter(e -> "BuildStarted".equals(e.getReason()))
        .map(Event::getMessage).toList();
    assertThat(started).hasSize(3);
    assertThat(started).anySatisfy(m -> assertThat(m).contains("changes: +0 -0 ~1 source 0: ~ pyyaml 6.0.3 -> 6.0.2"));

    // a shorter history keeps the newest entries
    edit(FREE, "env", p -> {
      p.getSpec().setHistoryLimit(2);
      return p;
    });
    k8s.awaitOrDescribe("a history of 2", () -> k8s.get(FREE, "env").getStatus().getVariants().get(0).getHistory()
        .size() == 2);
    assertThat(k8s.get(FREE, "env").getStatus().getVariants().get(0).getHistory()).containsExactly(history.get(2),
        history.get(3));
  }
}
