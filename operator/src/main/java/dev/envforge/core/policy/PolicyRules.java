package dev.envforge.core.policy;

import java.util.List;

/**
 * What one policy allows, requires and forbids. Every rule is optional: null means the policy says nothing about it.
 *
 * @param sources where packages may come from, or null
 * @param baseImages which base images builds may start from, or null
 * @param imageRepositories the repositories images may be pushed to (a repository or a path prefix of one), or null
 * @param requiredPackages packages every variant's plan must hold, with a version in the specifier when one is given
 * @param deniedPackages packages no plan may hold (at a version in the specifier when one is given)
 * @param forbiddenGroups dependency groups (conda: categories) no variant may select
 * @param forbiddenExtras extras no variant may select
 * @param maxPackagesPerVariant the largest plan allowed, or null
 * @param maxVariantsPerResource the most variants one resource may declare, or null
 * @param forbidRuntimeGroups whether variants may not name runtime groups (packages installed when a container
 *     starts, outside the image)
 */
public record PolicyRules(Sources sources, BaseImages baseImages, List<String> imageRepositories,
    List<PackageRule> requiredPackages, List<PackageRule> deniedPackages, List<String> forbiddenGroups,
    List<String> forbiddenExtras, Integer maxPackagesPerVariant, Integer maxVariantsPerResource,
    boolean forbidRuntimeGroups) {

  public static final PolicyRules NONE = new PolicyRules(null, null, null, List.of(), List.of(), List.of(), List.of(),
      null, null, false);

  public PolicyRules(Sources sources, BaseImages baseImages, List<String> imageRepositories,
      List<PackageRule> requiredPackages, List<PackageRule> deniedPackages, List<String> forbiddenGroups,
      List<String> forbiddenExtras, Integer maxPackagesPerVariant, Integer maxVariantsPerResource) {
    this(sources, baseImages, imageRepositories, requiredPackages, deniedPackages, forbiddenGroups, forbiddenExtras,
        maxPackagesPerVariant, maxVariantsPerResource, false);
  }

  public PolicyRules {
    imageRepositories = imageRepositories == null ? null : List.copyOf(imageRepositories);
    requiredPackages = requiredPackages == null ? List.of() : List.copyOf(requiredPackages);
    deniedPackages = deniedPackages == null ? List.of() : List.copyOf(deniedPackages);
    forbiddenGroups = forbiddenGroups == null ? List.of() : List.copyOf(forbiddenGroups);
    forbiddenExtras = forbiddenExtras == null ? List.of() : List.copyOf(forbiddenExtras);
  }

  /**
   * Allowed package sources, per kind of source. A null list leaves that kind unrestricted; an empty one allows none
   * of it (for example {@code gitHosts: []} forbids git dependencies).
   *
   * @param indexUrls package indexes, compared without a trailing slash
   * @param gitHosts host names of git repositories
   * @param urlHosts host names of direct-URL downloads (wheels or sdists by URL)
   */
  public record Sources(List<String> indexUrls, List<String> gitHosts, List<String> urlHosts) {
    public Sources {
      indexUrls = indexUrls == null ? null : List.copyOf(indexUrls);
      gitHosts = gitHosts == null ? null : List.copyOf(gitHosts);
      urlHosts = urlHosts == null ? null : List.copyOf(urlHosts);
    }
  }

  /**
   * Allowed base images.
   *
   * @param prefixes image references a base image must start with; null for any
   * @param requireDigest whether the base image must be pinned by digest ({@code @sha256:…})
   */
  public record BaseImages(List<String> prefixes, boolean requireDigest) {
    public BaseImages {
      prefixes = prefixes == null ? null : List.copyOf(prefixes);
    }
  }
}
