package dev.envforge.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;

/**
 * java-operator-sdk's metrics (without per-resource series), plus what envforge keeps per resource without
 * exporting it: finished reconciles, and the end of a resource for the gauge of resources by Ready status (the
 * reconciler reports each status it computes).
 */
final class ReadyGaugeMetrics implements Metrics {
  private final Metrics sdk;
  private final OperatorMetrics metrics;

  ReadyGaugeMetrics(Metrics sdk, OperatorMetrics metrics) {
    this.sdk = sdk;
    this.metrics = metrics;
  }

  @Override
  public void finishedReconciliation(HasMetadata resource, Map<String, Object> metadata) {
    metrics.reconcileFinished(resource.getMetadata().getNamespace(), resource.getMetadata().getName());
    sdk.finishedReconciliation(resource, metadata);
  }

  @Override
  public void cleanupDoneFor(ResourceID resourceID, Map<String, Object> metadata) {
    metrics.resourceDeleted(resourceID.getNamespace().orElse(null), resourceID.getName());
    sdk.cleanupDoneFor(resourceID, metadata);
  }

  @Override
  public void failedReconciliation(HasMetadata resource, Exception exception, Map<String, Object> metadata) {
    sdk.failedReconciliation(resource, exception, metadata);
  }

  @Override
  public void controllerRegistered(Controller<? extends HasMetadata> controller) {
    sdk.controllerRegistered(controller);
  }

  @Override
  public void receivedEvent(Event event, Map<String, Object> metadata) {
    sdk.receivedEvent(event, metadata);
  }

  @Override
  public void reconcileCustomResource(HasMetadata resource, RetryInfo retryInfo, Map<String, Object> metadata) {
    sdk.reconcileCustomResource(resource, retryInfo, metadata);
  }

  @Override
  public void reconciliationExecutionStarted(HasMetadata resource, Map<String, Object> metadata) {
    sdk.reconciliationExecutionStarted(resource, metadata);
  }

  @Override
  public void reconciliationExecutionFinished(HasMetadata resource, Map<String, Object> metadata) {
    sdk.reconciliationExecutionFinished(resource, metadata);
  }

  @Override
  public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
    return sdk.timeControllerExecution(execution);
  }

  @Override
  public <T extends Map<?, ?>> T monitorSizeOf(T map, String name) {
    return sdk.monitorSizeOf(map, name);
  }
}
