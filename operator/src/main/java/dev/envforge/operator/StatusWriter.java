package dev.envforge.operator;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.envforge.api.v1alpha1.EnvforgeApi;
import dev.envforge.api.v1alpha1.PythonEnvironment;
import dev.envforge.api.v1alpha1.PythonEnvironmentStatus;
import dev.envforge.api.v1alpha1.VariantStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a resource's status as one whole document (PUT on the status subresource), never as a patch computed
 * against a possibly stale copy: a stale copy cannot make the API server refuse the write or merge the wrong fields.
 * Fields of the stored status that this version has no property for (a newer envforge's) are carried over. The
 * write names the resourceVersion it was computed from; when the resource changed meanwhile (409), the newest
 * version is read and the same whole status is written over it, a few times at most. A newer spec still gets its
 * own reconcile, and its status says which generation it describes (observedGeneration).
 */
final class StatusWriter {
  static final int ATTEMPTS = 3;
  private static final Set<String> STATUS_FIELDS = properties(PythonEnvironmentStatus.class);
  private static final Set<String> VARIANT_FIELDS = properties(VariantStatus.class);
  private static final Logger LOG = LoggerFactory.getLogger(StatusWriter.class);

  private final KubernetesClient client;

  StatusWriter(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Replaces the status of {@code resource} with {@code status}. The stored resource is handed to JOSDK's cache, so
   * the next reconcile starts from it and not from the copy the write replaced.
   *
   * @param context the reconcile's context, or null outside a reconcile
   * @return the resource as stored, or null when it no longer exists
   * @throws KubernetesClientException for an API error other than a conflict, or conflicts beyond the attempts
   */
  /** The resource's API, named in full so the client needs no discovery request (and no grant beyond the resource). */
  private static final ResourceDefinitionContext PYTHON_ENVIRONMENTS = new ResourceDefinitionContext.Builder()
      .withGroup(EnvforgeApi.GROUP).withVersion(EnvforgeApi.VERSION).withKind(EnvforgeApi.KIND)
      .withPlural(EnvforgeApi.PLURAL).withNamespaced(true).build();

  PythonEnvironment replaceStatus(PythonEnvironment resource, PythonEnvironmentStatus status,
      Context<PythonEnvironment> context) {
    var resources = client.genericKubernetesResources(PYTHON_ENVIRONMENTS)
        .inNamespace(resource.getMetadata().getNamespace());
    String name = resource.getMetadata().getName();
    @SuppressWarnings("unchecked")
    Map<String, Object> ours = client.getKubernetesSerialization().convertValue(status, Map.class);
    String resourceVersion = resource.getMetadata().getResourceVersion();
    GenericKubernetesResource stored = null;
    for (int attempt = 1; ; attempt++) {
      if (stored == null) {
        // the stored status as it is, with the fields this version does not know (a newer envforge's)
        stored = resources.withName(name).get();
        if (stored == null) {
          return null;
        }
      }
      Object before = stored.getAdditionalProperties().get("status");
      Map<String, Object> merged = withUnknownFieldsOf(before, ours);
      if (merged.equals(before)) {
        return null;
      }
      stored.getAdditionalProperties().put("status", merged);
      if (resourceVersion != null) {
        // optimistic: the write names the version the status was computed from
        stored.getMetadata().setResourceVersion(resourceVersion);
      }
      try {
        GenericKubernetesResource written = resources.resource(stored).updateStatus();
        PythonEnvironment typed = client.getKubernetesSerialization().convertValue(written, PythonEnvironment.class);
        if (context != null) {
          context.eventSourceRetriever().getControllerEventSource()
              .handleRecentResourceUpdate(ResourceID.fromResource(typed), typed, resource);
        }
        return typed;
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          return null;
        }
        if (e.getCode() != 409 || attempt == ATTEMPTS) {
          throw e;
        }
        LOG.debug("resource={} status write conflicted; writing it over the newest version",
            ResourceID.fromResource(resource));
        stored = null;
        resourceVersion = null;
      }
    }
  }

  /**
   * The new status, plus the fields of the stored one that this version has no property for (written by a newer
   * envforge), at the top level and in the variant of the same name. Fields this version knows are ours alone.
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> withUnknownFieldsOf(Object stored, Map<String, Object> ours) {
    Map<String, Object> merged = new LinkedHashMap<>(ours);
    if (!(stored instanceof Map<?, ?> old)) {
      return merged;
    }
    old.forEach((key, value) -> {
      if (!STATUS_FIELDS.contains(String.valueOf(key))) {
        merged.put(String.valueOf(key), value);
      }
    });
    Object oldVariants = old.get("variants");
    Object newVariants = merged.get("variants");
    if (oldVariants instanceof List<?> olds && newVariants instanceof List<?> news) {
      List<Object> variants = new ArrayList<>();
      for (Object v : news) {
        Map<String, Object> variant = new LinkedHashMap<>((Map<String, Object>) v);
        olds.stream().filter(o -> o instanceof Map<?, ?> m && java.util.Objects.equals(m.get("name"),
            variant.get("name"))).findFirst().ifPresent(o -> ((Map<?, ?>) o).forEach((key, value) -> {
              if (!VARIANT_FIELDS.contains(String.valueOf(key))) {
                variant.put(String.valueOf(key), value);
              }
            }));
        variants.add(variant);
      }
      merged.put("variants", variants);
    }
    return merged;
  }

  private static Set<String> properties(Class<?> type) {
    ObjectMapper mapper = new ObjectMapper();
    JavaType javaType = mapper.constructType(type);
    Set<String> names = new HashSet<>();
    mapper.getSerializationConfig().introspect(javaType).findProperties().forEach(p -> names.add(p.getName()));
    return Set.copyOf(names);
  }
}
