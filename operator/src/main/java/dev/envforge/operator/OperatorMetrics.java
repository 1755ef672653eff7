package dev.envforge.operator;

import dev.envforge.core.registry.ManifestCheck;
import dev.envforge.core.registry.RegistryCheckListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * envforge's own Prometheus metrics. Labels carry outcomes and reasons only: never names of resources, images or
 * Secrets, so cardinality stays small and nothing sensitive is exported.
 */
public final class OperatorMetrics implements RegistryCheckListener {
  private final MeterRegistry registry;
  private final Counter buildsStarted;
  private final Counter buildsSucceeded;
  private final Counter cacheHits;

  public OperatorMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.buildsStarted = Counter.builder("envforge.builds.started")
        .description("Build Jobs created").register(registry);
    this.buildsSucceeded = Counter.builder("envforge.builds.succeeded")
        .description("Builds that pushed their image").register(registry);
    this.cacheHits = Counter.builder("envforge.cache.hits")
        .description("Variants whose image already existed in the registry, so nothing was built")
        .register(registry);
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

  public void cacheHit() {
    cacheHits.increment();
  }

  @Override
  public void onCheck(String registryHost, ManifestCheck check, long durationNanos) {
    Timer.builder("envforge.registry.check").description("Registry manifest checks, by outcome")
        .tag("outcome", check.outcome().name().toLowerCase(java.util.Locale.ROOT))
        .tag("cached", Boolean.toString(check.cached()))
        .register(registry).record(Duration.ofNanos(durationNanos));
  }
}
