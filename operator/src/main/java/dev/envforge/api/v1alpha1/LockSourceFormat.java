package dev.envforge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Lock-file formats accepted in {@code spec.source.format}. */
public enum LockSourceFormat {
  /** {@code poetry.lock} with its {@code pyproject.toml}. */
  @JsonProperty("poetry")
  POETRY("poetry"),
  /** {@code uv.lock} with its {@code pyproject.toml}. */
  @JsonProperty("uv")
  UV("uv"),
  /** A PEP 751 {@code pylock.toml}. */
  @JsonProperty("pylock")
  PYLOCK("pylock"),
  /** A fully pinned {@code requirements.txt} (with hashes). */
  @JsonProperty("requirements")
  REQUIREMENTS("requirements");

  private final String value;

  LockSourceFormat(String value) {
    this.value = value;
  }

  /** The value as written in the resource. */
  public String value() {
    return value;
  }

  @Override
  public String toString() {
    return value;
  }
}
