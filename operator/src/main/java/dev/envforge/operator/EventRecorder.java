package dev.envforge.operator;

import dev.envforge.api.v1alpha1.PythonEnvironment;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes Kubernetes Events about a resource. An event's name is derived from (resource, reason, subject), so a
 * reconcile that runs twice records the event once.
 */
public final class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  static final String COMPONENT = "envforge-operator";

  private final KubernetesClient client;
  private final Clock clock;

  public EventRecorder(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public void normal(PythonEnvironment resource, String reason, String subject, String message) {
    record(resource, "Normal", reason, subject, message);
  }

  public void warning(PythonEnvironment resource, String reason, String subject, String message) {
    record(resource, "Warning", reason, subject, message);
  }

  private void record(PythonEnvironment resource, String type, String reason, String subject, String message) {
    String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    Event event = new EventBuilder()
        .withNewMetadata()
          .withName(BuildNames.eventName(resource.getMetadata().getName(), reason,
              subject + "/" + resource.getMetadata().getUid()))
          .withNamespace(resource.getMetadata().getNamespace())
        .endMetadata()
        .withNewInvolvedObject()
          .withApiVersion(resource.getApiVersion())
          .withKind(resource.getKind())
          .withName(resource.getMetadata().getName())
          .withNamespace(resource.getMetadata().getNamespace())
          .withUid(resource.getMetadata().getUid())
        .endInvolvedObject()
        .withType(type)
        .withReason(reason)
        .withMessage(message.length() > 1024 ? message.substring(0, 1021) + "..." : message)
        .withFirstTimestamp(now)
        .withLastTimestamp(now)
        .withCount(1)
        .withNewSource().withComponent(COMPONENT).endSource()
        .withReportingComponent(COMPONENT)
        .build();
    try {
      client.v1().events().inNamespace(resource.getMetadata().getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        // events are best effort: a failure to record one must not fail the reconcile
        LOG.warn("event={} resource={}/{} could not be recorded: HTTP {}", reason,
            resource.getMetadata().getNamespace(), resource.getMetadata().getName(), e.getCode());
      }
    }
  }
}
