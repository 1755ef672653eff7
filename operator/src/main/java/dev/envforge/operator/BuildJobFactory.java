package dev.envforge.operator;

import dev.envforge.core.hash.PlanHasher;
import dev.envforge.core.recipe.Builder;
import dev.envforge.core.recipe.BuildContext;
import dev.envforge.core.recipe.BuildContextRenderer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders a build Job and the ConfigMap with its context. Pure: the same spec always gives the same objects.
 *
 * <p>A Kaniko build runs Kaniko with its arguments in exec form on the rendered context. The push Secret is mounted
 * as Kaniko's docker config; the package-index Secret as {@value BuildContextRenderer#SECRET_DIR}/netrc, a path
 * Kaniko leaves out of every snapshot, so credentials never reach a layer.
 *
 * <p>An assemble build runs the envforge image ({@code envforge assemble}) on the project files, as a non-root user
 * with a read-only root file system and no capabilities. The same Secrets are mounted as files; the container's
 * environment names their paths ({@code DOCKER_CONFIG}, {@code NETRC}), never their contents.
 */
public final class BuildJobFactory {
  static final String CONTEXT_DIR = "/workspace";
  static final String DOCKER_CONFIG_DIR = "/kaniko/.docker";
  static final String CA_DIR = "/etc/envforge/registry-ca";
  /** Where the assembler finds the push Secret's docker config ({@code DOCKER_CONFIG}). */
  static final String ASSEMBLER_DOCKER_CONFIG_DIR = "/etc/envforge/docker";
  /** The assembler's only writable folder: downloaded wheels and layers being written. */
  static final String WORK_DIR = "/tmp";
  /** The envforge image's non-root user and group. */
  static final long ASSEMBLER_UID = 65532;
  private static final java.util.regex.Pattern CONFIG_MAP_KEY = java.util.regex.Pattern.compile("[-._a-zA-Z0-9]+");

  private BuildJobFactory() {}

  public static Job job(BuildJobSpec spec) {
    return spec.builder() == Builder.ASSEMBLE ? assembleJob(spec) : kanikoJob(spec);
  }

  private static Job kanikoJob(BuildJobSpec spec) {
    List<String> args = new ArrayList<>();
    args.add("--dockerfile=" + BuildContext.DOCKERFILE);
    args.add("--context=dir://" + CONTEXT_DIR);
    args.add("--destination=" + spec.destination());
    args.add("--digest-file=/dev/termination-log");
    args.add("--custom-platform=" + spec.platform());
    args.add("--reproducible");
    args.add("--snapshot-mode=redo");
    args.add("--ignore-path=" + BuildContextRenderer.SECRET_DIR);
    if (spec.cacheRepository() != null) {
      args.add("--cache=true");
      args.add("--cache-repo=" + spec.cacheRepository());
    }
    // base images through the mirrors (air-gapped clusters); the destination is pushed as named
    spec.pod().registryMirrors().forEach(mirror -> args.add("--registry-mirror=" + mirror));
    if (spec.insecureRegistry()) {
      args.add("--insecure-registry=" + spec.registryHost());
    }
    if (spec.caConfigMapName() != null) {
      args.add("--registry-certificate=" + spec.registryHost() + "=" + CA_DIR + "/ca.crt");
    }

    List<Volume> volumes = new ArrayList<>();
    List<VolumeMount> mounts = new ArrayList<>();
    volumes.add(new VolumeBuilder().withName("build-context")
        .withNewConfigMap().withName(spec.name()).withDefaultMode(0444).endConfigMap().build());
    // one subPath mount per file: a ConfigMap volume holds symlinks into ..data, and Kaniko's COPY copies a symlink
    // as a symlink, so the image would get links to nothing; a subPath mount is the regular file itself
    for (String file : spec.contextFiles()) {
      mounts.add(new VolumeMountBuilder().withName("build-context").withMountPath(CONTEXT_DIR + "/" + file)
          .withSubPath(file).withReadOnly(true).build());
    }
    addCredentials(spec, volumes, mounts, DOCKER_CONFIG_DIR, 0400);

    Container container = new ContainerBuilder()
        .withName("build")
        .withImage(spec.builderImage())
        .withArgs(args)
        .withEnv(spec.pod().env().isEmpty() ? null : spec.pod().env())
        .withResources(spec.resources())
        .withVolumeMounts(mounts)
        // on failure the last log lines (the installer's error) become the termination message
        .withTerminationMessagePolicy("FallbackToLogsOnError")
        .build();
    return job(spec, container, volumes, null);
  }

