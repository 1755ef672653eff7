package dev.envforge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Observed state of a {@link PythonEnvironment}, written by the operator only. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"observedGeneration", "conditions", "variantsReady", "image", "variants", "violatedPolicies"})
public class PythonEnvironmentStatus {

  @JsonPropertyDescription("The metadata.generation this status was computed from.")
  private Long observedGeneration;

  @JsonPropertyDescription(
      "Conditions of the resource: Ready, Building, Failed, InvalidSpec and RegistryUnavailable, each with a"
          + " CamelCase reason and a message.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("Variants whose image exists, out of all variants, e.g. \"1/2\".")
  private String variantsReady;

  @JsonPropertyDescription(
      "Immutable reference of the first variant's image, repository:tag@sha256:digest, once it exists.")
  private String image;

  @JsonPropertyDescription("State of each variant, in the order of spec.variants.")
  private List<VariantStatus> variants = new ArrayList<>();

  @JsonPropertyDescription("The EnvironmentPolicies this resource breaks, by name, sorted; absent when it breaks"
      + " none.")
  private List<String> violatedPolicies;

  /** The condition of the given type, if present. */
  public Optional<Condition> condition(String type) {
    if (conditions == null) {
      return Optional.empty();
    }
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public String getVariantsReady() {
    return variantsReady;
  }

  public void setVariantsReady(String variantsReady) {
    this.variantsReady = variantsReady;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public List<VariantStatus> getVariants() {
    return variants;
  }

  public void setVariants(List<VariantStatus> variants) {
    this.variants = variants;
  }

  public List<String> getViolatedPolicies() {
    return violatedPolicies;
  }

  public void setViolatedPolicies(List<String> violatedPolicies) {
    this.violatedPolicies = violatedPolicies;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof PythonEnvironmentStatus)) {
      return false;
    }
    PythonEnvironmentStatus that = (PythonEnvironmentStatus) o;
    return Objects.equals(observedGeneration, that.observedGeneration)
        && Objects.equals(conditions, that.conditions)
        && Objects.equals(variantsReady, that.variantsReady)
        && Objects.equals(image, that.image)
        && Objects.equals(variants, that.variants)
        && Objects.equals(violatedPolicies, that.violatedPolicies);
  }

  @Override
  public int hashCode() {
    return Objects.hash(observedGeneration, conditions, variantsReady, image, variants, violatedPolicies);
  }

  @Override
  public String toString() {
    return "PythonEnvironmentStatus{observedGeneration=" + observedGeneration + ", conditions=" + conditions
        + ", variantsReady=" + variantsReady + ", image=" + image + ", variants=" + variants + ", violatedPolicies=" + violatedPolicies + "}";
  }
}
