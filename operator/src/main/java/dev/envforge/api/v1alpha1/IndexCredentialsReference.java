package dev.envforge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** A key of a Secret holding a netrc file for private package indexes ({@code spec.indexCredentialsSecretRef}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"name", "key"})
public class IndexCredentialsReference {

  /** Key used when {@code key} is not set. */
  public static final String DEFAULT_KEY = "netrc";

  @Required
  @Size(max = 253)
  @Pattern(Patterns.DNS_SUBDOMAIN)
  @JsonPropertyDescription("Name of the Secret, in the resource's namespace.")
  private String name;

  @Default(DEFAULT_KEY)
  @Size(max = 253)
  @Pattern(Patterns.DATA_KEY)
  @JsonPropertyDescription("Key of the netrc file in the Secret. Default \"netrc\".")
  private String key = DEFAULT_KEY;

  public IndexCredentialsReference() {}

  public IndexCredentialsReference(String name, String key) {
    this.name = name;
    this.key = key;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof IndexCredentialsReference)) {
      return false;
    }
    IndexCredentialsReference that = (IndexCredentialsReference) o;
    return Objects.equals(name, that.name) && Objects.equals(key, that.key);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, key);
  }

  @Override
  public String toString() {
    return "IndexCredentialsReference{name=" + name + ", key=" + key + "}";
  }
}
