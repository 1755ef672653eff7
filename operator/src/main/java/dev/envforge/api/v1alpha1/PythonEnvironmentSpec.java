package dev.envforge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Desired state of a {@link PythonEnvironment}: where the lock file comes from, which variants to build, for which
 * Python and platform, and where to push the images.
 *
 * <p>Fields with a schema default carry the same value as their Java initial value, so an object read from a server
 * that did not apply the defaults behaves the same.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "source",
  "variants",
  "python",
  "platform",
  "baseImage",
  "installer",
  "image",
  "indexCredentialsSecretRef",
  "builder",
  "rebuildToken",
  "suspend",
  "historyLimit"
})
public class PythonEnvironmentSpec {

  /** Largest number of variants one resource may declare. */
  public static final int MAX_VARIANTS = 16;
  /** How many images a variant's history keeps when the spec does not say. */
  public static final int DEFAULT_HISTORY_LIMIT = 10;
  /** The longest history a spec may ask for. */
  public static final int MAX_HISTORY_LIMIT = 50;

  @Required
  @JsonPropertyDescription(
      "Where the lock file and the project file come from: inline text or a ConfigMap. Exactly one of inline and"
          + " configMapRef must be set.")
  private LockSource source;

  @Size(min = 1, max = MAX_VARIANTS)
  @Default("[{\"name\":\"default\"}]")
  @ValidationRule(
      value = "self.all(v, self.exists_one(w, w.name == v.name))",
      message = "variant names must be unique")
  @JsonPropertyDescription(
      "Images to build from the one lock file, each with its own dependency groups and extras. Default: one variant"
          + " named \"default\" with the project's main dependencies only.")
  private List<Variant> variants = defaultVariants();

  @Pattern(Patterns.PYTHON_VERSION)
  @JsonPropertyDescription(
      "CPython version of the image, \"3.x\" or \"3.x.y\"; the image is for the minor version 3.x, and every"
          + " spelling of it gives the same tag when it installs the same packages. Markers on python_full_version"
          + " see the full version given, or 3.x.7 for \"3.x\". Default: 3.12, or when the project's"
          + " requires-python excludes it the highest of 3.13, 3.11, 3.10 and 3.9 that it allows. A version"
          + " requires-python excludes sets InvalidSpec with reason PythonExcluded.")
  private String python;

  @Default("linux/amd64")
  @JsonPropertyDescription("Platform of the image; wheels are selected for it. Default linux/amd64.")
  private Platform platform = Platform.LINUX_AMD64;

  @Size(max = 255)
  @JsonPropertyDescription(
      "Base image of the build. Default: docker.io/library/python:<major.minor>-slim-bookworm for the chosen"
          + " Python. A custom base must contain that Python as python3.")
  private String baseImage;

  @Default("uv")
  @JsonPropertyDescription("Tool that installs the packages inside the image: uv or pip. Default uv.")
  private Installer installer = Installer.UV;

  @Required
  @JsonPropertyDescription("Registry repository the images are pushed to, and how to reach it.")
  private ImageTarget image;

  @JsonPropertyDescription(
      "Secret holding a netrc file with credentials for private package indexes. It is mounted into the build"
          + " only and never copied into the image.")
  private IndexCredentialsReference indexCredentialsSecretRef;

  @JsonPropertyDescription(
      "Settings of the build Jobs. Defaults come from the operator's configuration.")
  private BuilderSpec builder;

  @Size(max = 63)
  @JsonPropertyDescription(
      "Free text; changing it forces a new build of every variant even when its image already exists, for"
          + " example to pick up a rebuilt base image.")
  private String rebuildToken;

  @Default("false")
  @JsonPropertyDescription(
      "When true, the operator neither checks the registry nor starts builds for this resource; a build already"
          + " running finishes, and its result is recorded once suspend is false again. The status shows"
          + " Reconciling=False and Stalled=False with reason Suspended, and Ready stays True if it was. Default"
          + " false.")
  private Boolean suspend = false;

