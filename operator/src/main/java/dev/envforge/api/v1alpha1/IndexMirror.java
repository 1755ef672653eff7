package dev.envforge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** A package index the lock names, and the mirror a build fetches it from ({@code spec.builder.indexMirrors[]}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"url", "mirror"})
public class IndexMirror {
  @Required
  @Size(max = 2048)
  @Pattern(Patterns.INDEX_URL)
  @JsonPropertyDescription("Index URL as the lock names it, e.g. https://pypi.org/simple; a trailing \"/\" does not"
      + " matter.")
  private String url;

  @Required
  @Size(max = 2048)
  @Pattern(Patterns.INDEX_URL)
  @JsonPropertyDescription("URL of the mirror that serves the same packages, e.g."
      + " https://nexus.example.com/repository/pypi/simple. No credentials in the URL: put them in the"
      + " indexCredentialsSecretRef netrc under the mirror's host.")
  private String mirror;

  public IndexMirror() {}

  public IndexMirror(String url, String mirror) {
    this.url = url;
    this.mirror = mirror;
  }

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public String getMirror() {
    return mirror;
  }

  public void setMirror(String mirror) {
    this.mirror = mirror;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IndexMirror that && Objects.equals(url, that.url) && Objects.equals(mirror, that.mirror);
  }

  @Override
  public int hashCode() {
    return Objects.hash(url, mirror);
  }

  @Override
  public String toString() {
    return "IndexMirror{url=" + url + ", mirror=" + mirror + "}";
  }
}
