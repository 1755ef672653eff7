package dev.envforge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the build Jobs ({@code spec.builder}), and the shape of the operator-wide defaults file
 * ({@code envforge run --builder-settings}, the chart's {@code builder} values). Each field left out comes from
 * the operator; a field that is set overrides only itself: maps (nodeSelector, pod labels and annotations) and
 * resources are merged key by key, env by variable name, tolerations and imagePullSecrets are added to the
 * operator's, and each part of affinity (node, pod, pod anti) replaces the operator's part.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"mode", "assemblerImage", "image", "resources", "activeDeadlineSeconds", "cacheRepository",
    "serviceAccountName",
    "nodeSelector", "tolerations", "affinity", "priorityClassName", "runtimeClassName", "imagePullSecrets", "env",
    "podLabels", "podAnnotations", "registryMirrors", "uvImage", "indexMirrors"})
public class BuilderSpec {

  /** Shortest build time limit accepted. */
  public static final long MIN_ACTIVE_DEADLINE_SECONDS = 60;
  /** Longest build time limit accepted: one day. */
  public static final long MAX_ACTIVE_DEADLINE_SECONDS = 86_400;

  @JsonPropertyDescription(
      "Which builder makes the images: auto (default when absent) assembles an image from the plan's wheels when"
          + " every package has a wheel for the target, and builds with Kaniko otherwise; assemble always assembles"
          + " and refuses a plan with a package that has no wheel (InvalidSpec naming the package); kaniko always"
          + " builds with Kaniko. The builder is part of the image's hash, so the tag names what was built;"
          + " status.variants[].builder and builderReason say which builder was chosen and why. Per resource only:"
          + " the operator's builder settings cannot set it.")
  private BuilderMode mode;

  @Size(max = 255)
  @JsonPropertyDescription(
      "Image that runs envforge assemble in the build Job (mode assemble, or auto when it assembles), a tag or a"
          + " digest. Default: the operator's --assembler-image (chart value builder.assemblerImage, else the"
          + " operator's own image).")
  private String assemblerImage;

  @Size(max = 255)
  @Pattern(Patterns.PINNABLE_IMAGE)
  @JsonPropertyDescription(
      "Image of the Kaniko builder, a tag or a digest (repository@sha256:<64 hex>). Default: the operator's"
          + " --builder-image (chart value builder.image), else ghcr.io/osscontainertools/kaniko:v1.28.3.")
  private String image;

  @JsonPropertyDescription(
      "Requests and limits of the build container, merged key by key over the operator's (chart value"
          + " builder.resources; by default requests cpu 500m and memory 2Gi, limit memory 8Gi): setting"
          + " limits.memory keeps the operator's requests. Any resource name, e.g. ephemeral-storage.")
  private ResourceRequirements resources;

  @Min(MIN_ACTIVE_DEADLINE_SECONDS)
  @Max(MAX_ACTIVE_DEADLINE_SECONDS)
  @JsonPropertyDescription(
      "Time limit of one build in seconds, from 60 to 86400. Default: the operator's --builder-deadline-seconds"
          + " (chart value builder.deadlineSeconds, 3600).")
  private Long activeDeadlineSeconds;

  @Size(max = 255)
  @Pattern(Patterns.IMAGE_REPOSITORY)
  @JsonPropertyDescription(
      "Repository for the builds' layer cache: Kaniko's --cache-repo, or the assembler's --cache-repo (package"
          + " layers tagged layer-<key>). When absent, builds run without a layer cache, unless the operator sets"
          + " one.")
  private String cacheRepository;

  @Size(max = 253)
  @Pattern(Patterns.DNS_SUBDOMAIN)
  @JsonPropertyDescription(
      "ServiceAccount the build Pods run as. Default: the operator's, else the namespace's default"
          + " ServiceAccount. Its token is not mounted.")
  private String serviceAccountName;

  @JsonPropertyDescription(
      "Node labels the build Pod must match, merged over the operator's. kubernetes.io/os and kubernetes.io/arch"
          + " always follow spec.platform for Kaniko builds; an assemble build runs on any Linux node.")
  private Map<String, String> nodeSelector;

