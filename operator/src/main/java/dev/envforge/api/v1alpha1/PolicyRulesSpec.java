package dev.envforge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Min;
import java.util.List;
import java.util.Objects;

/** The rules of an {@link EnvironmentPolicy} ({@code spec.rules}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"allowedSources", "allowedBaseImages", "allowedImageRepositories", "requiredPackages",
    "deniedPackages", "forbiddenGroups", "forbiddenExtras", "maxPackagesPerVariant", "maxVariantsPerResource",
    "forbidRuntimeGroups"})
public class PolicyRulesSpec {

  @JsonPropertyDescription("Where packages may come from, per kind of source.")
  private AllowedSources allowedSources;

  @JsonPropertyDescription("Which base images builds may start from.")
  private AllowedBaseImages allowedBaseImages;

  @JsonPropertyDescription("Repositories images may be pushed to: a repository, or a path prefix of one"
      + " (registry.example.com/ml allows registry.example.com/ml/team/env, not registry.example.com/ml-x/env).")
  private List<String> allowedImageRepositories;

  @JsonPropertyDescription("Packages every variant's plan must hold, at a version in the specifier when one is"
      + " given.")
  private List<PackageSelector> requiredPackages;

  @JsonPropertyDescription("Packages no variant's plan may hold: the whole package, or the versions in the"
      + " specifier (for example pyyaml with version <5.4).")
  private List<PackageSelector> deniedPackages;

  @JsonPropertyDescription("Dependency groups (conda: categories) no variant may select, for example exp.")
  private List<String> forbiddenGroups;

  @JsonPropertyDescription("Extras no variant may select.")
  private List<String> forbiddenExtras;

  @Min(0)
  @JsonPropertyDescription("The most packages one variant's plan may hold.")
  private Integer maxPackagesPerVariant;

  @Min(0)
  @JsonPropertyDescription("The most variants one PythonEnvironment may declare.")
  private Integer maxVariantsPerResource;

  @JsonPropertyDescription("When true, variants may not name runtimeGroups (packages installed when a container"
      + " starts, outside the image): for namespaces such as production. Packages runtime groups add obey"
      + " deniedPackages and allowedSources either way.")
  private Boolean forbidRuntimeGroups;

  public Boolean getForbidRuntimeGroups() {
    return forbidRuntimeGroups;
  }

  public void setForbidRuntimeGroups(Boolean forbidRuntimeGroups) {
    this.forbidRuntimeGroups = forbidRuntimeGroups;
  }

  public AllowedSources getAllowedSources() {
    return allowedSources;
  }

  public void setAllowedSources(AllowedSources allowedSources) {
    this.allowedSources = allowedSources;
  }

  public AllowedBaseImages getAllowedBaseImages() {
    return allowedBaseImages;
  }

  public void setAllowedBaseImages(AllowedBaseImages allowedBaseImages) {
    this.allowedBaseImages = allowedBaseImages;
  }

  public List<String> getAllowedImageRepositories() {
    return allowedImageRepositories;
  }

  public void setAllowedImageRepositories(List<String> allowedImageRepositories) {
    this.allowedImageRepositories = allowedImageRepositories;
  }

  public List<PackageSelector> getRequiredPackages() {
    return requiredPackages;
  }

  public void setRequiredPackages(List<PackageSelector> requiredPackages) {
    this.requiredPackages = requiredPackages;
  }

  public List<PackageSelector> getDeniedPackages() {
    return deniedPackages;
  }

  public void setDeniedPackages(List<PackageSelector> deniedPackages) {
    this.deniedPackages = deniedPackages;
  }

  public List<String> getForbiddenGroups() {
    return forbiddenGroups;
  }

  public void setForbiddenGroups(List<String> forbiddenGroups) {
    this.forbiddenGroups = forbiddenGroups;
  }

  public List<String> getForbiddenExtras() {
    return forbiddenExtras;
  }

  public void setForbiddenExtras(List<String> forbiddenExtras) {
    this.forbiddenExtras = forbiddenExtras;
  }

  public Integer getMaxPackagesPerVariant() {
    return maxPackagesPerVariant;
  }

  public void setMaxPackagesPerVariant(Integer maxPackagesPerVariant) {
    this.maxPackagesPerVariant = maxPackagesPerVariant;
  }

  public Integer getMaxVariantsPerResource() {
    return maxVariantsPerResource;
  }

  public void setMaxVariantsPerResource(Integer maxVariantsPerResource) {
    this.maxVariantsPerResource = maxVariantsPerResource;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PolicyRulesSpec that && Objects.equals(allowedSources, that.allowedSources)
        && Objects.equals(allowedBaseImages, that.allowedBaseImages)
        && Objects.equals(allowedImageRepositories, that.allowedImageRepositories)
        && Objects.equals(requiredPackages, that.requiredPackages)
        && Objects.equals(deniedPackages, that.deniedPackages)
        && Objects.equals(forbiddenGroups, that.forbiddenGroups)
        && Objects.equals(forbiddenExtras, that.forbiddenExtras)
        && Objects.equals(forbidRuntimeGroups, that.forbidRuntimeGroups)
        && Objects.equals(maxPackagesPerVariant, that.maxPackagesPerVariant)
        && Objects.equals(maxVariantsPerResource, that.maxVariantsPerResource);
  }

  @Override
  public int hashCode() {
    return Objects.hash(allowedSources, allowedBaseImages, allowedImageRepositories, requiredPackages, deniedPackages,
        forbiddenGroups, forbiddenExtras, maxPackagesPerVariant, maxVariantsPerResource,
        forbidRuntimeGroups);
  }

  /** Where packages may come from ({@code spec.rules.allowedSources}). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"indexUrls", "gitHosts", "urlHosts"})
  public static class AllowedSources {
    @JsonPropertyDescription("Package indexes packages may come from (compared without a trailing slash). Absent:"
        + " any index; empty: none.")
    private List<String> indexUrls;

    @JsonPropertyDescription("Hosts of git repositories packages may be built from. Absent: any host; empty: no git"
        + " dependencies.")
    private List<String> gitHosts;

    @JsonPropertyDescription("Hosts that direct-URL packages may be downloaded from. Absent: any host; empty: no"
        + " direct URLs.")
    private List<String> urlHosts;

    public List<String> getIndexUrls() {
      return indexUrls;
    }

    public void setIndexUrls(List<String> indexUrls) {
      this.indexUrls = indexUrls;
    }

    public List<String> getGitHosts() {
      return gitHosts;
    }

    public void setGitHosts(List<String> gitHosts) {
      this.gitHosts = gitHosts;
    }

    public List<String> getUrlHosts() {
      return urlHosts;
    }

    public void setUrlHosts(List<String> urlHosts) {
      this.urlHosts = urlHosts;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof AllowedSources that && Objects.equals(indexUrls, that.indexUrls)
          && Objects.equals(gitHosts, that.gitHosts) && Objects.equals(urlHosts, that.urlHosts);
    }

    @Override
    public int hashCode() {
      return Objects.hash(indexUrls, gitHosts, urlHosts);
    }
  }

  /** Which base images builds may start from ({@code spec.rules.allowedBaseImages}). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"prefixes", "requireDigest"})
  public static class AllowedBaseImages {
    @JsonPropertyDescription("Image references a base image must start with, at a / : or @ boundary, for example"
        + " docker.io/library/python: . A name without a registry means Docker Hub. Absent: any image.")
    private List<String> prefixes;

    @JsonPropertyDescription("Whether the base image must be pinned by digest (@sha256:...). Default false.")
    private Boolean requireDigest;

    public List<String> getPrefixes() {
      return prefixes;
    }

    public void setPrefixes(List<String> prefixes) {
      this.prefixes = prefixes;
    }

    public Boolean getRequireDigest() {
      return requireDigest;
    }

    public void setRequireDigest(Boolean requireDigest) {
      this.requireDigest = requireDigest;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof AllowedBaseImages that && Objects.equals(prefixes, that.prefixes)
          && Objects.equals(requireDigest, that.requireDigest);
    }

    @Override
    public int hashCode() {
      return Objects.hash(prefixes, requireDigest);
    }
  }

  /** A package a rule names, optionally with a PEP 440 specifier. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"name", "version"})
  public static class PackageSelector {
    @io.fabric8.generator.annotation.Required
    @io.fabric8.generator.annotation.Pattern("^([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9])$")
    @JsonPropertyDescription("The package's name; compared after PEP 503 normalization.")
    private String name;

    @JsonPropertyDescription("A PEP 440 specifier such as \"<5.4\" or \">=2,<3\". Absent: every version.")
    private String version;

    public PackageSelector() {}

    public PackageSelector(String name, String version) {
      this.name = name;
      this.version = version;
    }

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }

    public String getVersion() {
      return version;
    }

    public void setVersion(String version) {
      this.version = version;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof PackageSelector that && Objects.equals(name, that.name)
          && Objects.equals(version, that.version);
    }

    @Override
    public int hashCode() {
      return Objects.hash(name, version);
    }
  }
}
