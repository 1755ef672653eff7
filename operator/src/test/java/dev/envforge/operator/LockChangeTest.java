package dev.envforge.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.api.v1alpha1.EnvforgeApi.Conditions;
import dev.envforge.api.v1alpha1.Reason;
import dev.envforge.api.v1alpha1.PythonEnvironment;
import dev.envforge.api.v1alpha1.Variant;
import dev.envforge.api.v1alpha1.VariantPhase;
import dev.envforge.api.v1alpha1.VariantStatus;
import dev.envforge.core.lock.ProjectFiles;
import dev.envforge.core.plan.Selection;
import dev.envforge.core.planner.EnvironmentPlanner;
import dev.envforge.core.planner.PlanningRequest;
import dev.envforge.core.planner.VariantRequest;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Edits of a real lock (langgraph's uv.lock) against a real registry: an edit that does not change what is installed
 * builds nothing and leaves the status as it was; an edit inside one variant's packages builds that variant only.
 */
class LockChangeTest extends OperatorWithRegistry {
  static final String CASE = "corpus/uv-langchain-ai-langgraph/";
  static final String PYPROJECT = OperatorHarness.resource(CASE + "pyproject.toml");
  static final String LOCK = OperatorHarness.resource(CASE + "uv.lock");
  static final String NS = "team-a";
  /** The wheel hash of codespell, a package of group "lint" only. */
  static final String CODESPELL_WHEEL_HASH = "af2505b335e8573dbd2d384d1c4ef498f4006f4ba2d6fceca01e55b91f52628a";



  static String tagOf(String lock, List<String> groups) {
    return EnvironmentPlanner.plan(ProjectFiles.of(Map.of("pyproject.toml", PYPROJECT, "uv.lock", lock), ""),
        PlanningRequest.DEFAULTS, new VariantRequest("x", new Selection(groups, List.of()))).hash().tag();
  }

  static Stream<Arguments> cosmeticEdits() {
    return Stream.of(
        Arguments.of("a comment", (UnaryOperator<String>) lock -> "# regenerated with uv lock\n" + lock),
        Arguments.of("two packages swapped", (UnaryOperator<String>) LockChangeTest::swapFirstTwoPackages),
        Arguments.of("another upload time", (UnaryOperator<String>) lock -> {
          String upload = "upload-time = \"2025-12-23T19:25:43.997Z\"";
          assertThat(lock).contains(upload);
          return lock.replace(upload, "upload-time = \"2026-01-02T03:04:05.678Z\"");
        }));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cosmeticEdits")
  void cosmeticLockEditBuildsNothingAndKeepsTheStatus(String edit, UnaryOperator<String> change) {
    String repo = registry.hostPort() + "/cosmetic/env";
    String digest = registry.pushRandomImage("cosmetic/env", tagOf(LOCK, List.of()));
    k8s.apply(OperatorHarness.environment(NS, "env", PYPROJECT, LOCK, repo));
    PythonEnvironment before = k8s.awaitCondition(NS, "env", Conditions.READY, "True", Reason.CACHED.wire());
    String edited = change.apply(LOCK);
    assertThat(edited).isNotEqualTo(LOCK);

    PythonEnvironment after = editLockAndAwaitObserved("env", edited);

    assertThat(k8s.jobs()).isEmpty();
    assertThat(after.getStatus().getImage()).isEqualTo(before.getStatus().getImage()).endsWith(digest);
    assertThat(withoutGeneration(after.getStatus().getVariants()))
        .isEqualTo(withoutGeneration(before.getStatus().getVariants()));
    assertThat(summary(after.getStatus().getConditions())).isEqualTo(summary(before.getStatus().getConditions()));
  }

  @Test
  void editInOneVariantsPackagesBuildsThatVariantOnly() {
    String repo = registry.hostPort() + "/variants/env";
    registry.pushRandomImage("variants/env", tagOf(LOCK, List.of()));
    registry.pushRandomImage("variants/env", tagOf(LOCK, List.of("lint")));
    k8s.apply(OperatorHarness.environment(NS, "env", PYPROJECT, LOCK, repo, variant("default"),
        variant("lint", "lint")));
    PythonEnvironment before = k8s.awaitCondition(NS, "env", Conditions.READY, "True", Reason.CACHED.wire());
    assertThat(before.getStatus().getVariantsReady()).isEqualTo("2/2");
    String edited = LOCK.replace(CODESPELL_WHEEL_HASH, CODESPELL_WHEEL_HASH.replace('a', 'b'));
    assertThat(edited).isNotEqualTo(LOCK);

    editLockAndAwaitObserved("env", edited);
    Job job = k8s.awaitJob();
    PythonEnvironment building = k8s.awaitCondition(NS, "env", Conditions.BUILDING, "True", null);

    assertThat(k8s.jobs()).singleElement();
    assertThat(job.getMetadata().getLabels()).containsEntry(Labels.VARIANT, "lint");
    assertThat(job.getMetadata().getAnnotations().get(Labels.IMAGE_ANNOTATION))
        .isEqualTo(repo + ":" + tagOf(edited, List.of("lint")));
    VariantStatus defaultVariant = building.getStatus().getVariants().get(0);
    VariantStatus lintVariant = building.getStatus().getVariants().get(1);
    assertThat(defaultVariant.getPhase()).isEqualTo(VariantPhase.Cached);
    assertThat(defaultVariant.getImage()).isEqualTo(before.getStatus().getVariants().get(0).getImage());
    assertThat(lintVariant.getPhase()).isEqualTo(VariantPhase.Building);
    assertThat(lintVariant.getTag()).isEqualTo(tagOf(edited, List.of("lint")))
        .isNotEqualTo(before.getStatus().getVariants().get(1).getTag());
    assertThat(building.getStatus().getVariantsReady()).isEqualTo("1/2");

    // the first variant's image stays the resource's image while the other one builds
    assertThat(building.getStatus().getImage()).isEqualTo(before.getStatus().getImage());
  }

  private PythonEnvironment editLockAndAwaitObserved(String name, String lock) {
    PythonEnvironment edited = k8s.edit(NS, name, pe -> {
      pe.getSpec().getSource().getInline().setLock(lock);
      return pe;
    });
    long generation = edited.getMetadata().getGeneration();
    k8s.awaitOrDescribe("observedGeneration " + generation, () -> {
      PythonEnvironment pe = k8s.get(NS, name);
      return pe.getStatus() != null && pe.getStatus().getObservedGeneration() == generation;
    });
    return k8s.get(NS, name);
  }

  static Variant variant(String name, String... groups) {
    Variant v = new Variant();
    v.setName(name);
    v.setGroups(List.of(groups));
    return v;
  }

  static String swapFirstTwoPackages(String lock) {
    String separator = "\n[[package]]\n";
    List<String> parts = new ArrayList<>(List.of(lock.split(java.util.regex.Pattern.quote(separator), -1)));
    assertThat(parts.size()).isGreaterThan(3);
    Collections.swap(parts, 1, 2);
    return String.join(separator, parts);
  }

  /** The variants without the generation they were last looked at (a spec edit moves it by design). */
  private static List<VariantStatus> withoutGeneration(List<VariantStatus> variants) {
    return variants.stream().map(v -> {
      VariantStatus copy = new io.fabric8.kubernetes.client.utils.KubernetesSerialization()
          .clone(v);
      copy.setGeneration(null);
      return copy;
    }).toList();
  }

  /** Type, status, reason, message and transition time of each condition: what a person and an alert see. */
  private static List<String> summary(List<Condition> conditions) {
    return conditions.stream().map(c -> c.getType() + "=" + c.getStatus() + " " + c.getReason() + " "
        + c.getLastTransitionTime() + " " + c.getMessage()).toList();
  }
}
