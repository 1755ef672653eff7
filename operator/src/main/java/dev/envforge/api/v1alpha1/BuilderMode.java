package dev.envforge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Which builder makes a variant's image ({@code spec.builder.mode}). */
public enum BuilderMode {
  /** Assemble when every package has a wheel for the target, else build with Kaniko. */
  @JsonProperty("auto")
  AUTO("auto"),
  /** Always assemble; a plan with a package that has no wheel is refused (InvalidSpec). */
  @JsonProperty("assemble")
  ASSEMBLE("assemble"),
  /** Always build with Kaniko. */
  @JsonProperty("kaniko")
  KANIKO("kaniko");

  private final String value;

  BuilderMode(String value) {
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
