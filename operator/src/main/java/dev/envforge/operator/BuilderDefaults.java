package dev.envforge.operator;

import dev.envforge.api.v1alpha1.BuilderSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.util.Map;
import java.util.TreeMap;

/**
 * The operator-wide build settings a resource's {@code spec.builder} may override, field by field.
 *
 * @param image the builder image (a Kaniko executor)
 * @param cacheRepository layer cache repository, or null for no cache
 * @param activeDeadlineSeconds how long a build may run
 * @param resources the build container's requests and limits
 * @param ttlSecondsAfterFinished how long finished build Jobs stay for inspection
 * @param pod the operator-wide pod settings (node selector, tolerations, affinity, env, ...), never null
 * @param assemblerImage the image that runs {@code envforge assemble} (the envforge image)
 */
public record BuilderDefaults(String image, String cacheRepository, long activeDeadlineSeconds,
    ResourceRequirements resources, int ttlSecondsAfterFinished, BuilderSpec pod, String assemblerImage) {
  /** The maintained Kaniko fork; the original project was archived in June 2025. */
  public static final String DEFAULT_IMAGE = "ghcr.io/osscontainertools/kaniko:v1.28.3";
  /** The envforge image of this release; the chart passes the operator's own image instead. */
  public static final String DEFAULT_ASSEMBLER_IMAGE = "ghcr.io/envforge/envforge:0.1.0";
  public static final long DEFAULT_DEADLINE_SECONDS = 3600;
  public static final int DEFAULT_TTL_SECONDS = 3600;

  public BuilderDefaults {
    pod = pod == null ? new BuilderSpec() : pod;
    assemblerImage = assemblerImage == null ? DEFAULT_ASSEMBLER_IMAGE : assemblerImage;
  }

  public BuilderDefaults(String image, String cacheRepository, long activeDeadlineSeconds,
      ResourceRequirements resources, int ttlSecondsAfterFinished, BuilderSpec pod) {
    this(image, cacheRepository, activeDeadlineSeconds, resources, ttlSecondsAfterFinished, pod, null);
  }

  public BuilderDefaults(String image, String cacheRepository, long activeDeadlineSeconds,
      ResourceRequirements resources, int ttlSecondsAfterFinished) {
    this(image, cacheRepository, activeDeadlineSeconds, resources, ttlSecondsAfterFinished, null, null);
  }

  /** These defaults with another assembler image. */
  public BuilderDefaults withAssemblerImage(String image) {
    return new BuilderDefaults(this.image, cacheRepository, activeDeadlineSeconds, resources,
        ttlSecondsAfterFinished, pod, image);
  }

  public static BuilderDefaults defaults() {
    return new BuilderDefaults(DEFAULT_IMAGE, null, DEFAULT_DEADLINE_SECONDS,
        resources("500m", "2Gi", null, "8Gi"), DEFAULT_TTL_SECONDS);
  }

  /**
   * These defaults with an operator-wide settings file applied: its image, cache repository, deadline and
   * resources override the command-line values (resources key by key); its pod settings become the defaults of
   * every build Pod.
   */
  public BuilderDefaults withSettings(BuilderSpec settings) {
    if (settings == null) {
      return this;
    }
    return new BuilderDefaults(
        settings.getImage() != null ? settings.getImage() : image,
        settings.getCacheRepository() != null ? settings.getCacheRepository() : cacheRepository,
        settings.getActiveDeadlineSeconds() != null ? settings.getActiveDeadlineSeconds() : activeDeadlineSeconds,
        mergeResources(resources, settings.getResources()),
        ttlSecondsAfterFinished,
        settings,
        settings.getAssemblerImage() != null ? settings.getAssemblerImage() : assemblerImage);
  }

  /** Requests and limits of {@code base}, each overridden by the same key of {@code override}. */
  public static ResourceRequirements mergeResources(ResourceRequirements base, ResourceRequirements override) {
    if (override == null) {
      return base;
    }
    if (base == null) {
      return override;
    }
    ResourceRequirementsBuilder merged = new ResourceRequirementsBuilder();
    Map<String, Quantity> requests = merge(base.getRequests(), override.getRequests());
    Map<String, Quantity> limits = merge(base.getLimits(), override.getLimits());
    if (!requests.isEmpty()) {
      merged.withRequests(requests);
    }
    if (!limits.isEmpty()) {
      merged.withLimits(limits);
    }
    return merged.build();
  }

  private static Map<String, Quantity> merge(Map<String, Quantity> base, Map<String, Quantity> override) {
    Map<String, Quantity> merged = new TreeMap<>();
    if (base != null) {
      merged.putAll(base);
    }
    if (override != null) {
      merged.putAll(override);
    }
    return merged;
  }

  public static ResourceRequirements resources(String cpuRequest, String memoryRequest, String cpuLimit,
      String memoryLimit) {
    ResourceRequirementsBuilder b = new ResourceRequirementsBuilder();
    if (cpuRequest != null) {
      b.addToRequests("cpu", new Quantity(cpuRequest));
    }
    if (memoryRequest != null) {
      b.addToRequests("memory", new Quantity(memoryRequest));
    }
    if (cpuLimit != null) {
      b.addToLimits("cpu", new Quantity(cpuLimit));
    }
    if (memoryLimit != null) {
      b.addToLimits("memory", new Quantity(memoryLimit));
    }
    return b.build();
  }
}
