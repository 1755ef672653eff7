package dev.envforge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.core.lock.LockFormat;
import dev.envforge.core.lock.LockResolvers;
import dev.envforge.core.lock.ProjectFiles;
import dev.envforge.core.plan.Artifact;
import dev.envforge.core.plan.InstallPlan;
import dev.envforge.core.plan.PackageSource;
import dev.envforge.core.plan.PlannedPackage;
import dev.envforge.core.plan.Selection;
import dev.envforge.core.plan.Target;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * envforge's own lock resolvers read the test projects as Poetry and uv would: the install sets the end-to-end tests
 * expect follow from the lock files, not from the fixture.
 */
class LockedTestProjectsResolveTest {
  private static final TestWheels WHEELS = TestWheels.create();
  private static final URI INDEX = URI.create("http://127.0.0.1:41234/simple");
  private static final Target LINUX_311 = new Target("3.11.2", "linux/amd64");

  @TempDir
  Path dir;

  @ParameterizedTest
  @EnumSource(value = LockFormat.class, names = {"POETRY", "UV"})
  void mainInstallsAlphaAndBetaButNotTheWindowsOnlyDelta(LockFormat format) {
    InstallPlan plan = resolve(format, LockedTestProjects.Options.standard(), Selection.MAIN, LINUX_311);

    assertThat(names(plan)).containsExactly("alpha", "beta");
    for (PlannedPackage p : plan.packages()) {
      TestWheels.TestPackage expected = WHEELS.get(p.name());
      assertThat(p.version()).isEqualTo(expected.version());
      assertThat(p.source()).isEqualTo(PackageSource.registry(INDEX.toString()));
      assertThat(p.artifacts()).extracting(Artifact::hash).containsExactlyInAnyOrder(
          "sha256:" + expected.wheel().sha256(), "sha256:" + expected.sdist().sha256());
    }
  }

  @ParameterizedTest
  @EnumSource(value = LockFormat.class, names = {"POETRY", "UV"})
  void extraFastAddsGammaWhereItsPythonMarkerHolds(LockFormat format) {
    Selection fast = new Selection(List.of(), List.of("fast"));

    assertThat(names(resolve(format, LockedTestProjects.Options.standard(), fast, LINUX_311)))
        .containsExactly("alpha", "beta", "gamma");
    assertThat(names(resolve(format, LockedTestProjects.Options.standard(), fast, new Target("3.7.17", null))))
        .containsExactly("alpha", "beta");
  }

  @ParameterizedTest
  @EnumSource(value = LockFormat.class, names = {"POETRY", "UV"})
  void groupDevAddsEpsilon(LockFormat format) {
    Selection dev = new Selection(List.of("dev"), List.of());

    assertThat(names(resolve(format, LockedTestProjects.Options.standard(), dev, LINUX_311)))
        .containsExactly("alpha", "beta", "epsilon");
  }

  @ParameterizedTest
  @EnumSource(value = LockFormat.class, names = {"POETRY", "UV"})
  void tamperedOptionAddsTheTamperedPackageWithItsGenuineHashes(LockFormat format) {
    InstallPlan plan = resolve(format, new LockedTestProjects.Options(true), Selection.MAIN, LINUX_311);

    assertThat(names(plan)).containsExactly("alpha", "beta", "tampered");
    assertThat(plan.packages().get(2).artifacts()).extracting(Artifact::hash)
        .contains("sha256:" + WHEELS.tampered().wheel().sha256());
  }

  private InstallPlan resolve(LockFormat format, LockedTestProjects.Options options, Selection selection,
      Target target) {
    Path project = dir.resolve(format.id());
    if (format == LockFormat.POETRY) {
      LockedTestProjects.writePoetry(project, WHEELS, INDEX, options);
    } else {
      LockedTestProjects.writeUv(project, WHEELS, INDEX, options);
    }
    return LockResolvers.of(format).resolve(ProjectFiles.of(project), selection, target);
  }

  private static List<String> names(InstallPlan plan) {
    return plan.packages().stream().map(PlannedPackage::name).toList();
  }
}