  /**
   * The envforge image running {@code envforge assemble}: it plans the variant again from the project files (the
   * context ConfigMap at {@value #CONTEXT_DIR}), writes the layers and pushes the image. It needs no root, no
   * capabilities and no writable root file system: only {@value #WORK_DIR} is writable.
   */
  private static Job assembleJob(BuildJobSpec spec) {
    BuildJobSpec.AssembleInputs in = spec.assemble();
    List<String> args = new ArrayList<>();
    args.add("assemble");
    args.add(CONTEXT_DIR);
    args.add("--format=" + in.format());
    args.add("--lock=" + in.lockFile());
    if (!in.groups().isEmpty()) {
      args.add("--groups=" + String.join(",", in.groups()));
    }
    if (!in.extras().isEmpty()) {
      args.add("--extras=" + String.join(",", in.extras()));
    }
    args.add("--python=" + in.python());
    args.add("--platform=" + spec.platform());
    args.add("--variant=" + in.variant());
    args.add("--base-image=" + in.baseImage());
    args.add("--to=" + spec.destination());
    if (spec.cacheRepository() != null) {
      args.add("--cache-repo=" + spec.cacheRepository());
    }
    if (in.indexMirror() != null) {
      args.add("--index-url=" + in.indexMirror());
    }
    if (spec.insecureRegistry()) {
      args.add("--insecure");
    }
    if (spec.caConfigMapName() != null) {
      args.add("--registry-ca=" + CA_DIR + "/ca.crt");
    }

    List<Volume> volumes = new ArrayList<>();
    List<VolumeMount> mounts = new ArrayList<>();
    // the project's files at their paths (nested ones too); the assembler reads them, so links into ..data do
    List<KeyToPath> items = spec.contextFiles().stream()
        .map(path -> new KeyToPath(contextKey(Builder.ASSEMBLE, path), null, path)).toList();
    volumes.add(new VolumeBuilder().withName("build-context")
        .withNewConfigMap().withName(spec.name()).withDefaultMode(0444).withItems(items).endConfigMap().build());
    mounts.add(mount("build-context", CONTEXT_DIR));
    volumes.add(new VolumeBuilder().withName("work").withNewEmptyDir().endEmptyDir().build());
    mounts.add(new VolumeMountBuilder().withName("work").withMountPath(WORK_DIR).build());
    // group-readable: the files belong to root and to the Pod's fsGroup, which the non-root user is in
    addCredentials(spec, volumes, mounts, ASSEMBLER_DOCKER_CONFIG_DIR, 0440);

    // paths only: the credentials stay in the mounted files
    Map<String, EnvVar> env = new LinkedHashMap<>();
    if (spec.pushSecretName() != null) {
      env.put("DOCKER_CONFIG", new EnvVar("DOCKER_CONFIG", ASSEMBLER_DOCKER_CONFIG_DIR, null));
    }
    if (spec.indexSecretName() != null) {
      env.put("NETRC", new EnvVar("NETRC", BuildContextRenderer.SECRET_DIR + "/netrc", null));
    }
    spec.pod().env().forEach(v -> env.put(v.getName(), v));

    Container container = new ContainerBuilder()
        .withName("build")
        .withImage(spec.builderImage())
        .withArgs(args)
        .withEnv(new ArrayList<>(env.values()))
        .withResources(spec.resources())
        .withVolumeMounts(mounts)
        .withTerminationMessagePolicy("FallbackToLogsOnError")
        .withNewSecurityContext()
          .withRunAsNonRoot(true)
          .withAllowPrivilegeEscalation(false)
          .withReadOnlyRootFilesystem(true)
          .withNewCapabilities().withDrop("ALL").endCapabilities()
        .endSecurityContext()
        .build();
    PodSecurityContext podSecurity = new PodSecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withRunAsUser(ASSEMBLER_UID)
        .withRunAsGroup(ASSEMBLER_UID)
        .withFsGroup(ASSEMBLER_UID)
        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
        .build();
    return job(spec, container, volumes, podSecurity);
  }

  /** The push Secret as a docker config in {@code dockerConfigDir}, the index netrc, the registry's CA. */
  private static void addCredentials(BuildJobSpec spec, List<Volume> volumes, List<VolumeMount> mounts,
      String dockerConfigDir, int secretMode) {
    if (spec.pushSecretName() != null) {
      volumes.add(new VolumeBuilder().withName("push-credentials")
          .withNewSecret().withSecretName(spec.pushSecretName()).withDefaultMode(secretMode)
          .withItems(new KeyToPath(".dockerconfigjson", null, "config.json")).endSecret().build());
      mounts.add(mount("push-credentials", dockerConfigDir));
    }
    if (spec.indexSecretName() != null) {
      volumes.add(new VolumeBuilder().withName("index-credentials")
          .withNewSecret().withSecretName(spec.indexSecretName()).withDefaultMode(secretMode)
          .withItems(new KeyToPath(spec.indexSecretKey(), null, "netrc")).endSecret().build());
      mounts.add(mount("index-credentials", BuildContextRenderer.SECRET_DIR));
    }
    if (spec.caConfigMapName() != null) {
      volumes.add(new VolumeBuilder().withName("registry-ca")
          .withNewConfigMap().withName(spec.caConfigMapName()).withDefaultMode(0444)
          .withItems(new KeyToPath(spec.caConfigMapKey(), null, "ca.crt")).endConfigMap().build());
      mounts.add(mount("registry-ca", CA_DIR));
    }
  }

