package dev.envforge.operator;

import dev.envforge.api.v1alpha1.PythonEnvironment;
import dev.envforge.api.v1alpha1.PythonEnvironmentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a resource's status as one whole document (PUT on the status subresource), never as a patch computed
 * against a possibly stale copy: a stale copy cannot make the API server refuse the write or merge the wrong fields.
 * The write names the resourceVersion it was computed from; when the resource changed meanwhile (409), the newest
 * version is read and the same whole status is written over it, a few times at most. A newer spec still gets its
 * own reconcile, and its status says which generation it describes (observedGeneration).
 */
final class StatusWriter {
  static final int ATTEMPTS = 3;
  private static final Logger LOG = LoggerFactory.getLogger(StatusWriter.class);

  private final KubernetesClient client;

  StatusWriter(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Replaces the status of {@code resource} with {@code status}. The stored resource is handed to JOSDK's cache, so
   * the next reconcile starts from it and not from the copy the write replaced.
   *
   * @param context the reconcile's context, or null outside a reconcile
   * @return the resource as stored, or null when it no longer exists
   * @throws KubernetesClientException for an API error other than a conflict, or conflicts beyond the attempts
   */
  PythonEnvironment replaceStatus(PythonEnvironment resource, PythonEnvironmentStatus status,
      Context<PythonEnvironment> context) {
    PythonEnvironment target = client.getKubernetesSerialization().clone(resource);
    target.setStatus(status);
    for (int attempt = 1; ; attempt++) {
      try {
        PythonEnvironment stored = client.resource(target).updateStatus();
        if (context != null) {
          context.eventSourceRetriever().getControllerEventSource()
              .handleRecentResourceUpdate(ResourceID.fromResource(stored), stored, resource);
        }
        return stored;
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          return null;
        }
        if (e.getCode() != 409 || attempt == ATTEMPTS) {
          throw e;
        }
        PythonEnvironment fresh = client.resources(PythonEnvironment.class)
            .inNamespace(resource.getMetadata().getNamespace()).withName(resource.getMetadata().getName()).get();
        if (fresh == null) {
          return null;
        }
        if (status.equals(fresh.getStatus())) {
          return fresh;
        }
        LOG.debug("resource={} status write conflicted; writing it over resourceVersion {}",
            ResourceID.fromResource(resource), fresh.getMetadata().getResourceVersion());
        target.getMetadata().setResourceVersion(fresh.getMetadata().getResourceVersion());
      }
    }
  }
}
