package dev.envforge.operator;

import dev.envforge.api.v1alpha1.PythonEnvironment;
import dev.envforge.api.v1alpha1.VariantStatus;
import dev.envforge.core.registry.ImageReference;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The caches of build objects: every build Job and build Pod in the watched namespaces, found by label, each mapped
 * back to the resources it concerns. Reading them costs no API request.
 */
final class BuildInformers {
  static final String JOB_INDEX = "envforge-image-key";
  static final String PRIMARY_IMAGE_INDEX = "envforge-variant-image-keys";
  static final String PRIMARY_UID_INDEX = "envforge-uid";
  static final String POD_JOB_INDEX = "envforge-job";

  private final InformerEventSource<Job, PythonEnvironment> jobs;
  private final InformerEventSource<Pod, PythonEnvironment> pods;

  BuildInformers(EventSourceContext<PythonEnvironment> context) {
    // resources are found from a build object by the image keys in their status (followers in other namespaces
    // too) and by the UID of the resource that created it
    context.getPrimaryCache().addIndexer(PRIMARY_IMAGE_INDEX, BuildInformers::imageKeysOf);
    context.getPrimaryCache().addIndexer(PRIMARY_UID_INDEX, p -> p.getMetadata().getUid() == null ? List.of()
        : List.of(p.getMetadata().getUid()));
    jobs = informer(Job.class, "build-jobs", context);
    jobs.addIndexers(Map.of(JOB_INDEX, job -> label(job, Labels.IMAGE_KEY) == null ? List.of()
        : List.of(label(job, Labels.IMAGE_KEY))));
    // the build Pods carry the Job's labels: their states (an image that cannot be pulled, the termination
    // message) come from this cache, without an API request per reconcile
    pods = informer(Pod.class, "build-pods", context);
    // by the Job's UID: a replaced Job has the same name, and its Pods must not speak for the new one
    pods.addIndexers(Map.of(POD_JOB_INDEX, pod -> jobUidOf(pod) == null ? List.of() : List.of(jobUidOf(pod))));
  }

  /** An informer of one kind of build object in the operator's namespaces. */
  private static <R extends HasMetadata> InformerEventSource<R, PythonEnvironment> informer(Class<R> type,
      String name, EventSourceContext<PythonEnvironment> context) {
    InformerEventSourceConfiguration<R> config = InformerEventSourceConfiguration
        .from(type, PythonEnvironment.class)
        .withName(name)
        .withLabelSelector(Labels.BUILD_SELECTOR)
        .withNamespacesInheritedFromController()
        .withSecondaryToPrimaryMapper(object -> interestedIn(object, context))
        .build();
    return new InformerEventSource<>(config, context);
  }

  List<EventSource<?, PythonEnvironment>> eventSources() {
    return List.of(jobs, pods);
  }

  /** The build Jobs a resource created (its UID is their owner label). */
  List<Job> jobsCreatedBy(String namespace, String ownerUid) {
    return jobs.list(namespace, job -> ownerUid.equals(label(job, Labels.OWNER_UID))).toList();
  }

  /**
   * Whether resources other than {@code except} may wait for the build Job: one whose status names its image key,
   * or one whose status has not caught up with its spec yet and pushes to the Job's repository (it may be about to
   * follow the build; its status is written only at the end of its reconcile). When unsure, the build is kept: a
   * build nobody needs only pushes an image, while a build stopped under a follower makes it start a second one.
   */
  static boolean wantedByOthers(io.javaoperatorsdk.operator.api.reconciler.Context<PythonEnvironment> context,
      Job job, String except) {
    String imageKey = label(job, Labels.IMAGE_KEY);
    boolean named = imageKey != null && context.getPrimaryCache().byIndex(PRIMARY_IMAGE_INDEX, imageKey).stream()
        .anyMatch(p -> !except.equals(p.getMetadata().getUid()) && p.getMetadata().getDeletionTimestamp() == null);
    if (named) {
      return true;
    }
    String repository = repositoryOf(job.getMetadata().getAnnotations() == null ? null
        : job.getMetadata().getAnnotations().get(Labels.IMAGE_ANNOTATION));
    return repository != null && context.getPrimaryCache().list()
        .anyMatch(p -> !except.equals(p.getMetadata().getUid()) && p.getMetadata().getDeletionTimestamp() == null
            && !settled(p) && p.getSpec() != null && p.getSpec().getImage() != null
            && repository.equals(repositoryOf(p.getSpec().getImage().getRepository())));
  }

