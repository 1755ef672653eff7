package dev.envforge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/** The log of a variant's last finished build ({@code status.variants[].buildLog}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"job", "pod", "artifact", "referrer", "bytes", "tail", "message"})
public class BuildLogStatus {

  @JsonPropertyDescription("The build Job the log is from (namespace/name when in another namespace).")
  private String job;

  @JsonPropertyDescription("The build Pod the log was read from.")
  private String pod;

  @JsonPropertyDescription("The full log in the registry, as an immutable reference repository@sha256:digest"
      + " (an OCI artifact of type application/vnd.envforge.build-log.v1+text); print it with envforge logs."
      + " Absent while or when it could not be stored (see message).")
  private String artifact;

  @JsonPropertyDescription("True when the registry lists the log among the image's referrers (OCI 1.1); false when"
      + " it is found by the tag of the image plus .log.")
  private Boolean referrer;

  @JsonPropertyDescription("Size of the full log in bytes, credentials removed.")
  private Long bytes;

  @JsonPropertyDescription("The last lines of the log (at most 4 KiB), credentials removed.")
  private String tail;

  @JsonPropertyDescription("Why the log or its artifact is missing, when it is.")
  private String message;

  public BuildLogStatus() {}

  public String getJob() {
    return job;
  }

  public void setJob(String job) {
    this.job = job;
  }

  public String getPod() {
    return pod;
  }

  public void setPod(String pod) {
    this.pod = pod;
  }

  public String getArtifact() {
    return artifact;
  }

  public void setArtifact(String artifact) {
    this.artifact = artifact;
  }

  public Boolean getReferrer() {
    return referrer;
  }

  public void setReferrer(Boolean referrer) {
    this.referrer = referrer;
  }

  public Long getBytes() {
    return bytes;
  }

  public void setBytes(Long bytes) {
    this.bytes = bytes;
  }

  public String getTail() {
    return tail;
  }

  public void setTail(String tail) {
    this.tail = tail;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BuildLogStatus that && Objects.equals(job, that.job) && Objects.equals(pod, that.pod)
        && Objects.equals(artifact, that.artifact) && Objects.equals(referrer, that.referrer)
        && Objects.equals(bytes, that.bytes) && Objects.equals(tail, that.tail)
        && Objects.equals(message, that.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(job, pod, artifact, referrer, bytes, tail, message);
  }

  @Override
  public String toString() {
    return "BuildLogStatus{job=" + job + ", pod=" + pod + ", artifact=" + artifact + ", referrer=" + referrer
        + ", bytes=" + bytes + ", tail=" + (tail == null ? null : tail.length() + " chars") + ", message="
        + message + "}";
  }
}
