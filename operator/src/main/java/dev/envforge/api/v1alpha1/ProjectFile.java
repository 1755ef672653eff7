package dev.envforge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** One extra project file taken from a ConfigMap key ({@code spec.source.configMapRef.files[]}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"key", "path"})
public class ProjectFile {

  @Required
  @Size(max = 253)
  @Pattern(Patterns.DATA_KEY)
  @JsonPropertyDescription("Key in the ConfigMap.")
  private String key;

  @Required
  @Size(max = 1024)
  @Pattern(Patterns.RELATIVE_PATH)
  @JsonPropertyDescription(
      "Where the file goes, relative to the project root, e.g. packages/core/pyproject.toml. No leading \"/\" and"
          + " no \".\" or \"..\" segments.")
  private String path;

  public ProjectFile() {}

  public ProjectFile(String key, String path) {
    this.key = key;
    this.path = path;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ProjectFile)) {
      return false;
    }
    ProjectFile that = (ProjectFile) o;
    return Objects.equals(key, that.key) && Objects.equals(path, that.path);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, path);
  }

  @Override
  public String toString() {
    return "ProjectFile{key=" + key + ", path=" + path + "}";
  }
}
