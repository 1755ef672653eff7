package dev.envforge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Observed state of an {@link EnvironmentPolicy}, written by the operator. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"observedGeneration", "selected", "violating", "violators", "message"})
public class EnvironmentPolicyStatus {
  /** How many violating resources are named in {@code violators}. */
  public static final int MAX_VIOLATORS = 20;

  @JsonPropertyDescription("The metadata.generation this status was computed from.")
  private Long observedGeneration;

  @JsonPropertyDescription("PythonEnvironments in the namespaces the policy selects.")
  private Integer selected;

  @JsonPropertyDescription("Selected PythonEnvironments whose PolicyViolation condition names this policy.")
  private Integer violating;

  @JsonPropertyDescription("The first 20 violating PythonEnvironments, as namespace/name, sorted.")
  private List<String> violators = new ArrayList<>();

  @JsonPropertyDescription("Why the policy cannot be applied (an invalid rule), or absent.")
  private String message;

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public Integer getSelected() {
    return selected;
  }

  public void setSelected(Integer selected) {
    this.selected = selected;
  }

  public Integer getViolating() {
    return violating;
  }

  public void setViolating(Integer violating) {
    this.violating = violating;
  }

  public List<String> getViolators() {
    return violators;
  }

  public void setViolators(List<String> violators) {
    this.violators = violators;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EnvironmentPolicyStatus that && Objects.equals(observedGeneration, that.observedGeneration)
        && Objects.equals(selected, that.selected) && Objects.equals(violating, that.violating)
        && Objects.equals(violators, that.violators) && Objects.equals(message, that.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(observedGeneration, selected, violating, violators, message);
  }

  @Override
  public String toString() {
    return "EnvironmentPolicyStatus{observedGeneration=" + observedGeneration + ", selected=" + selected
        + ", violating=" + violating + ", violators=" + violators + ", message=" + message + "}";
  }
}
