package dev.envforge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/** Observed state of one variant ({@code status.variants[]}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "name",
  "hash",
  "tag",
  "image",
  "phase",
  "jobName",
  "startTime",
  "completionTime",
  "packages",
  "requestedPackages",
  "python",
  "runtimeConfigMap",
  "runtimePackages",
  "builder",
  "builderReason",
  "reason",
  "message",
  "rebuildToken",
  "generation",
  "buildLog",
  "history"
})
public class VariantStatus {

  @JsonPropertyDescription("Name of the variant, as in spec.variants.")
  private String name;

  @JsonPropertyDescription(
      "SHA-256 (hex) of the variant's install plan and build inputs; equal hashes mean equal images.")
  private String hash;

  @JsonPropertyDescription("Image tag: ef- and the first 32 hex digits of the hash.")
  private String tag;

  @JsonPropertyDescription("Immutable image reference, repository:tag@sha256:digest, once the image exists.")
  private String image;

  @JsonPropertyDescription("Pending, Checking, Cached, Building, Succeeded or Failed.")
  private VariantPhase phase;

  @JsonPropertyDescription("Name of the build Job, while or after building.")
  private String jobName;

  @JsonPropertyDescription("When the build started (RFC 3339).")
  private String startTime;

  @JsonPropertyDescription("When the build finished (RFC 3339).")
  private String completionTime;

  @JsonPropertyDescription("Number of packages in the variant's install plan.")
  private Integer packages;

  @JsonPropertyDescription("How many of those packages the project asks for itself (the rest are dependencies);"
      + " absent where the lock format does not say.")
  private Integer requestedPackages;

  @JsonPropertyDescription("Full Python version the variant was resolved for, e.g. 3.12.8.")
  private String python;

  @JsonPropertyDescription("ConfigMap holding the runtime requirements of spec.variants[].runtimeGroups (key"
      + " requirements.txt), for Pods to mount at /etc/envforge/runtime; absent without runtime groups. Its name"
      + " changes with its content.")
  private String runtimeConfigMap;

  @JsonPropertyDescription("Number of packages the runtime groups add on top of the image.")
  private Integer runtimePackages;

  @JsonPropertyDescription("Which builder makes the variant's image: assemble or kaniko (spec.builder.mode, with auto"
      + " resolved for this plan).")
  private String builder;

  @JsonPropertyDescription("Why that builder, e.g. \"package foo 1.0 has no wheel for CPython 3.12.8 on x86_64 with"
      + " glibc 2.36 (only an sdist, which must be built)\" when auto falls back to Kaniko.")
  private String builderReason;

  @JsonPropertyDescription("CamelCase reason of the current phase, e.g. OOMKilled; the reasons are listed in"
      + " docs/reference.md.")
  private String reason;

  @JsonPropertyDescription("Human-readable detail of the current phase.")
  private String message;

  @JsonPropertyDescription(
      "The spec.rebuildToken this variant's image was last built or found under; a different token forces a build.")
  private String rebuildToken;

  @JsonPropertyDescription("The metadata.generation this variant's phase was reached at; a failed build is retried"
      + " only at a newer generation or with a new rebuildToken.")
  private Long generation;

  @JsonPropertyDescription("The log of the variant's last finished build: its tail, and the full log's artifact in"
      + " the registry.")
  private BuildLogStatus buildLog;

  @JsonPropertyDescription("The images this variant used, oldest first, at most spec.historyLimit (default 10):"
      + " hash, image, since when, and the packages changed against the entry before.")
  private java.util.List<HistoryEntry> history;

  public VariantStatus() {}

  public VariantStatus(String name) {
    this.name = name;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getHash() {
    return hash;
  }

  public void setHash(String hash) {
    this.hash = hash;
  }

  public String getTag() {
    return tag;
  }

  public void setTag(String tag) {
    this.tag = tag;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public VariantPhase getPhase() {
    return phase;
  }

  public void setPhase(VariantPhase phase) {
    this.phase = phase;
  }

  public String getJobName() {
    return jobName;
  }

  public void setJobName(String jobName) {
    this.jobName = jobName;
  }

  public String getStartTime() {
    return startTime;
  }

  public void setStartTime(String startTime) {
    this.startTime = startTime;
  }

  public String getCompletionTime() {
    return completionTime;
  }

  public void setCompletionTime(String completionTime) {
    this.completionTime = completionTime;
  }

  public Integer getPackages() {
    return packages;
  }

  public void setPackages(Integer packages) {
    this.packages = packages;
  }

  public Integer getRequestedPackages() {
    return requestedPackages;
  }

  public void setRequestedPackages(Integer requestedPackages) {
    this.requestedPackages = requestedPackages;
  }

  public String getPython() {
    return python;
  }

  public void setPython(String python) {
    this.python = python;
  }

  public String getRuntimeConfigMap() {
    return runtimeConfigMap;
  }

  public void setRuntimeConfigMap(String runtimeConfigMap) {
    this.runtimeConfigMap = runtimeConfigMap;
  }

  public Integer getRuntimePackages() {
    return runtimePackages;
  }

  public void setRuntimePackages(Integer runtimePackages) {
    this.runtimePackages = runtimePackages;
  }

  public String getBuilder() {
    return builder;
  }

  public void setBuilder(String builder) {
    this.builder = builder;
  }

  public String getBuilderReason() {
    return builderReason;
  }

  public void setBuilderReason(String builderReason) {
    this.builderReason = builderReason;
  }

  public String getReason() {
    return reason;
  }

  /** The reason as read from the API: a status written by a newer envforge may hold one this version does not know. */
  public void setReason(String reason) {
    this.reason = reason;
  }

  public void setReason(Reason reason) {
    this.reason = reason == null ? null : reason.wire();
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getRebuildToken() {
    return rebuildToken;
  }

  public void setRebuildToken(String rebuildToken) {
    this.rebuildToken = rebuildToken;
  }

  public java.util.List<HistoryEntry> getHistory() {
    return history;
  }

  public void setHistory(java.util.List<HistoryEntry> history) {
    this.history = history;
  }

  public BuildLogStatus getBuildLog() {
    return buildLog;
  }

  public void setBuildLog(BuildLogStatus buildLog) {
    this.buildLog = buildLog;
  }

  public Long getGeneration() {
    return generation;
  }

  public void setGeneration(Long generation) {
    this.generation = generation;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof VariantStatus)) {
      return false;
    }
    VariantStatus that = (VariantStatus) o;
    return Objects.equals(name, that.name)
        && Objects.equals(hash, that.hash)
        && Objects.equals(tag, that.tag)
        && Objects.equals(image, that.image)
        && phase == that.phase
        && Objects.equals(jobName, that.jobName)
        && Objects.equals(startTime, that.startTime)
        && Objects.equals(completionTime, that.completionTime)
        && Objects.equals(packages, that.packages)
        && Objects.equals(requestedPackages, that.requestedPackages)
        && Objects.equals(python, that.python)
        && Objects.equals(runtimeConfigMap, that.runtimeConfigMap)
        && Objects.equals(runtimePackages, that.runtimePackages)
        && Objects.equals(builder, that.builder)
        && Objects.equals(builderReason, that.builderReason)
        && Objects.equals(reason, that.reason)
        && Objects.equals(message, that.message)
        && Objects.equals(rebuildToken, that.rebuildToken)
        && Objects.equals(generation, that.generation)
        && Objects.equals(buildLog, that.buildLog)
        && Objects.equals(history, that.history);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        name, hash, tag, image, phase, jobName, startTime, completionTime, packages, requestedPackages, python, builder,
        builderReason, runtimeConfigMap, runtimePackages, reason, message, rebuildToken, generation, buildLog,
        history);
  }

  @Override
  public String toString() {
    return "VariantStatus{name=" + name + ", hash=" + hash + ", tag=" + tag + ", image=" + image + ", phase="
        + phase + ", jobName=" + jobName + ", startTime=" + startTime + ", completionTime=" + completionTime
        + ", packages=" + packages + ", requestedPackages=" + requestedPackages + ", python=" + python
        + ", builder=" + builder + ", builderReason=" + builderReason
        + ", runtimeConfigMap=" + runtimeConfigMap + ", runtimePackages=" + runtimePackages + ", reason=" + reason
        + ", message=" + message + ", rebuildToken=" + rebuildToken + ", generation="
        + generation + ", buildLog=" + buildLog + ", history=" + history + "}";
  }
}
