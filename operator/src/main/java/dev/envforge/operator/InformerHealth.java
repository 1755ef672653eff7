package dev.envforge.operator;

import com.fasterxml.jackson.databind.JsonMappingException;
import dev.envforge.core.text.Texts;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.javaoperatorsdk.operator.api.config.InformerStoppedHandler;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when an informer stops for good (fabric8 gives up on a watch it cannot keep): one log line with the
 * reason, and the health checks fail with it, so that Kubernetes restarts the Pod with a cause in its log. JOSDK's
 * default instead calls System.exit from the informer's thread.
 */
final class InformerHealth implements InformerStoppedHandler {
  private static final Logger LOG = LoggerFactory.getLogger(InformerHealth.class);
  private final AtomicReference<String> stopped = new AtomicReference<>();

  @Override
  @SuppressWarnings("rawtypes")
  public void onStop(SharedIndexInformer informer, Throwable cause) {
    if (cause == null) {
      return; // stopped on purpose, with the operator
    }
    @SuppressWarnings("unchecked")
    String type = HasMetadata.getFullResourceName((Class<? extends HasMetadata>) informer.getApiTypeClass());
    String reason = "the watch of " + type + " stopped: " + describe(cause);
    if (stopped.compareAndSet(null, reason)) {
      LOG.error("reason=InformerStopped message=\"{}; not ready and not live until the operator restarts\"", reason);
    }
  }

  /** The cause in one line: for an object that cannot be read, the field and what Jackson said about it. */
  static String describe(Throwable cause) {
    for (Throwable t = cause; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof JsonMappingException mapping) {
        String field = mapping.getPath().stream()
            .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
            .collect(Collectors.joining()).replaceFirst("^\\.", "");
        return "an object cannot be read: " + (field.isEmpty() ? "" : field + ": ")
            + Texts.escape(String.valueOf(mapping.getOriginalMessage()));
      }
    }
    return Texts.escape(PythonEnvironmentReconciler.describe(cause));
  }

  /** Why an informer stopped, if one did. */
  Optional<String> stopped() {
    return Optional.ofNullable(stopped.get());
  }
}
