package dev.envforge.operator;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;

/**
 * The operator-wide build settings a resource's {@code spec.builder} may override.
 *
 * @param image the builder image (a Kaniko executor)
 * @param cacheRepository layer cache repository, or null for no cache
 * @param activeDeadlineSeconds how long a build may run
 * @param resources the build container's requests and limits
 * @param ttlSecondsAfterFinished how long finished build Jobs stay for inspection
 */
public record BuilderDefaults(String image, String cacheRepository, long activeDeadlineSeconds,
    ResourceRequirements resources, int ttlSecondsAfterFinished) {
  /** The maintained Kaniko fork; the original project was archived in June 2025. */
  public static final String DEFAULT_IMAGE = "ghcr.io/osscontainertools/kaniko:v1.28.3";
  public static final long DEFAULT_DEADLINE_SECONDS = 3600;
  public static final int DEFAULT_TTL_SECONDS = 3600;

  public static BuilderDefaults defaults() {
    return new BuilderDefaults(DEFAULT_IMAGE, null, DEFAULT_DEADLINE_SECONDS,
        resources("500m", "2Gi", null, "8Gi"), DEFAULT_TTL_SECONDS);
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
