package dev.envforge.core.assemble;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.core.assemble.WheelChoice.Interpreter;
import dev.envforge.core.plan.Artifact;
import dev.envforge.core.plan.PackageSource;
import dev.envforge.core.plan.PlannedPackage;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class WheelChoiceTest {
  static final Interpreter BOOKWORM_311 = new Interpreter("3.11.2", "x86_64", 36);
  static final String HASH = "sha256:" + "ab".repeat(32);

  static PlannedPackage pkg(PackageSource source, String... files) {
    return PlannedPackage.python("numpy", "2.0.0", source,
        Arrays.stream(files).map(f -> new Artifact(f, null, HASH)).toList());
  }

  @Test
  void picksTheMostSpecificWheelAsPipDoes() {
    var choice = WheelChoice.choose(pkg(null,
        "numpy-2.0.0-py3-none-any.whl",
        "numpy-2.0.0-cp39-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        "numpy-2.0.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        "numpy-2.0.0-cp311-cp311-manylinux_2_28_x86_64.whl",
        "numpy-2.0.0-cp311-cp311-musllinux_1_1_x86_64.whl",
        "numpy-2.0.0.tar.gz"), BOOKWORM_311);
    assertThat(choice.wheel().filename()).isEqualTo("numpy-2.0.0-cp311-cp311-manylinux_2_28_x86_64.whl");
    assertThat(choice.sha256()).isEqualTo("ab".repeat(32));
  }

  @Test
  void aWheelNeedingANewerGlibcThanTheBaseIsNotChosen() {
    var choice = WheelChoice.choose(pkg(null,
        "numpy-2.0.0-cp311-cp311-manylinux_2_39_x86_64.whl",
        "numpy-2.0.0-cp39-abi3-manylinux_2_17_x86_64.whl"), BOOKWORM_311);
    assertThat(choice.wheel().filename()).isEqualTo("numpy-2.0.0-cp39-abi3-manylinux_2_17_x86_64.whl");
    assertThat(WheelChoice.choose(pkg(null, "numpy-2.0.0-cp311-cp311-manylinux_2_39_x86_64.whl"), BOOKWORM_311)
        .refusal()).contains("glibc 2.36");
  }

  @Test
  void abi3ComesBeforePureAndPureBeforeAny() {
    assertThat(WheelChoice.choose(pkg(null, "numpy-2.0.0-py3-none-any.whl", "numpy-2.0.0-cp38-abi3-linux_x86_64.whl"),
        BOOKWORM_311).wheel().filename()).isEqualTo("numpy-2.0.0-cp38-abi3-linux_x86_64.whl");
    assertThat(WheelChoice.choose(pkg(null, "numpy-2.0.0-py2.py3-none-any.whl", "numpy-2.0.0-py311-none-any.whl"),
        BOOKWORM_311).wheel().filename()).isEqualTo("numpy-2.0.0-py311-none-any.whl");
  }

  @Test
  void packagesThatNeedABuildAreRefusedWithTheReason() {
    assertThat(WheelChoice.choose(pkg(null, "numpy-2.0.0.tar.gz"), BOOKWORM_311).refusal())
        .contains("numpy 2.0.0", "only an sdist", "Kaniko recipe");
    assertThat(WheelChoice.choose(pkg(PackageSource.git("https://example.org/x.git", "abcdef1", null)),
        BOOKWORM_311).refusal()).contains("git");
    assertThat(WheelChoice.choose(pkg(PackageSource.url("https://example.org/x.tar.gz", null)), BOOKWORM_311)
        .refusal()).contains("URL to an archive");
    assertThat(WheelChoice.choose(PlannedPackage.python("numpy", "2.0.0", null,
        List.of(new Artifact("numpy-2.0.0-py3-none-any.whl", null, null))), BOOKWORM_311).refusal())
        .contains("no sha256");
    assertThat(WheelChoice.choose(pkg(null, "numpy-2.0.0-cp311-cp311-manylinux_2_17_aarch64.whl"), BOOKWORM_311)
        .isAssemblable()).isFalse();
  }
}
