package dev.envforge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.List;
import java.util.Optional;

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
    name = "Reason",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
    priority = 1,
    getDescription = "Reason of the Ready condition")
@AdditionalPrinterColumn(
    name = "Age",
    type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = ".metadata.creationTimestamp")
@JsonDeserialize(using = PythonEnvironmentDeserializer.class)
public class PythonEnvironment extends CustomResource<PythonEnvironmentSpec, PythonEnvironmentStatus>
    implements Namespaced {

  /** Set when this copy was read from JSON whose spec or status could not be read; never written. */
  @JsonIgnore
  private transient ReadProblem readProblem;
  /** The spec's fields that this build does not know and ignored, e.g. spec.suspend; never written. */
  @JsonIgnore
  private transient List<String> ignoredSpecFields = List.of();

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

  /**
   * Why the spec or status of this resource could not be read, if so. The unreadable part is null. Only the copy read
   * from the server knows it: a copy made by serialising again has the null part without the problem.
   */
  public Optional<ReadProblem> readProblem() {
    return Optional.ofNullable(readProblem);
  }

  void setReadProblem(ReadProblem readProblem) {
    this.readProblem = readProblem;
  }

  /**
   * The fields of the spec that this build does not know and ignored when it read this copy, e.g.
   * {@code spec.suspend} declared by a newer CRD. Empty for a copy made in memory.
   */
  public List<String> ignoredSpecFields() {
    return ignoredSpecFields;
  }

  void setIgnoredSpecFields(List<String> ignoredSpecFields) {
    this.ignoredSpecFields = List.copyOf(ignoredSpecFields);
  }
}
