package dev.envforge.operator;

import dev.envforge.api.v1alpha1.BuilderSpec;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code envforge run}: the operator, from kubeconfig or in-cluster configuration. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Runs the envforge operator against the cluster of the current kubeconfig context, or the"
        + " cluster it runs in.")
public final class RunCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  @Option(names = "--namespaces", split = ",", paramLabel = "NS",
      description = "Namespaces to watch (default: all namespaces).")
  List<String> namespaces = new ArrayList<>();

  @Option(names = "--leader-election", description = "Take a Lease before reconciling (required with replicas > 1).")
  boolean leaderElection;

  @Option(names = "--lease-name", defaultValue = OperatorSettings.DEFAULT_LEASE_NAME,
      description = "Name of the leader-election Lease (default: ${DEFAULT-VALUE}).")
  String leaseName;

  @Option(names = "--lease-namespace", description = "Namespace of the Lease (default: the operator's namespace).")
  String leaseNamespace;

  @Option(names = "--health-port", defaultValue = "8080",
      description = "Port of /healthz, /readyz and /metrics; 0 picks a free port (default: ${DEFAULT-VALUE}).")
  int healthPort;

  @Option(names = "--builder-image", defaultValue = BuilderDefaults.DEFAULT_IMAGE,
      description = "Default builder (Kaniko executor) image (default: ${DEFAULT-VALUE}).")
  String builderImage;

  @Option(names = "--assembler-image", defaultValue = BuilderDefaults.DEFAULT_ASSEMBLER_IMAGE,
      description = "Default image of assemble build Jobs, an envforge image that runs `envforge assemble`"
          + " (default: ${DEFAULT-VALUE}; the chart passes the operator's own image).")
  String assemblerImage;

  @Option(names = "--uv-image", paramLabel = "IMAGE",
      description = "Image the uv installer is copied from, a tag or repository@sha256:<64 hex>; it must hold uv "
          + dev.envforge.core.recipe.Installer.UV_VERSION + " (default: ghcr.io/astral-sh/uv:"
          + dev.envforge.core.recipe.Installer.UV_VERSION + "). The builder settings file's uvImage overrides it.")
  String uvImage;

  @Option(names = "--builder-cache-repository", description = "Default layer cache repository (default: none).")
  String builderCacheRepository;

  @Option(names = "--builder-deadline-seconds", defaultValue = "" + BuilderDefaults.DEFAULT_DEADLINE_SECONDS,
      description = "Default time limit of one build (default: ${DEFAULT-VALUE}).")
  long builderDeadlineSeconds;

  @Option(names = "--builder-cpu-request", defaultValue = "500m", description = "Default: ${DEFAULT-VALUE}.")
  String builderCpuRequest;

  @Option(names = "--builder-memory-request", defaultValue = "2Gi", description = "Default: ${DEFAULT-VALUE}.")
  String builderMemoryRequest;

  @Option(names = "--builder-cpu-limit", description = "Default: no CPU limit.")
  String builderCpuLimit;

  @Option(names = "--builder-memory-limit", defaultValue = "8Gi", description = "Default: ${DEFAULT-VALUE}.")
  String builderMemoryLimit;

  @Option(names = "--builder-settings", paramLabel = "FILE",
      description = "YAML file with operator-wide defaults of spec.builder (node selector, tolerations, affinity, env,"
          + " pod labels and annotations, resources, ...); its values override the --builder-* options.")
  java.nio.file.Path builderSettings;

  @Option(names = "--build-ttl-seconds", defaultValue = "" + BuilderDefaults.DEFAULT_TTL_SECONDS,
      description = "How long finished build Jobs are kept (default: ${DEFAULT-VALUE}).")
  int buildTtlSeconds;

  @Option(names = "--registry-cache-seconds", defaultValue = "600",
      description = "How long a registry's \"image exists\" answer is trusted (default: ${DEFAULT-VALUE}).")
  long registryCacheSeconds;

  @Option(names = "--registry-timeout-seconds", defaultValue = "10",
      description = "Time limit of one registry request (default: ${DEFAULT-VALUE}).")
  long registryTimeoutSeconds;

  @Option(names = "--reconcile-threads", defaultValue = "10",
      description = "Resources reconciled at once (default: ${DEFAULT-VALUE}).")
  int reconcileThreads;

  @Override
  public Integer call() throws Exception {
    BuilderDefaults builder = new BuilderDefaults(builderImage, builderCacheRepository, builderDeadlineSeconds,
        BuilderDefaults.resources(builderCpuRequest, builderMemoryRequest, builderCpuLimit, builderMemoryLimit),
        buildTtlSeconds).withAssemblerImage(assemblerImage);
    BuilderSpec fileSettings = builderSettings != null ? BuilderSettingsFile.read(builderSettings) : null;
    if (uvImage != null) {
      // the file's value wins, as for every --builder-* flag
      fileSettings = fileSettings != null ? fileSettings : new BuilderSpec();
      if (fileSettings.getUvImage() == null) {
        fileSettings.setUvImage(uvImage);
      }
    }
    if (fileSettings != null) {
      builder = builder.withSettings(fileSettings);
    }
    BuilderSpec flags = new BuilderSpec();
    flags.setImage(builder.image());
    flags.setUvImage(builder.pod().getUvImage());
    try {
      FetchSettings.checkOperatorWide(flags);
    } catch (IllegalArgumentException e) {
      LOG.error("reason=InvalidSettings message=\"{}\"", e.getMessage());
      return 2;
    }
    OperatorSettings settings = new OperatorSettings(new LinkedHashSet<>(namespaces), builder,
        Duration.ofSeconds(registryCacheSeconds), Duration.ofSeconds(registryTimeoutSeconds), reconcileThreads,
        leaderElection, leaseName, leaseNamespace);
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    KubernetesClient client = new KubernetesClientBuilder()
        .withConfig(ApiClientSettings.apply(Config.autoConfigure(null))).build();
    LOG.info("starting envforge operator: namespaces={} leaderElection={} builderImage={}",
        namespaces.isEmpty() ? "all" : namespaces, leaderElection, builderImage);
    CountDownLatch stopped = new CountDownLatch(1);
    EnvforgeOperator operator;
    try {
      operator = EnvforgeOperator.start(client, settings, meters, null, Clock.systemUTC());
    } catch (RuntimeException e) {
      // the cause in one line, for the Pod's log (the CRD missing, RBAC, an API server that cannot be reached)
      String why = InformerHealth.describe(e);
      if (unreachable(e)) {
        why = "cannot reach the Kubernetes API server at " + client.getMasterUrl() + " (" + why + "); check the"
            + " kubeconfig context or the in-cluster configuration";
      }
      LOG.error("reason=StartFailed message=\"{}\"", why);
      client.close();
      return 1;
    }
    HealthServer health = new HealthServer(healthPort, operator::notLive, operator::notReady, meters);
    LOG.info("envforge operator started; health and metrics on port {}", health.port());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("stopping envforge operator");
      health.close();
      operator.close();
      client.close();
      LOG.info("envforge operator stopped");
      stopped.countDown();
    }, "envforge-shutdown"));
    stopped.await();
    return 0;
  }

  /** Whether the API server could not be reached at all (no answer), rather than answering with an error. */
  static boolean unreachable(Throwable e) {
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof java.net.ConnectException || t instanceof java.net.UnknownHostException
          || t instanceof java.nio.channels.ClosedChannelException
          || t instanceof java.net.http.HttpConnectTimeoutException) {
        return true;
      }
    }
    return false;
  }
}