  private static Job job(BuildJobSpec spec, Container container, List<Volume> volumes,
      PodSecurityContext podSecurity) {
    BuildPodSettings pod = spec.pod();
    // user labels first: envforge's own labels (selectors, owner) always win
    Map<String, String> podLabels = new TreeMap<>(pod.podLabels());
    podLabels.putAll(spec.labels());

    return new JobBuilder()
        .withNewMetadata()
          .withName(spec.name())
          .withNamespace(spec.namespace())
          .withLabels(spec.labels())
          .withAnnotations(spec.annotations())
          .withOwnerReferences(spec.owner())
        .endMetadata()
        .withNewSpec()
          .withBackoffLimit(1)
          .withActiveDeadlineSeconds(spec.activeDeadlineSeconds())
          .withTtlSecondsAfterFinished(spec.ttlSecondsAfterFinished())
          .withNewTemplate()
            .withNewMetadata().withLabels(podLabels).withAnnotations(pod.podAnnotations().isEmpty() ? null
                : pod.podAnnotations()).endMetadata()
            .withNewSpec()
              .withRestartPolicy("Never")
              .withServiceAccountName(pod.serviceAccountName())
              .withAutomountServiceAccountToken(false)
              .withEnableServiceLinks(false)
              .withSecurityContext(podSecurity)
              .withNodeSelector(pod.nodeSelector())
              .withTolerations(pod.tolerations().isEmpty() ? null : pod.tolerations())
              .withAffinity(pod.affinity())
              .withPriorityClassName(pod.priorityClassName())
              .withRuntimeClassName(pod.runtimeClassName())
              .withImagePullSecrets(pod.imagePullSecrets().isEmpty() ? null : pod.imagePullSecrets())
              .withContainers(container)
              .withVolumes(volumes)
            .endSpec()
          .endTemplate()
        .endSpec()
        .build();
  }

  /**
   * The context ConfigMap's key of a file. Kaniko's context files have plain names and are their own keys; the
   * project files of an assemble build may sit in folders, which a key cannot name, so a path that is not a valid
   * key gets a key made from its hash and its file name.
   */
  static String contextKey(Builder builder, String path) {
    if (builder == Builder.KANIKO || CONFIG_MAP_KEY.matcher(path).matches() && !path.startsWith("..")) {
      return path;
    }
    String name = path.substring(path.lastIndexOf('/') + 1).replaceAll("[^-._a-zA-Z0-9]", "_");
    return "path-" + PlanHasher.sha256Hex(path).substring(0, 16) + "-" + name;
  }

  /**
   * The build context. It is created before its Job, owned by the resource; once the Job exists the Job becomes
   * its owner ({@link #ownerReferenceTo}), so that it goes when the Job goes.
   */
  public static ConfigMap contextConfigMap(BuildJobSpec spec, BuildContext context) {
    return new ConfigMapBuilder()
        .withNewMetadata()
          .withName(spec.name())
          .withNamespace(spec.namespace())
          .withLabels(spec.labels())
          .withAnnotations(spec.annotations())
          .withOwnerReferences(spec.owner())
        .endMetadata()
        .withData(contextData(spec, context))
        .withImmutable(true)
        .build();
  }

  private static Map<String, String> contextData(BuildJobSpec spec, BuildContext context) {
    Map<String, String> data = new TreeMap<>();
    context.files().forEach((path, text) -> data.put(contextKey(spec.builder(), path), text));
    return data;
  }

  /**
   * The owner reference that makes a build Job the owner of its context ConfigMap. It does not block the Job's
   * deletion: that would need update on jobs/finalizers, a permission the operator otherwise has no use for.
   */
  public static OwnerReference ownerReferenceTo(Job job) {
    return new OwnerReferenceBuilder()
        .withApiVersion("batch/v1").withKind("Job")
        .withName(job.getMetadata().getName()).withUid(job.getMetadata().getUid())
        .withController(true)
        .build();
  }

  private static VolumeMount mount(String name, String path) {
    return new VolumeMountBuilder().withName(name).withMountPath(path).withReadOnly(true).build();
  }
}
