package dev.envforge.operator;

import dev.envforge.api.v1alpha1.PythonEnvironment;
import dev.envforge.api.v1alpha1.PythonEnvironmentSpec;
import dev.envforge.core.planner.VariantPlan;
import dev.envforge.core.recipe.Builder;
import dev.envforge.core.registry.ImageReference;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything a build Job is made from, as plain values. {@link BuildJobFactory} turns it into objects; nothing in
 * it is secret (Secrets are referenced by name only).
 *
 * @param registryHost the destination registry's host[:port], for registry-specific builder flags
 * @param indexSecretName Secret with a netrc file for private package indexes, or null
 * @param caConfigMapName ConfigMap with the registry's CA bundle, or null
 * @param contextFiles the names of the build context's files (the keys of the context ConfigMap)
 * @param pod the build Pod's scheduling and environment settings, or null for none but the platform's
 * @param builder which builder the Job runs: Kaniko on the rendered context, or {@code envforge assemble}
 * @param assemble what {@code envforge assemble} is asked to plan (the variant's selection and recipe); null for
 *     Kaniko
 */
public record BuildJobSpec(
    String namespace,
    String name,
    String repository,
    String tag,
    String registryHost,
    boolean insecureRegistry,
    String platform,
    String builderImage,
    ResourceRequirements resources,
    long activeDeadlineSeconds,
    int ttlSecondsAfterFinished,
    String cacheRepository,
    BuildPodSettings pod,
    String pushSecretName,
    String indexSecretName,
    String indexSecretKey,
    String caConfigMapName,
    String caConfigMapKey,
    List<String> contextFiles,
    Map<String, String> labels,
    Map<String, String> annotations,
    OwnerReference owner,
    Builder builder,
    AssembleInputs assemble) {

  /**
   * The variant as {@code envforge assemble} plans it again from the project files, so it gets the plan and the
   * tag the operator got: every value is one the operator resolved (the full Python version, the base image).
   *
   * @param lockFile the lock file's path in the project
   * @param format the lock format's id
   */
  /** @param indexMirror the mirror of the plan's main index (spec.builder.indexMirrors), or null */
  public record AssembleInputs(String lockFile, String format, List<String> groups, List<String> extras,
      String python, String baseImage, String variant, String indexMirror) {
    public AssembleInputs {
      groups = List.copyOf(groups);
      extras = List.copyOf(extras);
    }

    public AssembleInputs(String lockFile, String format, List<String> groups, List<String> extras, String python,
        String baseImage, String variant) {
      this(lockFile, format, groups, extras, python, baseImage, variant, null);
    }
  }

  public BuildJobSpec {
    contextFiles = List.copyOf(new java.util.TreeSet<>(contextFiles));
    builder = builder == null ? Builder.KANIKO : builder;
    if (builder == Builder.ASSEMBLE && assemble == null) {
      throw new IllegalArgumentException("an assemble build needs what to assemble");
    }
    if (pod == null) {
      pod = BuildPodSettings.none(builder == Builder.ASSEMBLE ? ANY_LINUX_NODE : platformSelector(platform));
    }
  }

  /** A Kaniko build. */
  public BuildJobSpec(String namespace, String name, String repository, String tag, String registryHost,
      boolean insecureRegistry, String platform, String builderImage, ResourceRequirements resources,
      long activeDeadlineSeconds, int ttlSecondsAfterFinished, String cacheRepository, BuildPodSettings pod,
      String pushSecretName, String indexSecretName, String indexSecretKey, String caConfigMapName,
      String caConfigMapKey, List<String> contextFiles, Map<String, String> labels, Map<String, String> annotations,
      OwnerReference owner) {
    this(namespace, name, repository, tag, registryHost, insecureRegistry, platform, builderImage, resources,
        activeDeadlineSeconds, ttlSecondsAfterFinished, cacheRepository, pod, pushSecretName, indexSecretName,
        indexSecretKey, caConfigMapName, caConfigMapKey, contextFiles, labels, annotations, owner, Builder.KANIKO,
        null);
  }

  /**
   * The node labels of an assemble build: it runs no code of the image, so any Linux node can write an image of
   * any platform.
   */
  static final Map<String, String> ANY_LINUX_NODE = Map.of("kubernetes.io/os", "linux");

  /** The node labels a Pod for {@code platform} (os/arch[/variant]) must match. */
  static Map<String, String> platformSelector(String platform) {
    String[] parts = platform.split("/");
    return Map.of("kubernetes.io/os", parts[0], "kubernetes.io/arch", parts[1]);
  }

  public String destination() {
    return repository + ":" + tag;
  }

  /**
   * The build of one variant's image for a resource: the resource's builder settings where it has them, the
   * operator's defaults otherwise.
   */
  static BuildJobSpec of(PythonEnvironment resource, BuilderDefaults defaults, RegistryAccess access,
      VariantPlan plan, ImageReference image, String imageKey, String jobName, String rebuildToken,
      List<String> contextFiles, AssembleInputs assemble) {
    PythonEnvironmentSpec spec = resource.getSpec();
    var builder = spec.getBuilder();
    OwnerReference owner = new OwnerReferenceBuilder()
        .withApiVersion(resource.getApiVersion()).withKind(resource.getKind())
        .withName(resource.getMetadata().getName()).withUid(resource.getMetadata().getUid())
        .withController(true).withBlockOwnerDeletion(true)
        .build();
    Map<String, String> annotations = new TreeMap<>();
    annotations.put(Labels.IMAGE_ANNOTATION, image.toString());
    annotations.put(Labels.HASH_ANNOTATION, plan.hash().hex());
    annotations.put(Labels.OWNER_ANNOTATION, resource.getMetadata().getNamespace() + "/"
        + resource.getMetadata().getName());
    if (rebuildToken != null) {
      annotations.put(Labels.REBUILD_TOKEN_ANNOTATION, rebuildToken);
    }
    String cacheRepository = builder != null && builder.getCacheRepository() != null ? builder.getCacheRepository()
        : defaults.cacheRepository();
    Builder chosen = plan.recipe().builder();
    String builderImage = chosen == Builder.ASSEMBLE
        ? (builder != null && builder.getAssemblerImage() != null ? builder.getAssemblerImage()
            : defaults.assemblerImage())
        : (builder != null && builder.getImage() != null ? builder.getImage() : defaults.image());
    Map<String, String> nodeLabels = chosen == Builder.ASSEMBLE ? ANY_LINUX_NODE
        : platformSelector(plan.recipe().platform());
    return new BuildJobSpec(
        resource.getMetadata().getNamespace(),
        jobName,
        image.registry() + "/" + image.repository(),
        image.tag(),
        image.registry(),
        access.insecure(),
        plan.recipe().platform(),
        builderImage,
        BuilderDefaults.mergeResources(defaults.resources(), builder == null ? null : builder.getResources()),
        builder != null && builder.getActiveDeadlineSeconds() != null ? builder.getActiveDeadlineSeconds()
            : defaults.activeDeadlineSeconds(),
        defaults.ttlSecondsAfterFinished(),
        cacheRepository,
        BuildPodSettings.merge(defaults.pod(), builder, nodeLabels),
        spec.getImage().getPushSecretRef() == null ? null : spec.getImage().getPushSecretRef().getName(),
        spec.getIndexCredentialsSecretRef() == null ? null : spec.getIndexCredentialsSecretRef().getName(),
        spec.getIndexCredentialsSecretRef() == null ? null : spec.getIndexCredentialsSecretRef().getKey(),
        spec.getImage().getCaConfigMapRef() == null ? null : spec.getImage().getCaConfigMapRef().getName(),
        spec.getImage().getCaConfigMapRef() == null ? null : spec.getImage().getCaConfigMapRef().getKey(),
        contextFiles,
        Labels.build(imageKey, resource.getMetadata().getUid(), plan.variant(), chosen),
        annotations,
        owner,
        chosen,
        chosen == Builder.ASSEMBLE ? assemble : null);
  }
}
