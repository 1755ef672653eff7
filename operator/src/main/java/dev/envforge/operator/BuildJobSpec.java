package dev.envforge.operator;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.List;
import java.util.Map;

/**
 * Everything a build Job is made from, as plain values. {@link BuildJobFactory} turns it into objects; nothing in
 * it is secret (Secrets are referenced by name only).
 *
 * @param registryHost the destination registry's host[:port], for registry-specific builder flags
 * @param indexSecretName Secret with a netrc file for private package indexes, or null
 * @param caConfigMapName ConfigMap with the registry's CA bundle, or null
 * @param contextFiles the names of the build context's files (the keys of the context ConfigMap)
 */
public record BuildJobSpec(
    String namespace,
    String name,
    String repository,
    String tag,
    String registryHost,
    boolean insecureRegistry,
    String platform,
    String builderImage,
    ResourceRequirements resources,
    long activeDeadlineSeconds,
    int ttlSecondsAfterFinished,
    String cacheRepository,
    String serviceAccountName,
    String pushSecretName,
    String indexSecretName,
    String indexSecretKey,
    String caConfigMapName,
    String caConfigMapKey,
    List<String> contextFiles,
    Map<String, String> labels,
    Map<String, String> annotations,
    OwnerReference owner) {

  public BuildJobSpec {
    contextFiles = List.copyOf(new java.util.TreeSet<>(contextFiles));
  }

  public String destination() {
    return repository + ":" + tag;
  }
}
