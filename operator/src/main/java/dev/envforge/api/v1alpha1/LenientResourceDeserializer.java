package dev.envforge.api.v1alpha1;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.CustomResource;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;

/**
 * Reads an {@link EnvforgeResource} so that no spec or status can make it throw: the metadata as usual, the spec and
 * the status with {@link ApiSerialization#mapper()} (unknown fields ignored). A part that still cannot be read, such
 * as a field of the wrong type written under another CRD version, is left null and recorded as the resource's
 * {@link ReadProblem}.
 */
final class LenientResourceDeserializer extends StdDeserializer<EnvforgeResource<?, ?>>
    implements ContextualDeserializer {
  private static final long serialVersionUID = 1L;
  private final JavaType type;

  LenientResourceDeserializer() {
    this(null);
  }

  private LenientResourceDeserializer(JavaType type) {
    super(EnvforgeResource.class);
    this.type = type;
  }

  @Override
  public JsonDeserializer<?> createContextual(DeserializationContext context, BeanProperty property) {
    JavaType target = context.getContextualType() != null ? context.getContextualType()
        : property != null ? property.getType() : null;
    return target == null ? this : new LenientResourceDeserializer(target);
  }

  @Override
  public EnvforgeResource<?, ?> deserialize(JsonParser parser, DeserializationContext context) throws IOException {
    if (type == null || !EnvforgeResource.class.isAssignableFrom(type.getRawClass())) {
      return context.reportInputMismatch(this, "no resource type to read into");
    }
    JsonNode node = context.readTree(parser);
    if (!node.isObject()) {
      return context.reportInputMismatch(this, "a %s must be an object, found %s", type.getRawClass().getSimpleName(),
          node.getNodeType());
    }
    JavaType[] parts = context.getTypeFactory().findTypeParameters(type, CustomResource.class);
    EnvforgeResource<Object, Object> resource = instantiate(context);
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
    ApiSerialization.Read<Object> spec = ApiSerialization.readPart(node.get("spec"), ReadProblem.SPEC, parts[0]);
    ApiSerialization.Read<Object> status = ApiSerialization.readPart(node.get("status"), ReadProblem.STATUS, parts[1]);
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

  @SuppressWarnings("unchecked")
  private EnvforgeResource<Object, Object> instantiate(DeserializationContext context) throws IOException {
    try {
      return (EnvforgeResource<Object, Object>) type.getRawClass().getConstructor().newInstance();
    } catch (NoSuchMethodException | InstantiationException | IllegalAccessException
        | InvocationTargetException e) {
      return context.reportBadDefinition(type, "an envforge resource needs a public no-argument constructor: " + e);
    }
  }
}
