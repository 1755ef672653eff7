package dev.envforge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Target platforms of the built image ({@code spec.platform}), in OCI {@code os/architecture} form. */
public enum Platform {
  @JsonProperty("linux/amd64")
  LINUX_AMD64("linux/amd64"),
  @JsonProperty("linux/arm64")
  LINUX_ARM64("linux/arm64");

  private final String value;

  Platform(String value) {
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
