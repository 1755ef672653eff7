package dev.envforge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.List;
import java.util.Optional;

/**
 * Base of every envforge custom resource: it is read by {@link LenientResourceDeserializer}, whatever ObjectMapper
 * reads it, so fields this build does not know are ignored (and named) and a spec or status that cannot be read
 * is recorded instead of thrown. See {@link ApiSerialization}.
 */
@JsonDeserialize(using = LenientResourceDeserializer.class)
public abstract class EnvforgeResource<S, T> extends CustomResource<S, T> {

  /** Set when this copy was read from JSON whose spec or status could not be read; never written. */
  @JsonIgnore
  private transient ReadProblem readProblem;
  /** The spec's fields that this build does not know and ignored, e.g. spec.suspend; never written. */
  @JsonIgnore
  private transient List<String> ignoredSpecFields = List.of();

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
