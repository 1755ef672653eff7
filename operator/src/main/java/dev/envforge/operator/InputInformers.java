package dev.envforge.operator;

import dev.envforge.api.v1alpha1.PythonEnvironment;
import dev.envforge.api.v1alpha1.PythonEnvironmentSpec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The caches of what specs reference: ConfigMaps (project files, registry CA) and Secrets (push and index
 * credentials) in the watched namespaces. A change to one, its creation or its deletion reconciles every resource
 * that references it at once, and reconciles read them from here, without an API request. References are by name in
 * the resource's own namespace only: a spec has no field for another namespace.
 */
final class InputInformers implements ResourceInputs.ReferencedObjects {
  static final String PRIMARY_CONFIG_MAP_INDEX = "envforge-referenced-configmaps";
  static final String PRIMARY_SECRET_INDEX = "envforge-referenced-secrets";
  /**
   * The build contexts and runtime requirements envforge writes are not inputs: leaving them out keeps the cache
   * small.
   */
  static final String NOT_BUILD_OBJECTS = "!" + Labels.IMAGE_KEY + "," + Labels.COMPONENT + "!="
      + RuntimeConfigMaps.COMPONENT;

  private final InformerEventSource<ConfigMap, PythonEnvironment> configMaps;
  private final InformerEventSource<Secret, PythonEnvironment> secrets;

  InputInformers(EventSourceContext<PythonEnvironment> context) {
    context.getPrimaryCache().addIndexer(PRIMARY_CONFIG_MAP_INDEX, InputInformers::referencedConfigMaps);
    context.getPrimaryCache().addIndexer(PRIMARY_SECRET_INDEX, InputInformers::referencedSecrets);
    configMaps = informer(ConfigMap.class, "input-configmaps", PRIMARY_CONFIG_MAP_INDEX, context);
    secrets = informer(Secret.class, "input-secrets", PRIMARY_SECRET_INDEX, context);
  }

  private static <R extends HasMetadata> InformerEventSource<R, PythonEnvironment> informer(Class<R> type,
      String name, String primaryIndex, EventSourceContext<PythonEnvironment> context) {
    InformerEventSourceConfiguration<R> config = InformerEventSourceConfiguration
        .from(type, PythonEnvironment.class)
        .withName(name)
        .withLabelSelector(NOT_BUILD_OBJECTS)
        .withNamespacesInheritedFromController()
        .withSecondaryToPrimaryMapper(object -> {
          Set<ResourceID> ids = new HashSet<>();
          context.getPrimaryCache().byIndex(primaryIndex, key(object.getMetadata().getNamespace(),
              object.getMetadata().getName())).forEach(p -> ids.add(ResourceID.fromResource(p)));
          return ids;
        })
        .build();
    return new InformerEventSource<>(config, context);
  }

  List<EventSource<?, PythonEnvironment>> eventSources() {
    return List.of(configMaps, secrets);
  }

  @Override
  public ConfigMap configMap(String namespace, String name) {
    return configMaps.get(new ResourceID(name, namespace)).orElse(null);
  }

  @Override
  public Secret secret(String namespace, String name) {
    return secrets.get(new ResourceID(name, namespace)).orElse(null);
  }

  static List<String> referencedConfigMaps(PythonEnvironment resource) {
    PythonEnvironmentSpec spec = resource.getSpec();
    String namespace = resource.getMetadata().getNamespace();
    List<String> keys = new ArrayList<>();
    if (spec == null) {
      return keys;
    }
    if (spec.getSource() != null && spec.getSource().getConfigMapRef() != null
        && spec.getSource().getConfigMapRef().getName() != null) {
      keys.add(key(namespace, spec.getSource().getConfigMapRef().getName()));
    }
    if (spec.getImage() != null && spec.getImage().getCaConfigMapRef() != null
        && spec.getImage().getCaConfigMapRef().getName() != null) {
      keys.add(key(namespace, spec.getImage().getCaConfigMapRef().getName()));
    }
    return keys;
  }

  static List<String> referencedSecrets(PythonEnvironment resource) {
    PythonEnvironmentSpec spec = resource.getSpec();
    String namespace = resource.getMetadata().getNamespace();
    List<String> keys = new ArrayList<>();
    if (spec == null) {
      return keys;
    }
    if (spec.getImage() != null && spec.getImage().getPushSecretRef() != null
        && spec.getImage().getPushSecretRef().getName() != null) {
      keys.add(key(namespace, spec.getImage().getPushSecretRef().getName()));
    }
    if (spec.getIndexCredentialsSecretRef() != null && spec.getIndexCredentialsSecretRef().getName() != null) {
      keys.add(key(namespace, spec.getIndexCredentialsSecretRef().getName()));
    }
    return keys;
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }
}
