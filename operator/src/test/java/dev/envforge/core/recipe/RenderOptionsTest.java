package dev.envforge.core.recipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Where builds fetch uv and packages: pinned images, index mirrors without credentials, nothing else changed. */
class RenderOptionsTest {
  static final String DIGEST = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  @Test
  void theDefaultUvImageIsThePinnedRelease() {
    assertThat(RenderOptions.DEFAULT.uvImage()).isEqualTo("ghcr.io/astral-sh/uv:" + Installer.UV_VERSION);
  }

  @ParameterizedTest
  @ValueSource(strings = {"registry.corp.example/uv:0.9.5", "registry.corp.example/uv@" + DIGEST,
      "registry.corp.example:5000/astral-sh/uv:0.9.5@" + DIGEST, "uv"})
  void acceptsTagsAndSha256Digests(String image) {
    assertThat(new RenderOptions(image, Map.of()).uvImage()).isEqualTo(image);
  }

  @ParameterizedTest
  @ValueSource(strings = {"registry.corp.example/uv@sha256:abc", "registry.corp.example/uv@sha512:ab",
      "registry.corp.example/uv@SHA256:0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF", "registry.corp.example/uv:0.9.5 AS x",
      "registry.corp.example/uv\nRUN id", "user:pass@registry.corp.example/uv"})
  void refusesOtherDigestsAndAnythingThatIsNoImageReference(String image) {
    assertThatThrownBy(() -> new RenderOptions(image, Map.of())).isInstanceOf(RecipeInputException.class)
        .hasMessageStartingWith("uvImage: ").hasMessageNotContaining("pass");
  }

  @Test
  void mirrorsMatchTheIndexWithOrWithoutATrailingSlash() {
    RenderOptions options = new RenderOptions(null, Map.of("https://pypi.org/simple/", "https://m.example/pypi"));
    assertThat(options.indexUrl("https://pypi.org/simple")).isEqualTo("https://m.example/pypi");
    assertThat(options.indexUrl("https://pypi.org/simple/")).isEqualTo("https://m.example/pypi");
    assertThat(options.indexUrl("https://other.example/simple")).isEqualTo("https://other.example/simple");
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://user:token@m.example/simple", "https://token@m.example/simple",
      "ftp://m.example/simple", "https://m.example/simple?token=x", "https://m.example/simple#x",
      "https://m.example/sim ple", "https://m.example/\"simple"})
  void refusesMirrorsThatAreNotPlainHttpUrlsWithoutRepeatingCredentials(String mirror) {
    assertThatThrownBy(() -> new RenderOptions(null, Map.of("https://pypi.org/simple", mirror)))
        .isInstanceOf(RecipeInputException.class).hasMessageContaining("index mirror")
        .hasMessageNotContaining("token");
  }

  @Test
  void aRenderedContextDiffersOnlyInWhereItFetches() {
    var plan = BuildContextRendererTest.fixedPlan();
    var recipe = new BuildRecipe("docker.io/library/python:3.12-slim-bookworm", "3.12", "linux/amd64", Installer.UV);
    var labels = new ImageLabels("default", "0".repeat(64), "1".repeat(64));
    BuildContext plain = BuildContextRenderer.render(plan, recipe, labels);
    BuildContext mirrored = BuildContextRenderer.render(plan, recipe, labels, new RenderOptions(
        "registry.corp.example/uv@" + DIGEST, Map.of("https://pypi.org/simple", "https://m.example/pypi/simple")));
    assertThat(mirrored.files().keySet()).isEqualTo(plain.files().keySet());
    assertThat(mirrored.dockerfile()).isEqualTo(plain.dockerfile().replace(
        "FROM ghcr.io/astral-sh/uv:" + Installer.UV_VERSION + " AS uv", "FROM registry.corp.example/uv@" + DIGEST
            + " AS uv"));
    mirrored.files().forEach((name, text) -> {
      if (!name.equals(BuildContext.DOCKERFILE)) {
        assertThat(text).as(name).isEqualTo(plain.files().get(name).replace("https://pypi.org/simple",
            "https://m.example/pypi/simple"));
      }
    });
    assertThat(mirrored.files().get(BuildContext.HASHED_REQUIREMENTS)).contains("--hash=sha256:" + "a".repeat(64));
  }
}
