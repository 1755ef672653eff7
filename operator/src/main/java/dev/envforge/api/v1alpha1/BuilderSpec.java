package dev.envforge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.Objects;

/** Settings of the build Jobs ({@code spec.builder}); anything left out comes from the operator's configuration. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"image", "resources", "activeDeadlineSeconds", "cacheRepository", "serviceAccountName"})
public class BuilderSpec {

  /** Build time limit when none is set. */
  public static final long DEFAULT_ACTIVE_DEADLINE_SECONDS = 3600;
  /** Shortest build time limit accepted. */
  public static final long MIN_ACTIVE_DEADLINE_SECONDS = 60;
  /** Longest build time limit accepted: one day. */
  public static final long MAX_ACTIVE_DEADLINE_SECONDS = 86_400;

  @Size(max = 255)
  @JsonPropertyDescription(
      "Image of the Kaniko builder. Default: the operator's --builder-image (a pinned"
          + " ghcr.io/osscontainertools/kaniko release).")
  private String image;

  @JsonPropertyDescription("CPU and memory requests and limits of the build container. Default: the operator's.")
  private ResourceRequirements resources;

  @Min(MIN_ACTIVE_DEADLINE_SECONDS)
  @Max(MAX_ACTIVE_DEADLINE_SECONDS)
  @Default("3600")
  @JsonPropertyDescription("Time limit of one build in seconds, from 60 to 86400. Default 3600.")
  private Long activeDeadlineSeconds = DEFAULT_ACTIVE_DEADLINE_SECONDS;

  @Size(max = 255)
  @Pattern(Patterns.IMAGE_REPOSITORY)
  @JsonPropertyDescription(
      "Repository for Kaniko's layer cache (--cache=true --cache-repo). When absent, builds run without a layer"
          + " cache, unless the operator sets one.")
  private String cacheRepository;

  @Size(max = 253)
  @Pattern(Patterns.DNS_SUBDOMAIN)
  @JsonPropertyDescription("ServiceAccount the build Pods run as. Default: the namespace's default ServiceAccount.")
  private String serviceAccountName;

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public ResourceRequirements getResources() {
    return resources;
  }

  public void setResources(ResourceRequirements resources) {
    this.resources = resources;
  }

  public Long getActiveDeadlineSeconds() {
    return activeDeadlineSeconds;
  }

  public void setActiveDeadlineSeconds(Long activeDeadlineSeconds) {
    this.activeDeadlineSeconds = activeDeadlineSeconds;
  }

  public String getCacheRepository() {
    return cacheRepository;
  }

  public void setCacheRepository(String cacheRepository) {
    this.cacheRepository = cacheRepository;
  }

  public String getServiceAccountName() {
    return serviceAccountName;
  }

  public void setServiceAccountName(String serviceAccountName) {
    this.serviceAccountName = serviceAccountName;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof BuilderSpec)) {
      return false;
    }
    BuilderSpec that = (BuilderSpec) o;
    return Objects.equals(image, that.image)
        && Objects.equals(resources, that.resources)
        && Objects.equals(activeDeadlineSeconds, that.activeDeadlineSeconds)
        && Objects.equals(cacheRepository, that.cacheRepository)
        && Objects.equals(serviceAccountName, that.serviceAccountName);
  }

  @Override
  public int hashCode() {
    return Objects.hash(image, resources, activeDeadlineSeconds, cacheRepository, serviceAccountName);
  }

  @Override
  public String toString() {
    return "BuilderSpec{image=" + image + ", resources=" + resources + ", activeDeadlineSeconds="
        + activeDeadlineSeconds + ", cacheRepository=" + cacheRepository + ", serviceAccountName="
        + serviceAccountName + "}";
  }
}
