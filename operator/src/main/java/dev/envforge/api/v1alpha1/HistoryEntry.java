package dev.envforge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/** One image a variant used, in {@code status.variants[].history}, oldest first. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"hash", "image", "since", "rollback", "changes", "log"})
public class HistoryEntry {

  @JsonPropertyDescription("Hash of the plan the image holds.")
  private String hash;

  @JsonPropertyDescription("Immutable image reference, repository:tag@sha256:digest.")
  private String image;

  @JsonPropertyDescription("When this image became the variant's current one (RFC 3339).")
  private String since;

  @JsonPropertyDescription("True when the variant went back to an image it had used before.")
  private Boolean rollback;

  @JsonPropertyDescription("Packages changed against the previous entry: counts (+added -removed ~version"
      + " changed, source changed), then the first changes.")
  private String changes;

  @JsonPropertyDescription("The log of the build that made the image, when this operator built it: an immutable"
      + " reference repository@sha256:digest of the log artifact (see envforge logs).")
  private String log;

  public HistoryEntry() {}

  public HistoryEntry(String hash, String image, String since, Boolean rollback, String changes) {
    this.hash = hash;
    this.image = image;
    this.since = since;
    this.rollback = rollback;
    this.changes = changes;
  }

  public String getHash() {
    return hash;
  }

  public void setHash(String hash) {
    this.hash = hash;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public String getSince() {
    return since;
  }

  public void setSince(String since) {
    this.since = since;
  }

  public Boolean getRollback() {
    return rollback;
  }

  public void setRollback(Boolean rollback) {
    this.rollback = rollback;
  }

  public String getChanges() {
    return changes;
  }

  public void setChanges(String changes) {
    this.changes = changes;
  }

  public String getLog() {
    return log;
  }

  public void setLog(String log) {
    this.log = log;
  }

  /** This entry with the given log reference. */
  public HistoryEntry withLog(String log) {
    HistoryEntry e = new HistoryEntry(hash, image, since, rollback, changes);
    e.setLog(log);
    return e;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HistoryEntry that && Objects.equals(hash, that.hash) && Objects.equals(image, that.image)
        && Objects.equals(since, that.since) && Objects.equals(rollback, that.rollback)
        && Objects.equals(changes, that.changes) && Objects.equals(log, that.log);
  }

  @Override
  public int hashCode() {
    return Objects.hash(hash, image, since, rollback, changes, log);
  }

  @Override
  public String toString() {
    return "HistoryEntry{hash=" + hash + ", image=" + image + ", since=" + since + ", rollback=" + rollback
        + ", changes=" + changes + ", log=" + log + "}";
  }
}
