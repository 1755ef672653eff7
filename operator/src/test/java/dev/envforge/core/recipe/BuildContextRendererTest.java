package dev.envforge.core.recipe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.core.lock.LockFormat;
import dev.envforge.core.pep.MarkerEnvironment;
import dev.envforge.core.plan.Artifact;
import dev.envforge.core.plan.InstallPlan;
import dev.envforge.core.plan.PackageSource;
import dev.envforge.core.plan.PlannedPackage;
import dev.envforge.core.plan.Selection;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The shape of the install step that keeps images reproducible and their bytecode valid, for both installers, and
 * the guard that ties every change of the rendered context to a new {@link BuildRecipe#RECIPE_VERSION} (and so a new
 * image hash).
 */
class BuildContextRendererTest {
  /**
   * The fingerprint of the rendered contexts of {@link #fixedPlan()} for each recipe version. A change of the
   * rendering changes the fingerprint: if it changes what images hold, bump {@link BuildRecipe#RECIPE_VERSION} (which
   * changes every image hash, docs/hashing.md) and record the new fingerprint under the new version; a change that
   * cannot change any image (none comes to mind) may update the fingerprint alone.
   */
  static final Map<Integer, String> FINGERPRINTS = Map.of(
      2, "3fd20dcf1529a0324706ce88b832c93ba6f2b1990647ecfde78dcfce982f9d59",
      3, "2b714d8547e5742dcd4b5c58bc162e3d151c881b4b6f67ce2a42e61d720bbd0e",
      4, "04a86e58ddd76ac14d0eca6eaf8dedbd86dd52e0ff537c7b75dfd094ef690dd1");

  static InstallPlan fixedPlan() {
    return new InstallPlan(LockFormat.UV, Selection.MAIN, MarkerEnvironment.linuxCPython("3.12.7", "x86_64"),
        List.of(
            PlannedPackage.python("alpha", "1.0", PackageSource.registry(PackageSource.PYPI),
                List.of(new Artifact("alpha-1.0-py3-none-any.whl", null, "sha256:" + "a".repeat(64)))),
            PlannedPackage.python("beta", "2.0", PackageSource.git("https://example.com/beta.git", "0123abcd", null),
                List.of())),
        List.of());
  }

