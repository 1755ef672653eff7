package dev.envforge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Objects;

/** One image built from the lock file: the main dependencies plus the named groups and extras. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"name", "groups", "extras", "runtimeGroups"})
public class Variant {

  /** Name of the variant used when the spec declares none. */
  public static final String DEFAULT_NAME = "default";
  /** Largest number of groups, and of extras, per variant. */
  public static final int MAX_SELECTIONS = 32;

  @Required
  @Pattern(Patterns.VARIANT_NAME)
  @JsonPropertyDescription(
      "Name of the variant: lower case letters, digits and \"-\", at most 32 characters. It is recorded in"
          + " the status and the image's labels; the tag depends only on what the variant installs.")
  private String name;

  @Size(max = MAX_SELECTIONS)
  @JsonPropertyDescription(
      "Dependency groups to install besides the main dependencies (Poetry groups, PEP 735 dependency-groups,"
          + " uv dev-dependencies as \"dev\").")
  private List<@Pattern(Patterns.GROUP_OR_EXTRA) @Size(max = 128) String> groups;

  @Size(max = MAX_SELECTIONS)
  @JsonPropertyDescription("Extras of the project to install (its optional-dependencies).")
  private List<@Pattern(Patterns.GROUP_OR_EXTRA) @Size(max = 128) String> extras;

  @Size(max = MAX_SELECTIONS)
  @JsonPropertyDescription(
      "Dependency groups installed when a container starts, not into the image: for trying a dependency without a"
          + " rebuild. They take no part in the image's plan or tag. envforge resolves what they add from the same"
          + " lock (pinned, with hashes) into a ConfigMap named in status.variants[].runtimeConfigMap; the image's"
          + " launcher installs it when that ConfigMap is mounted. A package at another version than the image's is"
          + " refused (InvalidSpec).")
  private List<@Pattern(Patterns.GROUP_OR_EXTRA) @Size(max = 128) String> runtimeGroups;

  public Variant() {}

  public Variant(String name) {
    this.name = name;
  }

  public Variant(String name, List<String> groups, List<String> extras) {
    this.name = name;
    this.groups = groups;
    this.extras = extras;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public List<String> getGroups() {
    return groups;
  }

  public void setGroups(List<String> groups) {
    this.groups = groups;
  }

  public List<String> getExtras() {
    return extras;
  }

  public void setExtras(List<String> extras) {
    this.extras = extras;
  }

  public List<String> getRuntimeGroups() {
    return runtimeGroups;
  }

  public void setRuntimeGroups(List<String> runtimeGroups) {
    this.runtimeGroups = runtimeGroups;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Variant)) {
      return false;
    }
    Variant that = (Variant) o;
    return Objects.equals(name, that.name)
        && Objects.equals(groups, that.groups)
        && Objects.equals(extras, that.extras)
        && Objects.equals(runtimeGroups, that.runtimeGroups);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, groups, extras, runtimeGroups);
  }

  @Override
  public String toString() {
    return "Variant{name=" + name + ", groups=" + groups + ", extras=" + extras
        + (runtimeGroups == null ? "" : ", runtimeGroups=" + runtimeGroups) + "}";
  }
}