  /** Whether the resource's status describes its current spec. */
  private static boolean settled(PythonEnvironment p) {
    return p.getStatus() != null && p.getStatus().getObservedGeneration() != null
        && p.getStatus().getObservedGeneration().equals(p.getMetadata().getGeneration());
  }

  /** "registry/repository" of an image reference, or null when it is not one. */
  private static String repositoryOf(String reference) {
    if (reference == null) {
      return null;
    }
    try {
      ImageReference image = ImageReference.parse(reference);
      return image.registry() + "/" + image.repository();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The build Jobs of an image, in any watched namespace. */
  List<Job> jobsFor(String imageKey) {
    return jobs.byIndex(JOB_INDEX, imageKey);
  }

  /** The build's Pods: their states say why a build waits or failed, and their termination message the digest. */
  List<Pod> podsOf(Job job) {
    return job.getMetadata().getUid() == null ? List.of() : pods.byIndex(POD_JOB_INDEX, job.getMetadata().getUid());
  }

  /** The resources a build Job or Pod concerns: its creator and every resource that wants the same image. */
  private static Set<ResourceID> interestedIn(HasMetadata buildObject,
      EventSourceContext<PythonEnvironment> context) {
    Set<ResourceID> ids = new HashSet<>();
    String key = label(buildObject, Labels.IMAGE_KEY);
    if (key != null) {
      context.getPrimaryCache().byIndex(PRIMARY_IMAGE_INDEX, key).forEach(p -> ids.add(ResourceID.fromResource(p)));
    }
    String ownerUid = label(buildObject, Labels.OWNER_UID);
    if (ownerUid != null) {
      context.getPrimaryCache().byIndex(PRIMARY_UID_INDEX, ownerUid)
          .forEach(p -> ids.add(ResourceID.fromResource(p)));
    }
    return ids;
  }

  /** The image keys of a resource's variants, from the tags in its status. */
  static List<String> imageKeysOf(PythonEnvironment resource) {
    if (resource.getStatus() == null || resource.getStatus().getVariants() == null || resource.getSpec() == null
        || resource.getSpec().getImage() == null) {
      return List.of();
    }
    List<String> keys = new ArrayList<>();
    for (VariantStatus v : resource.getStatus().getVariants()) {
      if (v.getTag() == null) {
        continue;
      }
      try {
        ImageReference image = ImageReference.parse(resource.getSpec().getImage().getRepository()).withTag(v.getTag());
        keys.add(BuildNames.imageKey(image.registry() + "/" + image.repository(), v.getTag()));
      } catch (IllegalArgumentException e) {
        // an invalid repository has no builds to follow
      }
    }
    return keys;
  }

  private static String label(HasMetadata object, String key) {
    return object.getMetadata().getLabels() == null ? null : object.getMetadata().getLabels().get(key);
  }

  /** The UID of the Job a Pod belongs to: its controller reference, or the label the Job controller sets. */
  static String jobUidOf(Pod pod) {
    if (pod.getMetadata().getOwnerReferences() != null) {
      for (var owner : pod.getMetadata().getOwnerReferences()) {
        if ("Job".equals(owner.getKind()) && Boolean.TRUE.equals(owner.getController())) {
          return owner.getUid();
        }
      }
    }
    String uid = label(pod, "batch.kubernetes.io/controller-uid");
    return uid != null ? uid : label(pod, "controller-uid");
  }
}
