package dev.envforge.operator;

import dev.envforge.api.v1alpha1.EnvforgeApi.ConditionStatus;
import dev.envforge.api.v1alpha1.EnvforgeApi.Conditions;
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

  private final MeterRegistry registry;
  private final Counter buildsStarted;
  private final Counter buildsSucceeded;
  private final Counter cacheHits;
  private final JvmGcMetrics gc = new JvmGcMetrics();
  /** The last Ready status of each resource, by namespace/name; only counted, never exported by name. */
  private final Map<String, String> readyByResource = new ConcurrentHashMap<>();
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
    Counter.builder("envforge.builds.failed").description("Builds that failed, by reason")
        .tag("reason", reason == null ? "Unknown" : reason).register(registry).increment();
  }

  /** A build that finished: how long its Job ran, by outcome (succeeded or failed). */
  public void buildFinished(boolean succeeded, Duration duration) {
    Timer.builder("envforge.build.duration").description("Duration of builds from Job start to finish, by outcome")
        .tag("outcome", succeeded ? "succeeded" : "failed")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofSeconds(5))
        .maximumExpectedValue(Duration.ofHours(24))
        .register(registry).record(duration);
  }

  public void cacheHit() {
    cacheHits.increment();
  }

  /** The status a reconcile left a resource with. */
  public void resourceReconciled(PythonEnvironment resource, PythonEnvironmentStatus status) {
    String ready = status == null ? ConditionStatus.UNKNOWN
        : status.condition(Conditions.READY).map(c -> c.getStatus())
            .filter(READY_STATUSES::contains).orElse(ConditionStatus.UNKNOWN);
    readyByResource.put(key(resource.getMetadata().getNamespace(), resource.getMetadata().getName()), ready);
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
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  @Override
  public void onCheck(String registryHost, ManifestCheck check, long durationNanos) {
    Timer.builder("envforge.registry.check").description("Registry manifest checks, by outcome")
        .tag("outcome", check.outcome().name().toLowerCase(java.util.Locale.ROOT))
        .tag("cached", Boolean.toString(check.cached()))
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(60))
        .register(registry).record(Duration.ofNanos(durationNanos));
  }

  /** Stops listening to the JVM's garbage collections. */
  @Override
  public void close() {
    gc.close();
  }
}
