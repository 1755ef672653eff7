package dev.envforge.core.lock.conda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.envforge.core.lock.LockInputException;
import dev.envforge.core.lock.ProjectFiles;
import dev.envforge.core.plan.Artifact;
import dev.envforge.core.plan.InstallPlan;
import dev.envforge.core.plan.PlannedPackage;
import dev.envforge.core.plan.Selection;
import dev.envforge.core.plan.Target;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The conda resolver on small hand-written locks: platforms, categories, managers, and bad input. */
class CondaResolverTest {
  private static final String LOCK = """
      version: 1
      metadata:
        platforms:
        - linux-64
        - linux-aarch64
      package:
      - name: python
        version: 3.11.9
        manager: conda
        platform: linux-64
        url: https://conda.anaconda.org/conda-forge/linux-64/python-3.11.9-h1_0_cpython.conda
        hash:
          md5: d7c89558ba9fa0495403155b64376d81
          sha256: fe51de6107f9edc7aa4f786a70f4a883943bc9d39b3bb7307c04c41410990726
        category: main
      - name: python
        version: 3.11.9
        manager: conda
        platform: linux-aarch64
        url: https://conda.anaconda.org/conda-forge/linux-aarch64/python-3.11.9-h2_0_cpython.conda
        hash:
          md5: 6168d71addc746e8f2b8d57dfd2edcea
        category: main
      - name: pytest
        version: 8.0.0
        manager: conda
        platform: linux-64
        url: https://conda.anaconda.org/conda-forge/noarch/pytest-8.0.0-pyhd8ed1ab_0.conda
        hash:
          md5: 73aaf86a425cc6e73fcf236a5a46396d
        category: dev
        optional: true
      - name: Typing_Extensions
        version: 4.10
        manager: pip
        platform: linux-64
        url: https://files.pythonhosted.org/t/typing_extensions-4.10-py3-none-any.whl
        hash:
          sha256: 92d6037539857d8206b8f6ae472e8b77db8058fec5937a1ef3f54304089edbb9
        category: main
      """;

  private static InstallPlan resolve(CondaResolver resolver, String file, String text, Selection selection,
      Target target) {
    return resolver.resolve(ProjectFiles.of(Map.of(file, text), ""), selection, target);
  }

  private static InstallPlan resolve(String lock, Selection selection) {
    return resolve(new CondaResolver(), "conda-lock.yml", lock, selection, Target.DEFAULT);
  }

  @Test
  void mainOnlyKeepsVersionsAsWrittenAndNormalizesPipNames() {
    InstallPlan plan = resolve(LOCK, Selection.MAIN);

    assertThat(plan.packages()).extracting(p -> p.name() + " " + p.version() + " " + p.manager())
        .containsExactly("python 3.11.9 conda", "typing-extensions 4.10 pip");
    PlannedPackage python = plan.packages().get(0);
    assertThat(python.artifacts()).containsExactly(new Artifact("python-3.11.9-h1_0_cpython.conda",
        "https://conda.anaconda.org/conda-forge/linux-64/python-3.11.9-h1_0_cpython.conda",
        "sha256:fe51de6107f9edc7aa4f786a70f4a883943bc9d39b3bb7307c04c41410990726"));
    assertThat(plan.environment().pythonFullVersion()).isEqualTo("3.11.9");
  }

  @Test
  void categoriesAndArm64() {
    assertThat(resolve(LOCK, new Selection(List.of("dev"), List.of())).packages())
        .extracting(PlannedPackage::name).containsExactly("pytest", "python", "typing-extensions");

    InstallPlan arm = resolve(new CondaResolver(), "conda-lock.yml", LOCK, Selection.MAIN,
        new Target(null, "linux/arm64"));
    assertThat(arm.packages()).singleElement().satisfies(p -> {
      assertThat(p.source().url()).contains("/linux-aarch64/");
      assertThat(p.artifacts().get(0).hash()).isEqualTo("md5:6168d71addc746e8f2b8d57dfd2edcea");
    });
  }