  @JsonPropertyDescription("Tolerations of the build Pod, added to the operator's.")
  private List<Toleration> tolerations;

  @JsonPropertyDescription(
      "Affinity of the build Pod; nodeAffinity, podAffinity and podAntiAffinity each replace the operator's.")
  private Affinity affinity;

  @Size(max = 253)
  @JsonPropertyDescription("PriorityClass of the build Pod. Default: the operator's, else none.")
  private String priorityClassName;

  @Size(max = 253)
  @JsonPropertyDescription(
      "RuntimeClass of the build Pod, e.g. a sandboxed runtime such as gVisor or Kata. Default: the operator's,"
          + " else the cluster's default runtime.")
  private String runtimeClassName;

  @JsonPropertyDescription(
      "Secrets for pulling the builder image from a private registry, added to the operator's.")
  private List<LocalObjectReference> imagePullSecrets;

  @JsonPropertyDescription(
      "Environment variables of the build container, merged by name over the operator's, e.g. HTTP_PROXY,"
          + " HTTPS_PROXY and NO_PROXY; use valueFrom.secretKeyRef for anything secret.")
  private List<EnvVar> env;

  @JsonPropertyDescription(
      "Labels of the build Pod, merged over the operator's; envforge's own labels win. E.g."
          + " sidecar.istio.io/inject: \"false\".")
  private Map<String, String> podLabels;

  @JsonPropertyDescription(
      "Annotations of the build Pod, merged over the operator's, e.g. to turn off a service-mesh sidecar.")
  private Map<String, String> podAnnotations;

  @Size(max = 8)
  @JsonPropertyDescription(
      "Registry mirrors Kaniko pulls base images through (--registry-mirror, tried in order, then the base image's"
          + " own registry), e.g. mirror.example.com or mirror.example.com/dockerhub. Replaces the operator's list."
          + " For air-gapped clusters; the pulled image is the same by digest.")
  private List<String> registryMirrors;

  @Size(max = 255)
  @Pattern(Patterns.PINNABLE_IMAGE)
  @JsonPropertyDescription(
      "Image the uv installer is copied from (installer uv), a tag or a digest (repository@sha256:<64 hex>), e.g. a"
          + " copy in an internal registry. It must hold uv " + dev.envforge.core.recipe.Installer.UV_VERSION
          + " at /uv. Default: the operator's (chart value builder.uvImage), else ghcr.io/astral-sh/uv:"
          + dev.envforge.core.recipe.Installer.UV_VERSION + ". Not part of the image tag.")
  private String uvImage;

  @Size(max = 16)
  @JsonPropertyDescription(
      "Package-index mirrors: each index URL the lock names is fetched from its mirror instead (air-gapped"
          + " clusters). Merged by url over the operator's list (chart value builder.indexMirrors). Every recorded"
          + " artifact hash is still checked, and the image tag does not change.")
  private List<IndexMirror> indexMirrors;

  public BuilderMode getMode() {
    return mode;
  }

  public void setMode(BuilderMode mode) {
    this.mode = mode;
  }

  public String getAssemblerImage() {
    return assemblerImage;
  }

  public void setAssemblerImage(String assemblerImage) {
    this.assemblerImage = assemblerImage;
  }

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

  public Map<String, String> getNodeSelector() {
    return nodeSelector;
  }

  public void setNodeSelector(Map<String, String> nodeSelector) {
    this.nodeSelector = nodeSelector;
  }

  public List<Toleration> getTolerations() {
    return tolerations;
  }

  public void setTolerations(List<Toleration> tolerations) {
    this.tolerations = tolerations;
  }

  public Affinity getAffinity() {
    return affinity;
  }

  public void setAffinity(Affinity affinity) {
    this.affinity = affinity;
  }

  public String getPriorityClassName() {
    return priorityClassName;
  }

  public void setPriorityClassName(String priorityClassName) {
    this.priorityClassName = priorityClassName;
  }

