package dev.envforge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/** Where the lock file and the project file come from ({@code spec.source}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"format", "inline", "configMapRef"})
@ValidationRule(
    value = "has(self.inline) != has(self.configMapRef)",
    message = "exactly one of inline or configMapRef must be set")
public class LockSource {

  @JsonPropertyDescription(
      "Format of the lock file: poetry, uv, pylock or requirements. When absent it is detected from the file"
          + " names (configMapRef keys) or the file's content.")
  private LockSourceFormat format;

  @JsonPropertyDescription("The project file and the lock file as text in the resource itself.")
  private InlineSource inline;

  @JsonPropertyDescription("A ConfigMap in the resource's namespace that holds the project file and the lock file.")
  private ConfigMapSource configMapRef;

  public LockSourceFormat getFormat() {
    return format;
  }

  public void setFormat(LockSourceFormat format) {
    this.format = format;
  }

  public InlineSource getInline() {
    return inline;
  }

  public void setInline(InlineSource inline) {
    this.inline = inline;
  }

  public ConfigMapSource getConfigMapRef() {
    return configMapRef;
  }

  public void setConfigMapRef(ConfigMapSource configMapRef) {
    this.configMapRef = configMapRef;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof LockSource)) {
      return false;
    }
    LockSource that = (LockSource) o;
    return format == that.format
        && Objects.equals(inline, that.inline)
        && Objects.equals(configMapRef, that.configMapRef);
  }

  @Override
  public int hashCode() {
    return Objects.hash(format, inline, configMapRef);
  }

  @Override
  public String toString() {
    return "LockSource{format=" + format + ", inline=" + inline + ", configMapRef=" + configMapRef + "}";
  }
}
