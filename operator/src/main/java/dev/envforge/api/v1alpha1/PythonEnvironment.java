package dev.envforge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A Python environment built from a lock file into one container image per variant. The operator resolves the
 * lock into an install plan for each variant, names the image after the plan's hash, and builds only when no image
 * with that name exists yet.
 */
@Group(EnvforgeApi.GROUP)
@Version(EnvforgeApi.VERSION)
@Kind(EnvforgeApi.KIND)
@Plural(EnvforgeApi.PLURAL)
@Singular(EnvforgeApi.SINGULAR)
@ShortNames(EnvforgeApi.SHORT_NAME)
@Categories(EnvforgeApi.CATEGORY)
@SchemaCustomizer(value = SchemaDeepMerge.class, input = PythonEnvironment.DESCRIPTION_SCHEMA)
@AdditionalPrinterColumn(
    name = "Ready",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    getDescription = "Whether every variant's image is available")
@AdditionalPrinterColumn(
    name = "Variants",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.variantsReady",
    getDescription = "Variants with an image, out of all variants")
@AdditionalPrinterColumn(
    name = "Image",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.image",
    getDescription = "Immutable image reference of the first variant")
@AdditionalPrinterColumn(
    name = "Status",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].message",
    getDescription = "Message of the Ready condition")
@AdditionalPrinterColumn(
    name = "Reason",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
    priority = 1,
    getDescription = "Reason of the Ready condition")
@AdditionalPrinterColumn(
    name = "Builder",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.variants[0].builder",
    priority = 1,
    getDescription = "Builder of the first variant's image: assemble or kaniko (status.variants[].builderReason"
        + " says why)")
@AdditionalPrinterColumn(
    name = "Age",
    type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = ".metadata.creationTimestamp")
public class PythonEnvironment extends EnvforgeResource<PythonEnvironmentSpec, PythonEnvironmentStatus>
    implements Namespaced {

  /** The top-level description that {@code kubectl explain pyenv} shows. */
  static final String DESCRIPTION_SCHEMA = """
      {"description": "A Python environment built from a lock file into one container image per variant. The\
       operator resolves the lock into an install plan per variant, names each image after the plan's hash and\
       builds only when no image with that name exists yet. Ready=True means every variant's image exists;\
       status.image and status.variants[].image give the immutable references."}
      """;

  // Overridden only to document the two halves and to make spec required in the schema.
  @Override
  @Required
  @JsonPropertyDescription("Desired state: the lock file, the variants to build and where to push them.")
  public PythonEnvironmentSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("Observed state, written by the operator.")
  public PythonEnvironmentStatus getStatus() {
    return super.getStatus();
  }
}