  @io.fabric8.generator.annotation.Min(1)
  @io.fabric8.generator.annotation.Max(MAX_HISTORY_LIMIT)
  @JsonPropertyDescription("How many images each variant's status.variants[].history keeps, newest last."
      + " Default 10.")
  private Integer historyLimit;

  /** The variants used when the spec names none: one variant called "default", no groups, no extras. */
  public static List<Variant> defaultVariants() {
    List<Variant> variants = new ArrayList<>();
    variants.add(new Variant(Variant.DEFAULT_NAME));
    return variants;
  }

  public LockSource getSource() {
    return source;
  }

  public void setSource(LockSource source) {
    this.source = source;
  }

  public List<Variant> getVariants() {
    return variants;
  }

  public void setVariants(List<Variant> variants) {
    this.variants = variants;
  }

  public String getPython() {
    return python;
  }

  public void setPython(String python) {
    this.python = python;
  }

  public Platform getPlatform() {
    return platform;
  }

  public void setPlatform(Platform platform) {
    this.platform = platform;
  }

  public String getBaseImage() {
    return baseImage;
  }

  public void setBaseImage(String baseImage) {
    this.baseImage = baseImage;
  }

  public Installer getInstaller() {
    return installer;
  }

  public void setInstaller(Installer installer) {
    this.installer = installer;
  }

  public ImageTarget getImage() {
    return image;
  }

  public void setImage(ImageTarget image) {
    this.image = image;
  }

  public IndexCredentialsReference getIndexCredentialsSecretRef() {
    return indexCredentialsSecretRef;
  }

  public void setIndexCredentialsSecretRef(IndexCredentialsReference indexCredentialsSecretRef) {
    this.indexCredentialsSecretRef = indexCredentialsSecretRef;
  }

  public BuilderSpec getBuilder() {
    return builder;
  }

  public void setBuilder(BuilderSpec builder) {
    this.builder = builder;
  }

  public Integer getHistoryLimit() {
    return historyLimit;
  }

  public void setHistoryLimit(Integer historyLimit) {
    this.historyLimit = historyLimit;
  }

  public String getRebuildToken() {
    return rebuildToken;
  }

  public void setRebuildToken(String rebuildToken) {
    this.rebuildToken = rebuildToken;
  }

  public Boolean getSuspend() {
    return suspend;
  }

  public void setSuspend(Boolean suspend) {
    this.suspend = suspend;
  }

  /** Whether {@code spec.suspend} is true; absent means false. */
  public boolean suspended() {
    return Boolean.TRUE.equals(suspend);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof PythonEnvironmentSpec)) {
      return false;
    }
    PythonEnvironmentSpec that = (PythonEnvironmentSpec) o;
    return Objects.equals(source, that.source)
        && Objects.equals(variants, that.variants)
        && Objects.equals(python, that.python)
        && platform == that.platform
        && Objects.equals(baseImage, that.baseImage)
        && installer == that.installer
        && Objects.equals(image, that.image)
        && Objects.equals(indexCredentialsSecretRef, that.indexCredentialsSecretRef)
        && Objects.equals(builder, that.builder)
        && Objects.equals(rebuildToken, that.rebuildToken)
        && Objects.equals(suspend, that.suspend)
        && Objects.equals(historyLimit, that.historyLimit);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        source, variants, python, platform, baseImage, installer, image, indexCredentialsSecretRef, builder,
        rebuildToken, suspend, historyLimit);
  }

  @Override
  public String toString() {
    return "PythonEnvironmentSpec{source=" + source + ", variants=" + variants + ", python=" + python
        + ", platform=" + platform + ", baseImage=" + baseImage + ", installer=" + installer + ", image=" + image
        + ", indexCredentialsSecretRef=" + indexCredentialsSecretRef + ", builder=" + builder
        + ", rebuildToken=" + rebuildToken + ", suspend=" + suspend + ", historyLimit=" + historyLimit + "}";
  }
}