  @Test
  void unknownCategoryListsTheKnownOnes() {
    assertThatThrownBy(() -> resolve(LOCK, new Selection(List.of("test"), List.of())))
        .isInstanceOf(LockInputException.class)
        .hasMessage("conda-lock.yml:1:1: unknown category 'test' (known: dev, main)");
  }

  @Test
  void malformedYamlAtTheParsersPosition() {
    assertThatThrownBy(() -> resolve("version: 1\npackage:\n- name: [x\n  version: 1\n", Selection.MAIN))
        .isInstanceOf(LockInputException.class)
        .hasMessageStartingWith("conda-lock.yml:4:10: malformed YAML: ")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void deeplyNestedYamlIsAnErrorNotAStackOverflow() {
    String deep = "version: 1\npackage: " + "[".repeat(50_000) + "]".repeat(50_000) + "\n";

    assertThatThrownBy(() -> resolve(deep, Selection.MAIN)).isInstanceOf(LockInputException.class)
        .hasMessageContaining("malformed YAML");
  }

  @Test
  void unknownVersion() {
    assertThatThrownBy(() -> resolve(LOCK.replace("version: 1\n", "version: 2\n"), Selection.MAIN))
        .isInstanceOf(LockInputException.class)
        .hasMessage("conda-lock.yml:1:10: unknown conda-lock version '2' (known: 1)");
  }

  @Test
  void hostileNameIsEscaped() {
    assertThatThrownBy(() -> resolve(LOCK.replace("- name: pytest", "- name: \"pytest\\u0007\""), Selection.MAIN))
        .isInstanceOf(LockInputException.class)
        .hasMessage("conda-lock.yml:24:3: invalid package name 'pytest\\u0007'");
  }

  @Test
  void explicitLock() {
    String explicit = """
        # platform: linux-64
        @EXPLICIT
        https://conda.anaconda.org/conda-forge/linux-64/libgcc-15.2.0-he0feb66_16.conda#6d0363467e6ed84f11435eb309f2ff06
        https://conda.anaconda.org/conda-forge/noarch/tzdata-2025c-hc9c84f9_1.conda#ad659d0a2b3e47e38d829aa8cad2d610
        """;
    CondaResolver resolver = new CondaResolver("conda-linux-64.lock");

    InstallPlan plan = resolve(resolver, "conda-linux-64.lock", explicit, Selection.MAIN, Target.DEFAULT);

    assertThat(plan.packages()).extracting(p -> p.name() + " " + p.version())
        .containsExactly("libgcc 15.2.0", "tzdata 2025c");
    assertThat(plan.packages().get(0).artifacts().get(0).hash()).isEqualTo("md5:6d0363467e6ed84f11435eb309f2ff06");

    assertThatThrownBy(() -> resolve(resolver, "conda-linux-64.lock", explicit.replace("@EXPLICIT\n", ""),
        Selection.MAIN, Target.DEFAULT))
        .isInstanceOf(LockInputException.class)
        .hasMessageStartingWith("conda-linux-64.lock:2:1: not an explicit conda lock: no @EXPLICIT line before");
    assertThatThrownBy(() -> resolve(resolver, "conda-linux-64.lock",
        explicit.replace("tzdata-2025c-hc9c84f9_1.conda", "tzdata.conda"), Selection.MAIN, Target.DEFAULT))
        .isInstanceOf(LockInputException.class)
        .hasMessageStartingWith("conda-linux-64.lock:4:1: not a conda package URL");
    assertThatThrownBy(() -> resolve(resolver, "conda-linux-64.lock", explicit, Selection.MAIN,
        new Target(null, "linux/arm64")))
        .isInstanceOf(LockInputException.class)
        .hasMessage("conda-linux-64.lock:1:1: the lock has no packages for platform linux-aarch64");
  }

  @Test
  void condaLocksHaveNoExtras() {
    assertThatThrownBy(() -> resolve(LOCK, new Selection(List.of(), List.of("gui"))))
        .isInstanceOf(LockInputException.class)
        .hasMessage("conda-lock.yml:1:1: a conda lock has no extras (asked for 'gui')");
  }
}
