package dev.envforge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The tool that installs the planned packages inside the image ({@code spec.installer}). */
public enum Installer {
  @JsonProperty("uv")
  UV("uv"),
  @JsonProperty("pip")
  PIP("pip");

  private final String value;

  Installer(String value) {
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
