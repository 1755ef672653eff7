package dev.envforge.operator;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.envforge.api.v1alpha1.PythonEnvironment;
import dev.envforge.api.v1alpha1.VariantStatus;
import dev.envforge.core.runtime.RuntimePlan;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each resource's runtime ConfigMaps ({@link RuntimeConfigMaps}) as its variants want them: creates the ones
 * that are missing and deletes the ones no variant names any more. What exists is read from an informer cache, so a
 * reconcile with nothing to change makes no API request, and deleting a runtime ConfigMap by hand reconciles its
 * resource, which writes it again.
 */
final class RuntimeRequirementsSync {
  private static final Logger LOG = LoggerFactory.getLogger(RuntimeRequirementsSync.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KubernetesClient client;
  private volatile InformerEventSource<ConfigMap, PythonEnvironment> configMaps;

  RuntimeRequirementsSync(KubernetesClient client) {
    this.client = client;
  }

  List<EventSource<?, PythonEnvironment>> eventSources(EventSourceContext<PythonEnvironment> context) {
    configMaps = new InformerEventSource<>(InformerEventSourceConfiguration
        .from(ConfigMap.class, PythonEnvironment.class)
        .withName("runtime-configmaps")
        .withLabelSelector(RuntimeConfigMaps.SELECTOR)
        .withNamespacesInheritedFromController()
        .withSecondaryToPrimaryMapper(RuntimeRequirementsSync::owner)
        .build(), context);
    return List.of(configMaps);
  }

  private static Set<ResourceID> owner(ConfigMap cm) {
    Set<ResourceID> ids = new HashSet<>();
    if (cm.getMetadata().getOwnerReferences() != null) {
      cm.getMetadata().getOwnerReferences().stream()
          .filter(o -> dev.envforge.api.v1alpha1.EnvforgeApi.KIND.equals(o.getKind()))
          .forEach(o -> ids.add(new ResourceID(o.getName(), cm.getMetadata().getNamespace())));
    }
    return ids;
  }

  /**
   * Writes the runtime ConfigMaps of the variants that have runtime groups and deletes every other runtime ConfigMap
   * of the resource.
   *
   * @param wanted the runtime plans by variant name, only for variants that may have them (not blocked by a policy)
   */
  void sync(PythonEnvironment resource, Map<String, RuntimePlan> wanted) {
    String namespace = resource.getMetadata().getNamespace();
    String uid = resource.getMetadata().getUid();
    Set<String> names = new HashSet<>();
    wanted.forEach((variant, runtime) -> {
      ConfigMap desired = RuntimeConfigMaps.of(resource, variant, runtime);
      String name = desired.getMetadata().getName();
      names.add(name);
      if (configMaps.get(new ResourceID(name, namespace)).isEmpty()) {
        try {
          client.configMaps().inNamespace(namespace).resource(desired).create();
          LOG.info("resource={}/{} variant={} runtime ConfigMap {} written ({} packages)", namespace,
              resource.getMetadata().getName(), variant, name, runtime.packages().size());
        } catch (KubernetesClientException e) {
          if (e.getCode() != 409) {
            throw e;
          }
          // written by an earlier reconcile that the cache has not seen yet; its content is the same (immutable)
        }
      }
    });
    configMaps.list(namespace, cm -> cm.getMetadata().getLabels() != null
            && uid.equals(cm.getMetadata().getLabels().get(Labels.OWNER_UID))
            && !names.contains(cm.getMetadata().getName()))
        .forEach(stale -> {
          client.configMaps().inNamespace(namespace).withName(stale.getMetadata().getName()).delete();
          LOG.info("resource={}/{} stale runtime ConfigMap {} deleted", namespace, resource.getMetadata().getName(),
              stale.getMetadata().getName());
        });
  }

  /**
   * The variant's status naming its runtime ConfigMap (or none): the same object when nothing changes, else a copy,
   * so that a status kept from before is never changed in place.
   */
  static VariantStatus withRuntime(VariantStatus status, String configMap, Integer packages) {
    if (Objects.equals(status.getRuntimeConfigMap(), configMap)
        && Objects.equals(status.getRuntimePackages(), packages)) {
      return status;
    }
    VariantStatus copy = JSON.convertValue(status, VariantStatus.class);
    copy.setRuntimeConfigMap(configMap);
    copy.setRuntimePackages(packages);
    return copy;
  }
}
