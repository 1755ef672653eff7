package dev.envforge.operator;

import dev.envforge.api.v1alpha1.PythonEnvironment;
import dev.envforge.core.lock.ParsedFiles;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RegisteredController;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the reconciler into a running java-operator-sdk Operator. The command line's {@code run} and the tests
 * start envforge through this one class, so they share the configuration.
 */
public final class EnvforgeOperator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EnvforgeOperator.class);
  private final Operator operator;
  private final RegisteredController<PythonEnvironment> controller;
  private final OperatorMetrics metrics;
  private final PlanCache plans;
  private final AtomicBoolean closing;
  private final InformerHealth informers;

  /** The Lease this replica competes for, or null without leader election. */
  private final LeaseHandle lease;

  /** Where the Lease is and who this replica is in it. */
  private record LeaseHandle(KubernetesClient client, String namespace, String name, String identity) {}

  private EnvforgeOperator(Operator operator, RegisteredController<PythonEnvironment> controller,
      OperatorMetrics metrics, PlanCache plans, AtomicBoolean closing, InformerHealth informers, LeaseHandle lease) {
    this.lease = lease;
    this.closing = closing;
    this.informers = informers;
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
    return start(client, settings, meters, registry, null, clock);
  }

  /**
   * @param registry how images are looked up; null for the real registry client
   * @param logs where build logs are stored; null for the registry of each image
   */
  public static EnvforgeOperator start(KubernetesClient client, OperatorSettings settings, MeterRegistry meters,
      ImageRegistry registry, BuildLogStore logs, Clock clock) {
    OperatorMetrics metrics = new OperatorMetrics(meters);
    ImageRegistry images = registry != null ? registry
        : new PooledImageRegistry(settings.registryCacheTtl(), settings.registryTimeout(), metrics);
    // the operator's caches are made here and live as long as it does
    PlanCache plans = new PlanCache(2048, new ParsedFiles(64));
    AtomicBoolean closing = new AtomicBoolean();
    InformerHealth informers = new InformerHealth();
    LeaseHandle lease = settings.leaderElection() ? new LeaseHandle(client, settings.leaseNamespace() != null
        ? settings.leaseNamespace() : client.getNamespace(), settings.leaseName(), identity(settings)) : null;
    Operator operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withCloseClientOnStop(false)
          // a watch that cannot be kept fails the health checks with its reason instead of exiting the JVM
          .withInformerStoppedHandler(informers)
          // merge patches for status: the same code path on a real API server and on servers without SSA
          .withUseSSAToPatchPrimaryResource(false)
          .withConcurrentReconciliationThreads(settings.reconcileThreads())
          // no per-resource series: resource names never become metric labels
          .withMetrics(new ReadyGaugeMetrics(MicrometerMetrics.withoutPerResourceMetrics(meters), metrics));
      if (settings.leaderElection()) {
        o.withLeaderElectionConfiguration(leaderElection(settings, lease.identity(), closing));
      }
    });
    // build logs go to the real registry also when a test answers the image checks itself
    BuildLogStore logStore = logs != null ? logs : images instanceof BuildLogStore store ? store
        : new PooledImageRegistry(settings.registryCacheTtl(), settings.registryTimeout(), metrics);
    PythonEnvironmentReconciler reconciler = new PythonEnvironmentReconciler(client, settings.builder(), images,
        logStore, plans, metrics, clock);
    ReadProblemReporter readProblems = new ReadProblemReporter(new EventRecorder(client, clock));
    RegisteredController<PythonEnvironment> controller = operator.register(reconciler, c -> {
      // fields this build does not know are reported and ignored; a resource it cannot read is reported and skipped
      c.withGenericFilter(readProblems);
      // an error (the API server unavailable, a conflict) is retried with backoff for as long as it lasts; JOSDK's
      // default gives up after 5 attempts and waits for the next event or the 10-minute resync
      c.withRetry(new GenericRetry().setInitialInterval(settings.retry().initial().toMillis())
          .setIntervalMultiplier(settings.retry().multiplier()).setMaxInterval(settings.retry().max().toMillis())
          .withoutMaxAttempts());
      if (settings.namespaces().isEmpty()) {
        c.watchingAllNamespaces();
      } else {
        c.settingNamespaces(settings.namespaces());
      }
    });
    // counts, for kubectl get environmentpolicies, what each policy selects and which resources break it
    operator.register(new EnvironmentPolicyReconciler(settings.namespaces()), c -> {
      c.withRetry(new GenericRetry().setInitialInterval(2000).setIntervalMultiplier(2).setMaxInterval(300_000)
          .withoutMaxAttempts());
      c.watchingAllNamespaces();
    });
    operator.start();
    return new EnvforgeOperator(operator, controller, metrics, plans, closing, informers, lease);
  }

  /**
   * Leader election that exits the process when the lease is lost, so that the Pod restarts and competes again, but
   * not when the lease ends because the operator is stopping. (JOSDK's own exit on stop-leading calls System.exit
   * from inside the shutdown hook that stops the operator, and a JVM that is already shutting down then waits
   * forever: SIGTERM would never end the process.)
   */
  private static LeaderElectionConfiguration leaderElection(OperatorSettings settings, String identity,
      AtomicBoolean closing) {
    LeaderCallbacks callbacks = new LeaderCallbacks(
        () -> LOG.info("leader-election lease {} taken; reconciling", settings.leaseName()),
        () -> {
          if (!closing.get()) {
            LOG.error("leader-election lease {} lost; exiting so that a restart competes for it again",
                settings.leaseName());
            // System.exit waits for shutdown hooks: never call it on the thread that must return for them
            Thread exit = new Thread(() -> System.exit(1), "envforge-exit");
            exit.start();
          }
        },
        leader -> LOG.info("leader-election lease {} held by {}", settings.leaseName(), leader));
    LeaderElectionConfigurationBuilder builder = LeaderElectionConfigurationBuilder
        .aLeaderElectionConfiguration(settings.leaseName())
        .withLeaderCallbacks(callbacks)
        .withExitOnStopLeading(false);
    if (settings.leaseNamespace() != null) {
      builder.withLeaseNamespace(settings.leaseNamespace());
    }
    return builder.withIdentity(identity).build();
  }

  /** This replica in the Lease: as set, else the host name (the Pod's name), else a random one. */
  private static String identity(OperatorSettings settings) {
    String identity = settings.leaseIdentity() != null ? settings.leaseIdentity() : System.getenv("HOSTNAME");
    return identity == null || identity.isBlank() ? java.util.UUID.randomUUID().toString() : identity;
  }

  /**
   * Gives the Lease up after the operator stopped, so another replica takes over at once rather than after the
   * lease duration (as client-go's ReleaseOnCancel does). Only a Lease this replica still holds is touched, and
   * only with the version it read: a failure just means the others wait for the lease to expire.
   */
  private static void release(LeaseHandle lease) {
    try {
      Lease current = lease.client().leases().inNamespace(lease.namespace()).withName(lease.name()).get();
      if (current == null || current.getSpec() == null
          || !lease.identity().equals(current.getSpec().getHolderIdentity())) {
        return;
      }
      java.time.ZonedDateTime now = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC);
      current.getSpec().setHolderIdentity("");
      current.getSpec().setLeaseDurationSeconds(1);
      current.getSpec().setAcquireTime(now);
      current.getSpec().setRenewTime(now);
      // an update names the resourceVersion read: a Lease taken meanwhile by another replica is left alone
      lease.client().leases().inNamespace(lease.namespace()).resource(current).update();
      LOG.info("leader-election lease {} released", lease.name());
    } catch (KubernetesClientException e) {
      LOG.info("leader-election lease {} not released (HTTP {}); the others take over when it expires",
          lease.name(), e.getCode());
    }
  }

  /** Whether every informer has synced and watches, and the controller is reconciling. */
  public boolean ready() {
    return notReady().isEmpty();
  }

  /** Whether the operator's informers and threads are alive. */
  public boolean live() {
    return notLive().isEmpty();
  }

  /** Why the operator is not ready, if it is not: a stopped informer, a watch not (yet) kept, or not started. */
  public Optional<String> notReady() {
    Optional<String> dead = notLive();
    if (dead.isPresent()) {
      return dead;
    }
    String unhealthy = operator.getRuntimeInfo().unhealthyEventSources().entrySet().stream()
        .filter(e -> !e.getValue().isEmpty())
        .map(e -> e.getKey() + " " + e.getValue().keySet()).collect(Collectors.joining("; "));
    if (!unhealthy.isEmpty()) {
      return Optional.of("informers not synced or not watching: " + unhealthy);
    }
    return Optional.empty();
  }

  /** Why the operator is not alive: it has not started, or an informer stopped for good (a restart cures it). */
  public Optional<String> notLive() {
    if (!operator.getRuntimeInfo().isStarted()) {
      return Optional.of("the operator has not started");
    }
    return informers.stopped();
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
    closing.set(true);
    operator.stop();
    if (lease != null) {
      release(lease);
    }
    metrics.close();
  }
}
