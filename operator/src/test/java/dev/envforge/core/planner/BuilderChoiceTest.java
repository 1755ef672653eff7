package dev.envforge.core.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.envforge.core.assemble.Assemblability;
import dev.envforge.core.lock.ProjectFiles;
import dev.envforge.core.plan.Artifact;
import dev.envforge.core.plan.InstallPlan;
import dev.envforge.core.plan.PackageSource;
import dev.envforge.core.plan.PlannedPackage;
import dev.envforge.core.plan.Selection;
import dev.envforge.core.plan.Target;
import dev.envforge.core.planner.PlanOutcome.Refused;
import dev.envforge.core.recipe.Builder;
import dev.envforge.core.recipe.BuilderMode;
import dev.envforge.core.recipe.Installer;
import dev.envforge.testing.WheelProject;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The builder mode resolved per plan: auto assembles when it can, else Kaniko with the reason. Pure. */
class BuilderChoiceTest {
  static final String BOOKWORM = "docker.io/library/python:3.12-slim-bookworm";
  static final String WHEEL_SHA = "sha256:" + "a".repeat(64);

  static VariantPlan plan(BuilderMode mode, Selection selection, String baseImage, Installer installer) {
    return EnvironmentPlanner.plan(ProjectFiles.of(WheelProject.FILES, ""),
        new PlanningRequest(null, new Target("3.12.7", Target.DEFAULT_PLATFORM), baseImage, installer, mode),
        new VariantRequest("default", selection));
  }

  static VariantPlan plan(BuilderMode mode, Selection selection) {
    return plan(mode, selection, null, Installer.UV);
  }

  @Test
  void autoAssemblesAPlanWhosePackagesAllHaveWheels() {
    VariantPlan plan = plan(BuilderMode.AUTO, Selection.MAIN);
    assertThat(plan.recipe().builder()).isEqualTo(Builder.ASSEMBLE);
    assertThat(plan.builderReason())
        .isEqualTo("every package has a wheel for CPython 3.12.7 on x86_64 with glibc 2.36");
    assertThat(plan.hash().canonicalDocument()).contains("\"builder\":\"assemble\"");
  }

  @Test
  void autoFallsBackToKanikoNamingThePackageWithOnlyAnSdist() {
    VariantPlan plan = plan(BuilderMode.AUTO, new Selection(List.of(), List.of("legacy")));
    assertThat(plan.recipe().builder()).isEqualTo(Builder.KANIKO);
    assertThat(plan.builderReason()).isEqualTo("package pysocks 1.7.1 has no wheel for CPython 3.12.7 on x86_64"
        + " with glibc 2.36 (only an sdist, which must be built)");
  }

  @Test
  void explicitKanikoBuildsWithKanikoAndHashesAsBefore() {
    VariantPlan kaniko = plan(BuilderMode.KANIKO, Selection.MAIN);
    assertThat(kaniko.recipe().builder()).isEqualTo(Builder.KANIKO);
    assertThat(kaniko.builderReason()).isEqualTo("builder mode kaniko");
    // the Kaniko document has the shape of envforge versions without the assembler: their tags stay
    assertThat(kaniko.hash().canonicalDocument()).doesNotContain("builder")
        .contains("\"recipeVersion\":" + dev.envforge.core.recipe.BuildRecipe.RECIPE_VERSION,
        "\"installer\":\"uv\"");
    assertThat(plan(BuilderMode.AUTO, new Selection(List.of(), List.of("legacy"))).hash().canonicalDocument())
        .doesNotContain("builder");
  }

