package dev.envforge.operator;

import dev.envforge.api.v1alpha1.BuilderSpec;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The scheduling and environment settings of one build Pod, merged field by field from the operator's settings
 * and the resource's {@code spec.builder}: a field the resource sets overrides only itself.
 *
 * @param serviceAccountName the Pod's ServiceAccount, or null for the namespace's default
 * @param nodeSelector every node label the Pod requires (sorted), the platform's os and arch included
 * @param tolerations the operator's, then the resource's new ones
 * @param affinity node, pod and pod-anti affinity, each the resource's or else the operator's; null for none
 * @param priorityClassName the PriorityClass, or null
 * @param runtimeClassName the RuntimeClass, or null
 * @param imagePullSecrets the operator's, then the resource's new ones, by name
 * @param env the operator's variables, each replaced by the resource's of the same name, then the resource's new ones
 * @param podLabels user labels of the Pod (sorted); envforge's own labels are added over them
 * @param podAnnotations user annotations of the Pod (sorted)
 * @param registryMirrors Kaniko's registry mirrors for base images: the resource's list, else the operator's
 */
public record BuildPodSettings(String serviceAccountName, Map<String, String> nodeSelector,
    List<Toleration> tolerations, Affinity affinity, String priorityClassName, String runtimeClassName,
    List<LocalObjectReference> imagePullSecrets, List<EnvVar> env, Map<String, String> podLabels,
    Map<String, String> podAnnotations, List<String> registryMirrors) {

  /** No settings beyond the platform's node selector. */
  public static BuildPodSettings none(Map<String, String> platformSelector) {
    return merge(null, null, platformSelector);
  }

  /** {@code resource} over {@code operator}; the platform's node labels win over both. */
  public static BuildPodSettings merge(BuilderSpec operator, BuilderSpec resource,
      Map<String, String> platformSelector) {
    BuilderSpec op = operator == null ? new BuilderSpec() : operator;
    BuilderSpec res = resource == null ? new BuilderSpec() : resource;
    Map<String, String> selector = mergeMaps(op.getNodeSelector(), res.getNodeSelector());
    selector.putAll(platformSelector);
    return new BuildPodSettings(
        first(res.getServiceAccountName(), op.getServiceAccountName()),
        selector,
        union(op.getTolerations(), res.getTolerations(), t -> t),
        affinity(op.getAffinity(), res.getAffinity()),
        first(res.getPriorityClassName(), op.getPriorityClassName()),
        first(res.getRuntimeClassName(), op.getRuntimeClassName()),
        union(op.getImagePullSecrets(), res.getImagePullSecrets(), LocalObjectReference::getName),
        env(op.getEnv(), res.getEnv()),
        mergeMaps(op.getPodLabels(), res.getPodLabels()),
        mergeMaps(op.getPodAnnotations(), res.getPodAnnotations()),
        List.copyOf(res.getRegistryMirrors() != null ? res.getRegistryMirrors()
            : op.getRegistryMirrors() != null ? op.getRegistryMirrors() : List.of()));
  }

  private static String first(String preferred, String fallback) {
    return preferred != null ? preferred : fallback;
  }

  private static Map<String, String> mergeMaps(Map<String, String> base, Map<String, String> override) {
    Map<String, String> merged = new TreeMap<>();
    if (base != null) {
      merged.putAll(base);
    }
    if (override != null) {
      merged.putAll(override);
    }
    return merged;
  }

  private static <T> List<T> union(List<T> base, List<T> added, Function<T, ?> key) {
    Map<Object, T> merged = new LinkedHashMap<>();
    for (List<T> list : java.util.Arrays.asList(base, added)) {
      if (list != null) {
        list.forEach(item -> merged.putIfAbsent(key.apply(item), item));
      }
    }
    return new ArrayList<>(merged.values());
  }

  private static List<EnvVar> env(List<EnvVar> base, List<EnvVar> override) {
    Map<String, EnvVar> merged = new LinkedHashMap<>();
    if (base != null) {
      base.forEach(v -> merged.put(v.getName(), v));
    }
    if (override != null) {
      override.forEach(v -> merged.put(v.getName(), v));
    }
    return new ArrayList<>(merged.values());
  }

  private static Affinity affinity(Affinity base, Affinity override) {
    if (base == null && override == null) {
      return null;
    }
    Affinity b = base == null ? new Affinity() : base;
    Affinity o = override == null ? new Affinity() : override;
    return new AffinityBuilder()
        .withNodeAffinity(o.getNodeAffinity() != null ? o.getNodeAffinity() : b.getNodeAffinity())
        .withPodAffinity(o.getPodAffinity() != null ? o.getPodAffinity() : b.getPodAffinity())
        .withPodAntiAffinity(o.getPodAntiAffinity() != null ? o.getPodAntiAffinity() : b.getPodAntiAffinity())
        .build();
  }
}
