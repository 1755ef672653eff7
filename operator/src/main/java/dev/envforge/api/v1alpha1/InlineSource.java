package dev.envforge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** The project file and the lock file written into the resource ({@code spec.source.inline}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"pyproject", "lock"})
public class InlineSource {

  /** Largest inline text accepted; a resource as a whole must stay well below etcd's 1.5 MiB. */
  public static final int MAX_TEXT_LENGTH = 1_048_576;

  @Size(max = MAX_TEXT_LENGTH)
  @JsonPropertyDescription(
      "Content of pyproject.toml. Needed by poetry and uv locks to know the project's own dependencies, groups"
          + " and extras; optional for pylock and requirements.")
  private String pyproject;

  @Required
  @Size(min = 1, max = MAX_TEXT_LENGTH)
  @JsonPropertyDescription("Content of the lock file (poetry.lock, uv.lock, pylock.toml or requirements.txt).")
  private String lock;

  public InlineSource() {}

  public InlineSource(String pyproject, String lock) {
    this.pyproject = pyproject;
    this.lock = lock;
  }

  public String getPyproject() {
    return pyproject;
  }

  public void setPyproject(String pyproject) {
    this.pyproject = pyproject;
  }

  public String getLock() {
    return lock;
  }

  public void setLock(String lock) {
    this.lock = lock;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof InlineSource)) {
      return false;
    }
    InlineSource that = (InlineSource) o;
    return Objects.equals(pyproject, that.pyproject) && Objects.equals(lock, that.lock);
  }

  @Override
  public int hashCode() {
    return Objects.hash(pyproject, lock);
  }

  /** Lengths only: the texts can be large. */
  @Override
  public String toString() {
    return "InlineSource{pyproject=" + length(pyproject) + " chars, lock=" + length(lock) + " chars}";
  }

  private static String length(String text) {
    return text == null ? "none" : String.valueOf(text.length());
  }
}
