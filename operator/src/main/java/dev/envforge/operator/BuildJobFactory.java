package dev.envforge.operator;

import dev.envforge.core.recipe.BuildContext;
import dev.envforge.core.recipe.BuildContextRenderer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders a build Job and the ConfigMap with its context. Pure: the same spec always gives the same objects.
 *
 * <p>The builder runs Kaniko with its arguments in exec form. The push Secret is mounted as Kaniko's docker config;
 * the package-index Secret as {@value BuildContextRenderer#SECRET_DIR}/netrc, a path Kaniko leaves out of every
 * snapshot, so credentials never reach a layer.
 */
public final class BuildJobFactory {
  static final String CONTEXT_DIR = "/workspace";
  static final String DOCKER_CONFIG_DIR = "/kaniko/.docker";
  static final String CA_DIR = "/etc/envforge/registry-ca";

  private BuildJobFactory() {}

  public static Job job(BuildJobSpec spec) {
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
    if (spec.pushSecretName() != null) {
      volumes.add(new VolumeBuilder().withName("push-credentials")
          .withNewSecret().withSecretName(spec.pushSecretName()).withDefaultMode(0400)
          .withItems(new KeyToPath(".dockerconfigjson", null, "config.json")).endSecret().build());
      mounts.add(mount("push-credentials", DOCKER_CONFIG_DIR));
    }
    if (spec.indexSecretName() != null) {
      volumes.add(new VolumeBuilder().withName("index-credentials")
          .withNewSecret().withSecretName(spec.indexSecretName()).withDefaultMode(0400)
          .withItems(new KeyToPath(spec.indexSecretKey(), null, "netrc")).endSecret().build());
      mounts.add(mount("index-credentials", BuildContextRenderer.SECRET_DIR));
    }
    if (spec.caConfigMapName() != null) {
      volumes.add(new VolumeBuilder().withName("registry-ca")
          .withNewConfigMap().withName(spec.caConfigMapName()).withDefaultMode(0444)
          .withItems(new KeyToPath(spec.caConfigMapKey(), null, "ca.crt")).endConfigMap().build());
      mounts.add(mount("registry-ca", CA_DIR));
    }

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
              .withNodeSelector(pod.nodeSelector())
              .withTolerations(pod.tolerations().isEmpty() ? null : pod.tolerations())
              .withAffinity(pod.affinity())
              .withPriorityClassName(pod.priorityClassName())
              .withRuntimeClassName(pod.runtimeClassName())
              .withImagePullSecrets(pod.imagePullSecrets().isEmpty() ? null : pod.imagePullSecrets())
              .addNewContainer()
                .withName("build")
                .withImage(spec.builderImage())
                .withArgs(args)
                .withEnv(pod.env().isEmpty() ? null : pod.env())
                .withResources(spec.resources())
                .withVolumeMounts(mounts)
                // on failure the last log lines (the installer's error) become the termination message
                .withTerminationMessagePolicy("FallbackToLogsOnError")
              .endContainer()
              .withVolumes(volumes)
            .endSpec()
          .endTemplate()
        .endSpec()
        .build();
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
        .withData(new java.util.TreeMap<>(context.files()))
        .withImmutable(true)
        .build();
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