  @Test
  void explicitAssembleOnAPlanThatCannotBeAssembledIsRefusedNamingThePackage() {
    assertThatThrownBy(() -> plan(BuilderMode.ASSEMBLE, new Selection(List.of(), List.of("legacy"))))
        .isInstanceOf(BuilderRefusedException.class)
        .hasMessageContaining("builder mode assemble")
        .hasMessageContaining("package pysocks 1.7.1")
        .hasMessageContaining("only an sdist")
        .hasMessageContaining("auto or kaniko");
    PlanOutcome outcome = EnvironmentPlanner.outcome(ProjectFiles.of(WheelProject.FILES, ""),
        new PlanningRequest(null, Target.DEFAULT, null, Installer.UV, BuilderMode.ASSEMBLE),
        new VariantRequest("default", new Selection(List.of(), List.of("legacy"))), null);
    assertThat(outcome).isInstanceOfSatisfying(Refused.class, r -> {
      assertThat(r.problem().kind()).isEqualTo(PlanningProblem.Kind.BUILDER);
      assertThat(r.problem().message()).contains("pysocks");
    });
    VariantPlan assembled = plan(BuilderMode.ASSEMBLE, Selection.MAIN);
    assertThat(assembled.recipe().builder()).isEqualTo(Builder.ASSEMBLE);
    assertThat(assembled.builderReason()).startsWith("builder mode assemble; every package has a wheel");
  }

  @Test
  void theBuilderIsPartOfTheTagAndTheInstallerIsNotPartOfAnAssembledOne() {
    String assembled = plan(BuilderMode.AUTO, Selection.MAIN).hash().tag();
    String kaniko = plan(BuilderMode.KANIKO, Selection.MAIN).hash().tag();
    assertThat(assembled).isNotEqualTo(kaniko);
    assertThat(plan(BuilderMode.ASSEMBLE, Selection.MAIN).hash().tag()).as("auto names what it resolved to")
        .isEqualTo(assembled);
    assertThat(plan(BuilderMode.AUTO, Selection.MAIN, null, Installer.PIP).hash().tag())
        .as("the assembler runs no installer").isEqualTo(assembled);
    assertThat(plan(BuilderMode.KANIKO, Selection.MAIN, null, Installer.PIP).hash().tag()).isNotEqualTo(kaniko);
    assertThat(plan(BuilderMode.AUTO, Selection.MAIN, "docker.io/library/python:3.12-slim-trixie", Installer.UV)
        .hash().tag()).as("the base image still counts").isNotEqualTo(assembled);
  }

  @Test
  void aWheelForANewerGlibcIsAssembledOnlyOnABaseKnownToHaveIt() {
    Selection modern = new Selection(List.of("modern"), List.of());
    assertThat(plan(BuilderMode.AUTO, modern).recipe().builder()).as("bookworm has glibc 2.36")
        .isEqualTo(Builder.ASSEMBLE);
    VariantPlan custom = plan(BuilderMode.AUTO, modern, "registry.example.com/python:3.12", Installer.UV);
    assertThat(custom.recipe().builder()).isEqualTo(Builder.KANIKO);
    assertThat(custom.builderReason()).isEqualTo("package fastcodec 2.0.0 has no wheel for CPython 3.12.7 on"
        + " x86_64 with glibc 2.17 (its wheels are for other platforms or a newer glibc)");
    assertThat(plan(BuilderMode.AUTO, modern, BOOKWORM + "@sha256:" + "b".repeat(64), Installer.UV).recipe()
        .builder()).as("a pinned official image").isEqualTo(Builder.ASSEMBLE);
  }

  @Test
  void assumedGlibcFollowsTheOfficialImagesAndIsTheFloorOtherwise() {
    assertThat(Assemblability.assumedGlibcMinor(BOOKWORM)).isEqualTo(36);
    assertThat(Assemblability.assumedGlibcMinor("python:3.11-bookworm")).isEqualTo(36);
    assertThat(Assemblability.assumedGlibcMinor("docker.io/library/python:3.13-slim-trixie")).isEqualTo(41);
    assertThat(Assemblability.assumedGlibcMinor("python:3.10-bullseye")).isEqualTo(31);
    assertThat(Assemblability.assumedGlibcMinor("python:3.12-slim")).isEqualTo(Assemblability.GLIBC_FLOOR);
    assertThat(Assemblability.assumedGlibcMinor("ghcr.io/acme/python:3.12-slim-bookworm"))
        .as("not the official image, whatever its tag says").isEqualTo(Assemblability.GLIBC_FLOOR);
  }

