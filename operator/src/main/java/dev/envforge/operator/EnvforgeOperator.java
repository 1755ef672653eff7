package dev.envforge.operator;

import dev.envforge.api.v1alpha1.PythonEnvironment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RegisteredController;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;

/**
 * Wires the reconciler into a running java-operator-sdk Operator. The command line's {@code run} and the tests
 * start envforge through this one class, so they share the configuration.
 */
public final class EnvforgeOperator implements AutoCloseable {
  private final Operator operator;
  private final RegisteredController<PythonEnvironment> controller;
  private final OperatorMetrics metrics;
  private final PlanCache plans;

  private EnvforgeOperator(Operator operator, RegisteredController<PythonEnvironment> controller,
      OperatorMetrics metrics, PlanCache plans) {
    this.operator = operator;
    this.controller = controller;
    this.metrics = metrics;
    this.plans = plans;
  }

  /**
   * Creates and starts the operator.
   *
   * @param registry how images are looked up; null for the real registry client
   */
  public static EnvforgeOperator start(KubernetesClient client, OperatorSettings settings, MeterRegistry meters,
      ImageRegistry registry, Clock clock) {
    OperatorMetrics metrics = new OperatorMetrics(meters);
    ImageRegistry images = registry != null ? registry
        : new PooledImageRegistry(settings.registryCacheTtl(), settings.registryTimeout(), metrics);
    PlanCache plans = new PlanCache(2048);
    Operator operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withCloseClientOnStop(false)
          // merge patches for status: the same code path on a real API server and on servers without SSA
          .withUseSSAToPatchPrimaryResource(false)
          .withConcurrentReconciliationThreads(settings.reconcileThreads())
          .withMetrics(MicrometerMetrics.newPerResourceCollectingMicrometerMetricsBuilder(meters)
              .collectingMetricsPerResource().build());
      if (settings.leaderElection()) {
        o.withLeaderElectionConfiguration(settings.leaseNamespace() == null
            ? new LeaderElectionConfiguration(settings.leaseName())
            : new LeaderElectionConfiguration(settings.leaseName(), settings.leaseNamespace()));
      }
    });
    PythonEnvironmentReconciler reconciler = new PythonEnvironmentReconciler(client, settings.builder(), images,
        plans, metrics, clock);
    RegisteredController<PythonEnvironment> controller = operator.register(reconciler, c -> {
      if (settings.namespaces().isEmpty()) {
        c.watchingAllNamespaces();
      } else {
        c.settingNamespaces(settings.namespaces());
      }
    });
    operator.start();
    return new EnvforgeOperator(operator, controller, metrics, plans);
  }

  /** Whether every informer has synced and the controller is reconciling. */
  public boolean ready() {
    return operator.getRuntimeInfo().allEventSourcesAreHealthy() && operator.getRuntimeInfo().isStarted();
  }

  /** Whether the operator's informers and threads are alive. */
  public boolean live() {
    return operator.getRuntimeInfo().isStarted();
  }

  public OperatorMetrics metrics() {
    return metrics;
  }

  public PlanCache plans() {
    return plans;
  }

  public RegisteredController<PythonEnvironment> controller() {
    return controller;
  }

  @Override
  public void close() {
    operator.stop();
  }
}
