package dev.envforge.core.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.envforge.core.lock.ProjectFiles;
import dev.envforge.core.plan.PythonTargets;
import dev.envforge.core.plan.PythonVersionException;
import dev.envforge.core.plan.Target;
import dev.envforge.core.recipe.Installer;
import dev.envforge.testing.Corpus;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one Python-version rule (PythonTargets): every spelling of a minor version, and the default, is one image when
 * it installs the same packages; markers that tell patch releases apart give other packages and so another tag; a
 * version the project's requires-python excludes is refused as a problem of the request.
 */
class PythonVersionRuleTest {
  static final Path POETRY = Corpus.dir("poetry-python-poetry-poetry"); // requires-python >=3.10,<4.0
  static final Path UV_312 = Corpus.dir("uv-All-Hands-AI-OpenHands"); // requires-python >=3.12
  static final Path ZYLON = Corpus.dir("poetry-zylon-ai-private-gpt"); // python >=3.11,<3.12
  static final Path PATCH_MARKERS = Path.of("src/test/resources/python-rule/patch-markers");

  static VariantPlan plan(Path dir, String python) {
    return EnvironmentPlanner.plan(ProjectFiles.of(dir), new PlanningRequest(null,
        new Target(python, Target.DEFAULT_PLATFORM), null, Installer.UV), new VariantRequest("default",
        dev.envforge.core.plan.Selection.MAIN));
  }

  @ParameterizedTest
  @ValueSource(strings = {"3.12", "3.12.7", "3.12.0", "3.12.3", "3.12.11"})
  void everySpellingOfTheDefaultIsOneTag(String python) {
    VariantPlan byDefault = plan(POETRY, null);
    VariantPlan spelled = plan(POETRY, python);
    assertThat(spelled.recipe().python()).isEqualTo("3.12");
    assertThat(spelled.recipe().baseImage()).isEqualTo("docker.io/library/python:3.12-slim-bookworm");
    assertThat(spelled.hash().tag()).isEqualTo(byDefault.hash().tag());
    assertThat(byDefault.hash().canonicalDocument()).contains("\"python\":\"3.12\"");
  }

  @Test
  void anotherMinorVersionIsAnotherTag() {
    assertThat(plan(POETRY, "3.13").hash().tag()).isNotEqualTo(plan(POETRY, "3.12").hash().tag());
  }

  @Test
  void aBareMinorVersionIsItsReferencePatchReleaseForMarkers() {
    assertThat(plan(POETRY, "3.12").plan().environment().pythonFullVersion()).isEqualTo("3.12.7");
    assertThat(plan(POETRY, null).plan().environment().pythonFullVersion()).isEqualTo("3.12.7");
    assertThat(plan(POETRY, "3.12.2").plan().environment().pythonFullVersion()).isEqualTo("3.12.2");
    assertThat(plan(POETRY, "3.12").plan().environment().pythonVersion()).isEqualTo("3.12");
  }

  @Test
  void markersThatTellPatchReleasesApartGiveOtherPackagesAndAnotherTag() {
    VariantPlan minor = plan(PATCH_MARKERS, "3.12");
    VariantPlan early = plan(PATCH_MARKERS, "3.12.3");
    VariantPlan late = plan(PATCH_MARKERS, "3.12.4");
    assertThat(versions(minor)).containsEntry("alpha", "2.0");
    assertThat(versions(early)).containsEntry("alpha", "1.0");
    assertThat(early.hash().tag()).isNotEqualTo(minor.hash().tag());
    // same packages, same recipe: one tag, whichever spelling
    assertThat(late.hash().tag()).isEqualTo(minor.hash().tag()).isEqualTo(plan(PATCH_MARKERS, null).hash().tag());
    assertThat(early.recipe().python()).isEqualTo("3.12");
  }

  @ParameterizedTest
  @ValueSource(strings = {"3.11", "3.11.9", "3.9"})
  void aVersionRequiresPythonExcludesIsAProblemOfThePythonVersion(String python) {
    assertThatThrownBy(() -> plan(UV_312, python)).isInstanceOf(PythonVersionException.class)
        .hasMessageStartingWith("python '" + python + "' is excluded by the project's requires-python '>=3.12'")
        .hasMessageNotContaining("\n");
    PlanOutcome outcome = EnvironmentPlanner.outcome(ProjectFiles.of(UV_312), new PlanningRequest(null,
        new Target(python, Target.DEFAULT_PLATFORM), null, Installer.UV), new VariantRequest("default",
        dev.envforge.core.plan.Selection.MAIN), null);
    assertThat(outcome).isInstanceOfSatisfying(PlanOutcome.Refused.class, refused -> {
      assertThat(refused.problem().kind()).isEqualTo(PlanningProblem.Kind.PYTHON);
      assertThat(refused.problem().message()).contains("requires-python");
    });
  }

  @Test
  void theExclusionIsJudgedAtTheVersionMarkersSee() {
    // ">=3.11,<3.12": 3.12 (3.12.7) is out, 3.11 (3.11.7) and 3.11.2 are in
    assertThatThrownBy(() -> plan(ZYLON, "3.12")).isInstanceOf(PythonVersionException.class)
        .hasMessageContaining("3.12 is evaluated as 3.12.7");
    assertThat(plan(ZYLON, "3.11").recipe().python()).isEqualTo("3.11");
    assertThat(plan(ZYLON, "3.11.2").hash().tag()).isEqualTo(plan(ZYLON, "3.11").hash().tag());
  }

  @Test
  void withoutAVersionTheDefaultOrTheHighestAllowedFallback() {
    assertThat(plan(ZYLON, null).recipe().python()).isEqualTo("3.11");
    assertThat(plan(ZYLON, null).hash().tag()).isEqualTo(plan(ZYLON, "3.11").hash().tag());
    assertThat(PythonTargets.choose(null, null)).isEqualTo("3.12.7");
    assertThat(PythonTargets.choose(null, dev.envforge.core.pep.VersionConstraint.parsePep440(">=3.13")))
        .isEqualTo("3.13.7");
    assertThat(PythonTargets.choose(null, dev.envforge.core.pep.VersionConstraint.parsePep440("<3.11")))
        .isEqualTo("3.10.7");
    assertThatThrownBy(() -> PythonTargets.choose(null,
        dev.envforge.core.pep.VersionConstraint.parsePep440(">=3.14")))
        .isInstanceOf(PythonVersionException.class)
        .hasMessage("python: the project's requires-python '>=3.14' allows none of 3.12, 3.13, 3.11, 3.10, 3.9,"
            + " the versions envforge chooses by itself; give the version explicitly");
    assertThat(PythonTargets.choose("3.14", dev.envforge.core.pep.VersionConstraint.parsePep440(">=3.14")))
        .isEqualTo("3.14.7");
  }

  private static Map<String, String> versions(VariantPlan plan) {
    Map<String, String> versions = new java.util.TreeMap<>();
    plan.plan().packages().forEach(p -> versions.put(p.name(), p.version()));
    return versions;
  }
}
