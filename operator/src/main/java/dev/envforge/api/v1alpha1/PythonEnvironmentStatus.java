package dev.envforge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Observed state of a {@link PythonEnvironment}, written by the operator only. The schema of
 * {@code conditions} is completed here (descriptions, the status enum, a list map keyed by type), because the
 * generator cannot read them from fabric8's Condition class.
 */
@SchemaCustomizer(value = SchemaDeepMerge.class, input = PythonEnvironmentStatus.CONDITIONS_SCHEMA)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"observedGeneration", "conditions", "variantsReady", "image", "variants", "violatedPolicies"})
public class PythonEnvironmentStatus {

  /** JSON merge patch over the generated schema of this class: Kubernetes' condition schema, documented. */
  static final String CONDITIONS_SCHEMA = """
      {"properties": {"conditions": {
        "x-kubernetes-list-type": "map",
        "x-kubernetes-list-map-keys": ["type"],
        "items": {
          "required": ["type", "status"],
          "properties": {
            "type": {"description": "Type of the condition: Ready, Reconciling, Stalled, Building, Failed,\
       InvalidSpec, RegistryUnavailable or PolicyViolation."},
            "status": {"description": "True, False or Unknown (not known yet).",
              "enum": ["True", "False", "Unknown"]},
            "reason": {"description": "CamelCase reason of the last transition; see docs/reference.md for the\
       closed list."},
            "message": {"description": "What the condition means for this resource, for people."},
            "lastTransitionTime": {"description": "When status last changed, RFC 3339.", "format": "date-time"},
            "observedGeneration": {"description": "The metadata.generation the condition was computed from."}
          }
        }
      }}}
      """;

  @JsonPropertyDescription("The metadata.generation this status was computed from.")
  private Long observedGeneration;

  @JsonPropertyDescription(
      "Conditions of the resource, one per type: Ready (every variant image exists; Unknown while the registry has"
          + " not answered), Reconciling and Stalled (as kstatus and Flux read them), Building, Failed, InvalidSpec"
          + " and RegistryUnavailable, each with a CamelCase reason and a message; PolicyViolation when an"
          + " EnvironmentPolicy selects the namespace.")
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
