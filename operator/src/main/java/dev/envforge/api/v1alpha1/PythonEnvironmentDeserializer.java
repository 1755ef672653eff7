package dev.envforge.api.v1alpha1;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.io.IOException;

/**
 * Reads a {@link PythonEnvironment} so that no spec or status can make it throw: the metadata as usual, the spec and
 * the status with {@link ApiSerialization#mapper()} (unknown fields ignored). A part that still cannot be read, such
 * as a field of the wrong type written under another CRD version, is left null and recorded as the resource's
 * {@link ReadProblem}.
 */
final class PythonEnvironmentDeserializer extends StdDeserializer<PythonEnvironment> {
  private static final long serialVersionUID = 1L;

  PythonEnvironmentDeserializer() {
    super(PythonEnvironment.class);
  }

  @Override
  public PythonEnvironment deserialize(JsonParser parser, DeserializationContext context) throws IOException {
    JsonNode node = context.readTree(parser);
    if (!node.isObject()) {
      return context.reportInputMismatch(this, "a PythonEnvironment must be an object, found %s",
          node.getNodeType());
    }
    PythonEnvironment resource = new PythonEnvironment();
    JsonNode apiVersion = node.get("apiVersion");
    if (apiVersion != null && apiVersion.isTextual()) {
      resource.setApiVersion(apiVersion.asText());
    }
    JsonNode kind = node.get("kind");
    if (kind != null && kind.isTextual()) {
      resource.setKind(kind.asText());
    }
    JsonNode metadata = node.get("metadata");
    if (metadata != null && !metadata.isNull()) {
      // the API server validates metadata itself; a broken one is not a resource at all
      resource.setMetadata(context.readTreeAsValue(metadata, ObjectMeta.class));
    }
    ApiSerialization.Read<PythonEnvironmentSpec> spec =
        ApiSerialization.readPart(node.get("spec"), ReadProblem.SPEC, PythonEnvironmentSpec.class);
    ApiSerialization.Read<PythonEnvironmentStatus> status =
        ApiSerialization.readPart(node.get("status"), ReadProblem.STATUS, PythonEnvironmentStatus.class);
    resource.setSpec(spec.value());
    resource.setStatus(status.value());
    ReadProblem specProblem = spec.problem();
    if (specProblem == null && spec.value() == null) {
      // the CRD requires a spec: without one there is nothing to reconcile
      specProblem = new ReadProblem(ReadProblem.SPEC, ReadProblem.SPEC, "expected an object, found nothing");
    }
    resource.setReadProblem(specProblem != null ? specProblem : status.problem());
    resource.setIgnoredSpecFields(spec.ignoredFields());
    return resource;
  }
}
