package dev.envforge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** The registry repository the images are pushed to ({@code spec.image}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"repository", "pushSecretRef", "insecure", "caConfigMapRef"})
public class ImageTarget {

  @Required
  @Size(max = 255)
  @Pattern(Patterns.IMAGE_REPOSITORY)
  @JsonPropertyDescription(
      "Image repository without tag or digest, e.g. registry.example.com/team/ml-env. Each variant is pushed with"
          + " a tag derived from its install plan's hash.")
  private String repository;

  @JsonPropertyDescription(
      "Secret of type kubernetes.io/dockerconfigjson with credentials for the registry. Used to check whether an"
          + " image exists and mounted as the builder's docker config to push.")
  private SecretReference pushSecretRef;

  @Default("false")
  @JsonPropertyDescription("Allow plain HTTP to this registry. Default false.")
  private Boolean insecure = Boolean.FALSE;

  @JsonPropertyDescription("ConfigMap with a PEM bundle of CA certificates that the registry's certificate chains to.")
  private CaBundleReference caConfigMapRef;

  public ImageTarget() {}

  public ImageTarget(String repository) {
    this.repository = repository;
  }

  public String getRepository() {
    return repository;
  }

  public void setRepository(String repository) {
    this.repository = repository;
  }

  public SecretReference getPushSecretRef() {
    return pushSecretRef;
  }

  public void setPushSecretRef(SecretReference pushSecretRef) {
    this.pushSecretRef = pushSecretRef;
  }

  public Boolean getInsecure() {
    return insecure;
  }

  public void setInsecure(Boolean insecure) {
    this.insecure = insecure;
  }

  public CaBundleReference getCaConfigMapRef() {
    return caConfigMapRef;
  }

  public void setCaConfigMapRef(CaBundleReference caConfigMapRef) {
    this.caConfigMapRef = caConfigMapRef;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ImageTarget)) {
      return false;
    }
    ImageTarget that = (ImageTarget) o;
    return Objects.equals(repository, that.repository)
        && Objects.equals(pushSecretRef, that.pushSecretRef)
        && Objects.equals(insecure, that.insecure)
        && Objects.equals(caConfigMapRef, that.caConfigMapRef);
  }

  @Override
  public int hashCode() {
    return Objects.hash(repository, pushSecretRef, insecure, caConfigMapRef);
  }

  @Override
  public String toString() {
    return "ImageTarget{repository=" + repository + ", pushSecretRef=" + pushSecretRef + ", insecure=" + insecure
        + ", caConfigMapRef=" + caConfigMapRef + "}";
  }
}
