package dev.envforge.api.v1alpha1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Iterator;
import java.util.Map;

/**
 * Completes a generated schema with a JSON merge patch (RFC 7386), merging nested objects field by field. The
 * generator's own MergePatchCustomizer replaces nested maps such as {@code properties} whole. Used by the CRD
 * generator only, through {@code @SchemaCustomizer} on the API types.
 */
public final class SchemaDeepMerge implements SchemaCustomizer.Customizer {

  @Override
  public JSONSchemaProps apply(JSONSchemaProps schema, String patch, KubernetesSerialization serialization) {
    ObjectMapper mapper = new ObjectMapper();
    try {
      JsonNode target = mapper.readTree(serialization.asJson(schema));
      JsonNode merged = merge(target, mapper.readTree(patch));
      return serialization.unmarshal(mapper.writeValueAsString(merged), JSONSchemaProps.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("bad schema patch: " + e.getOriginalMessage(), e);
    }
  }

  static JsonNode merge(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch;
    }
    ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy()
        : new ObjectMapper().createObjectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (field.getValue().isNull()) {
        result.remove(field.getKey());
      } else {
        result.set(field.getKey(), merge(result.get(field.getKey()), field.getValue()));
      }
    }
    return result;
  }
}
