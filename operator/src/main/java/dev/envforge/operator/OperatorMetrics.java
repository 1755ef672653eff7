package dev.envforge.operator;

import dev.envforge.api.v1alpha1.EnvforgeApi.ConditionStatus;
import dev.envforge.api.v1alpha1.EnvforgeApi.Conditions;
import dev.envforge.api.v1alpha1.Reason;
import dev.envforge.api.v1alpha1.PythonEnvironment;
import dev.envforge.api.v1alpha1.PythonEnvironmentStatus;
import dev.envforge.core.registry.ManifestCheck;
import dev.envforge.core.registry.RegistryCheckListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * envforge's own Prometheus metrics, with the JVM's and the process's. Labels carry outcomes, reasons and condition
 * statuses only: never names of resources, images or Secrets, so cardinality stays small and nothing sensitive is
 * exported.
 */
public final class OperatorMetrics implements RegistryCheckListener, AutoCloseable {
  /** Every Ready status a resource can have; the gauge has a series for each, zero included. */
  static final List<String> READY_STATUSES = List.of(ConditionStatus.TRUE, ConditionStatus.FALSE,
      ConditionStatus.UNKNOWN);

  /** The reasons a build fails with (BuildFailureAnalyzer); each has a series from the start. */
  static final List<String> BUILD_FAILURE_REASONS = java.util.stream.Stream.of(Reason.BUILD_FAILED,
      Reason.OOM_KILLED, Reason.DEADLINE_EXCEEDED, Reason.BUILDER_IMAGE_PULL_FAILED, Reason.PUSH_DENIED,
      Reason.INSTALL_FAILED, Reason.POD_SECURITY_REJECTED).map(Reason::wire).toList();

  private final MeterRegistry registry;
  private final Counter buildsStarted;
  private final Counter buildsSucceeded;
  private final Counter cacheHits;
  private final JvmGcMetrics gc = new JvmGcMetrics();
  /** The last Ready status of each resource, by namespace/name; only counted, never exported by name. */
  private final Map<String, String> readyByResource = new ConcurrentHashMap<>();
  /** Resources whose RegistryUnavailable condition is True, by namespace/name; only counted. */
  private final Map<String, Boolean> registryUnavailable = new ConcurrentHashMap<>();
  private final Counter reconcileErrors;
  /** Finished reconciles by namespace/name, for tests and diagnostics; never exported. */
  private final Map<String, Long> reconciles = new ConcurrentHashMap<>();

  public OperatorMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.buildsStarted = Counter.builder("envforge.builds.started")
        .description("Build Jobs created").register(registry);
    this.buildsSucceeded = Counter.builder("envforge.builds.succeeded")
        .description("Builds that pushed their image").register(registry);
    this.cacheHits = Counter.builder("envforge.cache.hits")
        .description("Variants whose image already existed in the registry, so nothing was built")
        .register(registry);
    for (String status : READY_STATUSES) {
      Gauge.builder("envforge.resources", readyByResource,
              m -> m.values().stream().filter(status::equals).count())
          .description("PythonEnvironments by the status of their Ready condition (no status yet counts as Unknown)")
          .tag("ready", status).register(registry);
    }
    Gauge.builder("envforge.registry.unavailable.resources", registryUnavailable, Map::size)
        .description("PythonEnvironments whose registry gives no answer (RegistryUnavailable=True)")
        .register(registry);
    this.reconcileErrors = Counter.builder("envforge.reconcile.errors")
        .description("Reconciles that failed with an error and are retried with backoff (reason ReconcileError)")
        .register(registry);
    // every series alerts and dashboards use exists from the start, at zero, so rate() and absent() behave
    for (String reason : BUILD_FAILURE_REASONS) {
      buildsFailed(reason);
    }
    buildDuration(true);
    buildDuration(false);
    for (ManifestCheck.Outcome outcome : ManifestCheck.Outcome.values()) {
      registryCheck(outcome, false);
      registryCheck(outcome, true);
    }
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void buildStarted() {
    buildsStarted.increment();
  }

  public void buildSucceeded() {
    buildsSucceeded.increment();
  }

  public void buildFailed(String reason) {
    buildsFailed(reason == null ? "Unknown" : reason).increment();
  }

  private Counter buildsFailed(String reason) {
    return Counter.builder("envforge.builds.failed").description("Builds that failed, by reason")
        .tag("reason", reason).register(registry);
  }

  /** A build that finished: how long its Job ran, by outcome (succeeded or failed). */
  public void buildFinished(boolean succeeded, Duration duration) {
    buildDuration(succeeded).record(duration);
  }

  private Timer buildDuration(boolean succeeded) {
    return Timer.builder("envforge.build.duration")
        .description("Duration of builds from Job start to finish, by outcome")
        .tag("outcome", succeeded ? "succeeded" : "failed")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofSeconds(5))
        .maximumExpectedValue(Duration.ofHours(24))
        .register(registry);
  }

  /** A reconcile failed with an error; JOSDK retries it with backoff. */
  public void reconcileFailed() {
    reconcileErrors.increment();
  }

  public void cacheHit() {
    cacheHits.increment();
  }

  /** The status a reconcile left a resource with. */
  public void resourceReconciled(PythonEnvironment resource, PythonEnvironmentStatus status) {
    String ready = status == null ? ConditionStatus.UNKNOWN
        : status.condition(Conditions.READY).map(c -> c.getStatus())
            .filter(READY_STATUSES::contains).orElse(ConditionStatus.UNKNOWN);
    String key = key(resource.getMetadata().getNamespace(), resource.getMetadata().getName());
    readyByResource.put(key, ready);
    boolean unavailable = status != null && status.condition(Conditions.REGISTRY_UNAVAILABLE)
        .map(c -> ConditionStatus.TRUE.equals(c.getStatus())).orElse(false);
    if (unavailable) {
      registryUnavailable.put(key, true);
    } else {
      registryUnavailable.remove(key);
    }
  }

  /** A reconcile of a resource finished without an exception. */
  void reconcileFinished(String namespace, String name) {
    reconciles.merge(key(namespace, name), 1L, Long::sum);
  }

  /** How many reconciles of a resource finished without an exception since this operator started. */
  public long reconciles(String namespace, String name) {
    return reconciles.getOrDefault(key(namespace, name), 0L);
  }

  public void resourceDeleted(String namespace, String name) {
    readyByResource.remove(key(namespace, name));
    registryUnavailable.remove(key(namespace, name));
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  @Override
  public void onCheck(String registryHost, ManifestCheck check, long durationNanos) {
    registryCheck(check.outcome(), check.cached()).record(Duration.ofNanos(durationNanos));
  }

  private Timer registryCheck(ManifestCheck.Outcome outcome, boolean cached) {
    return Timer.builder("envforge.registry.check").description("Registry manifest checks, by outcome")
        .tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT))
        .tag("cached", Boolean.toString(cached))
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(60))
        .register(registry);
  }

  /** Stops listening to the JVM's garbage collections. */
  @Override
  public void close() {
    gc.close();
  }
}
