package dev.envforge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Objects;

/** A ConfigMap holding the project's files ({@code spec.source.configMapRef}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"name", "pyprojectKey", "lockKey", "files"})
public class ConfigMapSource {

  /** Key of the project file when {@code pyprojectKey} is not set. */
  public static final String DEFAULT_PYPROJECT_KEY = "pyproject.toml";
  /** Largest number of extra project files. */
  public static final int MAX_FILES = 64;

  @Required
  @Size(max = 253)
  @Pattern(Patterns.DNS_SUBDOMAIN)
  @JsonPropertyDescription("Name of the ConfigMap, in the resource's namespace.")
  private String name;

  @Default(DEFAULT_PYPROJECT_KEY)
  @Size(max = 253)
  @Pattern(Patterns.DATA_KEY)
  @JsonPropertyDescription("Key of pyproject.toml in the ConfigMap. Default \"pyproject.toml\".")
  private String pyprojectKey = DEFAULT_PYPROJECT_KEY;

  @Size(max = 253)
  @Pattern(Patterns.DATA_KEY)
  @JsonPropertyDescription(
      "Key of the lock file in the ConfigMap. Default: the usual lock file name of the format (poetry.lock,"
          + " uv.lock, pylock.toml, requirements.txt) found among the keys.")
  private String lockKey;

  @Size(max = MAX_FILES)
  @ValidationRule(
      value = "self.all(f, self.exists_one(g, g.path == f.path))",
      message = "file paths must be unique")
  @JsonPropertyDescription(
      "Further project files from the same ConfigMap, such as the pyproject.toml of workspace members, each"
          + " placed at a path relative to the project root.")
  private List<ProjectFile> files;

  public ConfigMapSource() {}

  public ConfigMapSource(String name) {
    this.name = name;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getPyprojectKey() {
    return pyprojectKey;
  }

  public void setPyprojectKey(String pyprojectKey) {
    this.pyprojectKey = pyprojectKey;
  }

  public String getLockKey() {
    return lockKey;
  }

  public void setLockKey(String lockKey) {
    this.lockKey = lockKey;
  }

  public List<ProjectFile> getFiles() {
    return files;
  }

  public void setFiles(List<ProjectFile> files) {
    this.files = files;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ConfigMapSource)) {
      return false;
    }
    ConfigMapSource that = (ConfigMapSource) o;
    return Objects.equals(name, that.name)
        && Objects.equals(pyprojectKey, that.pyprojectKey)
        && Objects.equals(lockKey, that.lockKey)
        && Objects.equals(files, that.files);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, pyprojectKey, lockKey, files);
  }

  @Override
  public String toString() {
    return "ConfigMapSource{name=" + name + ", pyprojectKey=" + pyprojectKey + ", lockKey=" + lockKey
        + ", files=" + files + "}";
  }
}
