package dev.envforge.operator;

import dev.envforge.core.recipe.BuildContext;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and deletes the two objects of one build, its context ConfigMap and its Job, in the order that leaves
 * nothing half made: the ConfigMap first (a Job whose ConfigMap is missing would wait for it until its deadline),
 * owned by the resource until the Job exists and by the Job afterwards.
 */
final class BuildObjects {
  private static final Logger LOG = LoggerFactory.getLogger(BuildObjects.class);

  private final KubernetesClient client;

  BuildObjects(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Creates the build and returns its Job as the API server stored it.
   *
   * @throws KubernetesClientException with code 409 when the Job exists already, or any other API error
   */
  Job create(BuildJobSpec spec, BuildContext context) {
    createContext(spec.namespace(), BuildJobFactory.contextConfigMap(spec, context));
    Job created = client.batch().v1().jobs().inNamespace(spec.namespace()).resource(BuildJobFactory.job(spec))
        .create();
    handOverContext(created);
    return created;
  }

  /** Deletes a build's Job (its Pods with it) and its context. */
  /**
   * The Job controller's FailedCreate events of a Job: why it could not create its Pod. Asked only while a Job has
   * no Pod. Filtered here rather than with field selectors on involvedObject, which the test API server cannot
   * serve, so that tests run this very code.
   */
  List<Event> creationFailures(Job job) {
    return client.v1().events().inNamespace(job.getMetadata().getNamespace()).list().getItems().stream()
        .filter(e -> BuildFailureAnalyzer.FAILED_CREATE.equals(e.getReason()) && e.getInvolvedObject() != null
            && "Job".equals(e.getInvolvedObject().getKind())
            && job.getMetadata().getName().equals(e.getInvolvedObject().getName())
            && (e.getInvolvedObject().getUid() == null
                || e.getInvolvedObject().getUid().equals(job.getMetadata().getUid())))
        .toList();
  }

  void delete(Job job) {
    String namespace = job.getMetadata().getNamespace();
    String name = job.getMetadata().getName();
    client.batch().v1().jobs().inNamespace(namespace).withName(name)
        .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
    client.configMaps().inNamespace(namespace).withName(name).delete();
  }

  /**
   * Lets a build outlive the resource that started it, because other resources wait for its image: the Job and its
   * context lose the owner reference and the owner label, so neither the garbage collector nor
   * {@link #deleteAllOwnedBy} removes them. The Job's TTL removes it once finished.
   */
  void handOver(Job job) {
    String namespace = job.getMetadata().getNamespace();
    String name = job.getMetadata().getName();
    Map<String, Object> labels = new java.util.HashMap<>();
    labels.put(Labels.OWNER_UID, null);
    Map<String, Object> metadata = new java.util.HashMap<>();
    metadata.put("labels", labels);
    metadata.put("ownerReferences", null);
    String jobPatch = client.getKubernetesSerialization().asJson(Map.of("metadata", metadata));
    client.batch().v1().jobs().inNamespace(namespace).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE),
        jobPatch);
    String contextPatch = client.getKubernetesSerialization().asJson(Map.of("metadata", Map.of("labels", labels)));
    try {
      client.configMaps().inNamespace(namespace).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE),
          contextPatch);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  /**
   * Deletes every build object a resource created in its namespace. Owner references let the cluster do this too;
   * deleting explicitly also stops a running build at once.
   */
  void deleteAllOwnedBy(String namespace, String ownerUid) {
    client.batch().v1().jobs().inNamespace(namespace).withLabel(Labels.OWNER_UID, ownerUid)
        .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
    client.configMaps().inNamespace(namespace).withLabel(Labels.OWNER_UID, ownerUid).delete();
  }

  private void createContext(String namespace, ConfigMap context) {
    try {
      client.configMaps().inNamespace(namespace).resource(context).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      // left over from an earlier build of the same image; the context is immutable, so replace it
      client.configMaps().inNamespace(namespace).withName(context.getMetadata().getName()).delete();
      client.configMaps().inNamespace(namespace).resource(context).create();
    }
  }

  /** Makes the Job the context ConfigMap's owner, so that the ConfigMap goes when the Job's TTL ends. */
  private void handOverContext(Job job) {
    // a JSON patch replaces the list: two controller references would be refused
    String patch = client.getKubernetesSerialization().asJson(List.of(Map.of("op", "replace",
        "path", "/metadata/ownerReferences", "value", List.of(BuildJobFactory.ownerReferenceTo(job)))));
    try {
      client.configMaps().inNamespace(job.getMetadata().getNamespace()).withName(job.getMetadata().getName())
          .patch(PatchContext.of(PatchType.JSON), patch);
    } catch (KubernetesClientException e) {
      // the build does not depend on it: the ConfigMap then goes with the resource instead
      LOG.warn("job={}/{} context ConfigMap could not be handed to the Job: HTTP {}",
          job.getMetadata().getNamespace(), job.getMetadata().getName(), e.getCode());
    }
  }
}