  public String getRuntimeClassName() {
    return runtimeClassName;
  }

  public void setRuntimeClassName(String runtimeClassName) {
    this.runtimeClassName = runtimeClassName;
  }

  public List<LocalObjectReference> getImagePullSecrets() {
    return imagePullSecrets;
  }

  public void setImagePullSecrets(List<LocalObjectReference> imagePullSecrets) {
    this.imagePullSecrets = imagePullSecrets;
  }

  public List<EnvVar> getEnv() {
    return env;
  }

  public void setEnv(List<EnvVar> env) {
    this.env = env;
  }

  public Map<String, String> getPodLabels() {
    return podLabels;
  }

  public void setPodLabels(Map<String, String> podLabels) {
    this.podLabels = podLabels;
  }

  public Map<String, String> getPodAnnotations() {
    return podAnnotations;
  }

  public void setPodAnnotations(Map<String, String> podAnnotations) {
    this.podAnnotations = podAnnotations;
  }

  public String getUvImage() {
    return uvImage;
  }

  public void setUvImage(String uvImage) {
    this.uvImage = uvImage;
  }

  public List<IndexMirror> getIndexMirrors() {
    return indexMirrors;
  }

  public void setIndexMirrors(List<IndexMirror> indexMirrors) {
    this.indexMirrors = indexMirrors;
  }

  public List<String> getRegistryMirrors() {
    return registryMirrors;
  }

  public void setRegistryMirrors(List<String> registryMirrors) {
    this.registryMirrors = registryMirrors;
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
    return mode == that.mode
        && Objects.equals(assemblerImage, that.assemblerImage)
        && Objects.equals(image, that.image)
        && Objects.equals(resources, that.resources)
        && Objects.equals(activeDeadlineSeconds, that.activeDeadlineSeconds)
        && Objects.equals(cacheRepository, that.cacheRepository)
        && Objects.equals(serviceAccountName, that.serviceAccountName)
        && Objects.equals(nodeSelector, that.nodeSelector)
        && Objects.equals(tolerations, that.tolerations)
        && Objects.equals(affinity, that.affinity)
        && Objects.equals(priorityClassName, that.priorityClassName)
        && Objects.equals(runtimeClassName, that.runtimeClassName)
        && Objects.equals(imagePullSecrets, that.imagePullSecrets)
        && Objects.equals(env, that.env)
        && Objects.equals(podLabels, that.podLabels)
        && Objects.equals(podAnnotations, that.podAnnotations)
        && Objects.equals(registryMirrors, that.registryMirrors)
        && Objects.equals(uvImage, that.uvImage)
        && Objects.equals(indexMirrors, that.indexMirrors);
  }

  @Override
  public int hashCode() {
    return Objects.hash(mode, assemblerImage, image, resources, activeDeadlineSeconds, cacheRepository,
        serviceAccountName, nodeSelector, tolerations, affinity, priorityClassName, runtimeClassName, imagePullSecrets,
        env, podLabels, podAnnotations, registryMirrors, uvImage, indexMirrors);
  }

  @Override
  public String toString() {
    return "BuilderSpec{mode=" + mode + ", assemblerImage=" + assemblerImage + ", image=" + image + ", " + "resources=" + resources + ", " + "activeDeadlineSeconds=" + activeDeadlineSeconds + ", " + "cacheRepository=" + cacheRepository + ", " + "serviceAccountName=" + serviceAccountName + ", " + "nodeSelector=" + nodeSelector + ", " + "tolerations=" + tolerations + ", " + "affinity=" + affinity + ", " + "priorityClassName=" + priorityClassName + ", " + "runtimeClassName=" + runtimeClassName + ", " + "imagePullSecrets=" + imagePullSecrets + ", " + "env=" + env + ", " + "podLabels=" + podLabels + ", " + "podAnnotations=" + podAnnotations
        + ", registryMirrors=" + registryMirrors + ", uvImage=" + uvImage + ", indexMirrors=" + indexMirrors + "}";
  }
}