  /** Every kind of package the assembler cannot install, alone in a plan: auto picks Kaniko and says why. */
  static Stream<Arguments> packagesThatNeedABuild() {
    return Stream.of(
        Arguments.of(PlannedPackage.python("legacy", "1.0", PackageSource.registry(PackageSource.PYPI),
            List.of(new Artifact("legacy-1.0.tar.gz", null, WHEEL_SHA))), "only an sdist"),
        Arguments.of(PlannedPackage.python("fromgit", "1.0", PackageSource.git("https://example.org/x.git", "abc1234",
            null), List.of()), "comes from git"),
        Arguments.of(PlannedPackage.python("archive", "1.0", PackageSource.url("https://example.org/a.tar.gz", null),
            List.of(new Artifact("a.tar.gz", "https://example.org/a.tar.gz", WHEEL_SHA))), "URL to an archive"),
        Arguments.of(PlannedPackage.python("hashesonly", "1.0", null, List.of(new Artifact(null, null, WHEEL_SHA))),
            "only hashes"),
        Arguments.of(PlannedPackage.python("nofiles", "1.0", null, List.of()), "no files at all"),
        Arguments.of(PlannedPackage.python("unchecked", "1.0", null,
            List.of(new Artifact("unchecked-1.0-py3-none-any.whl", null, null))), "no sha256"),
        Arguments.of(PlannedPackage.python("windows", "1.0", null,
            List.of(new Artifact("windows-1.0-cp312-cp312-win_amd64.whl", null, WHEEL_SHA))),
            "other platforms"),
        Arguments.of(new PlannedPackage("numpy", "1.0", null, "conda", List.of()), "conda package"));
  }

  @ParameterizedTest
  @MethodSource("packagesThatNeedABuild")
  void everyPackageThatNeedsABuildSendsAutoToKaniko(PlannedPackage needsBuild, String why) {
    PlannedPackage wheel = PlannedPackage.python("aaa-wheel", "1.0", null,
        List.of(new Artifact("aaa_wheel-1.0-py3-none-any.whl", null, WHEEL_SHA)));
    InstallPlan plan = new InstallPlan(null, Selection.MAIN, null, List.of(wheel, needsBuild), List.of());
    BuilderChoice choice = BuilderChoice.resolve(BuilderMode.AUTO, plan, BOOKWORM, "3.12.7", "linux/amd64");
    assertThat(choice.builder()).isEqualTo(Builder.KANIKO);
    assertThat(choice.reason()).startsWith("package " + needsBuild.name() + " 1.0").contains(why)
        .doesNotContain("Kaniko recipe");
    assertThatThrownBy(() -> BuilderChoice.resolve(BuilderMode.ASSEMBLE, plan, BOOKWORM, "3.12.7", "linux/amd64"))
        .isInstanceOf(BuilderRefusedException.class).hasMessageContaining(needsBuild.name()).hasMessageContaining(why);
    assertThat(BuilderChoice.resolve(BuilderMode.AUTO, new InstallPlan(null, Selection.MAIN, null, List.of(wheel),
        List.of()), BOOKWORM, "3.12.7", "linux/amd64").builder()).isEqualTo(Builder.ASSEMBLE);
  }

  @Test
  void theFirstPackageByNameIsNamedAndTheOthersCounted() {
    List<PlannedPackage> sdists = Stream.of("zeta", "beta", "mu").map(n -> PlannedPackage.python(n, "1.0", null,
        List.of(new Artifact(n + "-1.0.tar.gz", null, WHEEL_SHA)))).toList();
    BuilderChoice choice = BuilderChoice.resolve(BuilderMode.AUTO, new InstallPlan(null, Selection.MAIN, null, sdists,
        List.of()), BOOKWORM, "3.12.7", "linux/amd64");
    assertThat(choice.reason()).startsWith("package beta 1.0").endsWith("(and 2 more packages without a wheel)");
  }
}