  /**
   * Plans whose packages come from different places; the index the assembler is sent to ({@link
   * BuildContextRenderer#mainIndex}) must be the one the recipe's requirements name first.
   */
  static java.util.stream.Stream<InstallPlan> plansWithIndexes() {
    Artifact wheel = new Artifact("p-1.0-py3-none-any.whl", null, "sha256:" + "b".repeat(64));
    PlannedPackage fromPypi = PlannedPackage.python("p", "1.0", PackageSource.registry(PackageSource.PYPI),
        List.of(wheel));
    PlannedPackage withoutSource = PlannedPackage.python("q", "1.0", null, List.of(wheel));
    PlannedPackage fromPrivate = PlannedPackage.python("r", "1.0",
        PackageSource.registry("https://private.example/simple"), List.of(wheel));
    PlannedPackage fromGit = PlannedPackage.python("s", "1.0",
        PackageSource.git("https://example.com/s.git", "0123abcd", null), List.of());
    PlannedPackage fromUrl = PlannedPackage.python("t", "1.0",
        PackageSource.url("https://example.com/t-1.0-py3-none-any.whl", null), List.of(wheel));
    MarkerEnvironment env = MarkerEnvironment.linuxCPython("3.12.7", "x86_64");
    return java.util.stream.Stream.of(
        new InstallPlan(LockFormat.PYLOCK, Selection.MAIN, env, List.of(fromPrivate, fromPypi), List.of()),
        new InstallPlan(LockFormat.PYLOCK, Selection.MAIN, env, List.of(fromGit, fromUrl, fromPrivate), List.of()),
        new InstallPlan(LockFormat.UV, Selection.MAIN, env, List.of(fromPypi, fromPrivate), List.of()),
        new InstallPlan(LockFormat.POETRY, Selection.MAIN, env, List.of(withoutSource, fromPrivate), List.of()),
        new InstallPlan(LockFormat.REQUIREMENTS, Selection.MAIN, env, List.of(fromPrivate), List.of(),
            List.of("https://mirror.example/simple", "https://private.example/simple")),
        new InstallPlan(LockFormat.PYLOCK, Selection.MAIN, env, List.of(fromGit, fromUrl), List.of()));
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.MethodSource("plansWithIndexes")
  void theAssemblersIndexIsTheOneTheRecipeNamesFirst(InstallPlan plan) {
    BuildContext context = BuildContextRenderer.render(plan, new BuildRecipe("docker.io/library/python:3.12",
        "3.12.7", "linux/amd64", Installer.PIP), new ImageLabels("default", "0".repeat(64), "1".repeat(64)));
    String first = context.files().get(BuildContext.HASHED_REQUIREMENTS).lines()
        .filter(l -> l.startsWith("--index-url ")).map(l -> l.substring("--index-url ".length())).findFirst()
        .orElse(PackageSource.PYPI);

    assertThat(BuildContextRenderer.mainIndex(plan)).isEqualTo(first);
  }

  static BuildContext render(Installer installer) {
    return BuildContextRenderer.render(fixedPlan(),
        new BuildRecipe("docker.io/library/python:3.12-slim-bookworm", "3.12.7", "linux/amd64", installer),
        new ImageLabels("default", "0".repeat(64), "1".repeat(64)));
  }

  @Test
  void aChangedRecipeComesWithANewRecipeVersion() {
    StringBuilder all = new StringBuilder();
    for (Installer installer : Installer.values()) {
      render(installer).files().forEach((name, text) -> all.append("== ").append(installer.id()).append(' ')
          .append(name).append('\n').append(text));
    }
    String fingerprint = sha256(all.toString());

    assertThat(FINGERPRINTS).as("a fingerprint recorded for recipe version %d", BuildRecipe.RECIPE_VERSION)
        .containsKey(BuildRecipe.RECIPE_VERSION);
    assertThat(fingerprint).as("the rendered build context changed: bump BuildRecipe.RECIPE_VERSION (images change, "
        + "so their hash must) and record the new fingerprint for it in FINGERPRINTS")
        .isEqualTo(FINGERPRINTS.get(BuildRecipe.RECIPE_VERSION));
    assertThat(render(Installer.PIP).dockerfile()).startsWith("# Generated by envforge (recipe v"
        + BuildRecipe.RECIPE_VERSION + ").");
  }

  @ParameterizedTest
  @EnumSource(Installer.class)
  void theVenvIsCreatedWithoutSeedingAnything(Installer installer) {
    String script = BuildContextRenderer.installScript(installer);

    switch (installer) {
      case PIP -> {
        assertThat(script).contains("python3 -m venv --without-pip /opt/venv; ");
        assertThat(script).as("pip runs from outside the venv").doesNotContain("/opt/venv/bin/pip")
            .contains("python3 -m pip --python /opt/venv/bin/python install ");
      }
      case UV -> assertThat(script).contains("uv venv --no-cache --python ").doesNotContain("--seed");
    }
  }

  @ParameterizedTest
  @EnumSource(Installer.class)
  void onlyTheCompileStepWritesBytecodeAndItRunsLast(Installer installer) {
    String script = BuildContextRenderer.installScript(installer);
    String compile = "PYTHONHASHSEED=0 /opt/venv/bin/python /usr/share/envforge/" + BuildContext.COMPILE_SCRIPT;

    assertThat(script).startsWith("set -eu; export PYTHONDONTWRITEBYTECODE=1; ");
    assertThat(script).as("only the launcher's mode is set after it, which runs no Python")
        .endsWith("; " + compile + "; chmod 0755 /usr/share/envforge/" + BuildContext.LAUNCHER);
    assertThat(script.indexOf(compile)).isEqualTo(script.lastIndexOf(compile));
    if (installer == Installer.PIP) {
      assertThat(script.split(" install ", -1)).hasSize(3);
      assertThat(script.split("/opt/venv/bin/python install --no-compile ", -1))
          .as("every pip install writes no bytecode").hasSize(3);
    } else {
      assertThat(script).as("uv compiles only when asked to").doesNotContain("--compile-bytecode");
    }
  }

  @ParameterizedTest
  @EnumSource(Installer.class)
  void theCompileScriptIsCopiedIntoTheImageUnchanged(Installer installer) throws IOException {
    BuildContext context = render(installer);

    try (InputStream in = BuildContextRenderer.class.getResourceAsStream(BuildContext.COMPILE_SCRIPT)) {
      assertThat(context.files().get(BuildContext.COMPILE_SCRIPT))
          .isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    assertThat(context.dockerfile()).containsOnlyOnce("COPY requirements.txt requirements-direct.txt packages.txt "
        + BuildContext.COMPILE_SCRIPT + " " + BuildContext.LAUNCHER + " /usr/share/envforge/\n");
    assertThat(context.files().get(BuildContext.COMPILE_SCRIPT))
        .contains("PycInvalidationMode.CHECKED_HASH", "subdirectories.sort()", "sorted(files)");
  }

  @ParameterizedTest
  @EnumSource(Installer.class)
  void everyImageStartsThroughTheLauncherWithPythonAsItsDefaultCommand(Installer installer) throws IOException {
    BuildContext context = render(installer);

    try (InputStream in = BuildContextRenderer.class.getResourceAsStream(BuildContext.LAUNCHER)) {
      assertThat(context.files().get(BuildContext.LAUNCHER))
          .isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    assertThat(context.dockerfile()).as("exec form: no shell between the runtime and the launcher")
        .endsWith("USER 65532:65532\nENTRYPOINT [\"/usr/share/envforge/launcher\"]\nCMD [\"python3\"]\n");
    assertThat(context.files().get(BuildContext.LAUNCHER)).startsWith("#!/bin/sh\n")
        .contains("exec \"$@\"\n", "--no-deps --require-hashes", "--target \"$site\"")
        .doesNotContain("eval", "$*\"\n");
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
