package dev.envforge.operator;

import static org.awaitility.Awaitility.await;

import dev.envforge.api.v1alpha1.ImageTarget;
import dev.envforge.api.v1alpha1.InlineSource;
import dev.envforge.api.v1alpha1.LockSource;
import dev.envforge.api.v1alpha1.PythonEnvironment;
import dev.envforge.api.v1alpha1.PythonEnvironmentSpec;
import dev.envforge.api.v1alpha1.SecretReference;
import dev.envforge.api.v1alpha1.Variant;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An envforge operator against the fabric8 mock API server in CRUD mode, plus what a kubelet and a user would do:
 * apply resources, finish or fail build Jobs, read conditions.
 */
final class OperatorHarness implements AutoCloseable {
  // generous: the build machines are shared, and a test that passes only waits as long as it needs
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  /** The User-Agent of the test's own client (user and kubelet actions); every other request is the operator's. */
  static final String TEST_USER_AGENT = "envforge-test-client";
  static final String OPERATOR_USER_AGENT = "envforge-operator-under-test";

  final KubernetesMockServer server;
  /** What the test does as a user or kubelet. */
  final KubernetesClient client;
  /** What the operator uses: its own User-Agent, so {@link #calls} tells its requests apart. */
  final KubernetesClient operatorClient;
  final ApiCallLog calls;
  /** Every test with a harness checks on close that no secret leaked ({@link SecretScan}). */
  private final SecretScan secretScan = new SecretScan();
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final List<EnvforgeOperator> startedOperators = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** The operator's clock: the real time unless a test sets it. */
  final TestClock clock = new TestClock();
  EnvforgeOperator operator;
  private OperatorSettings settings;
  private ImageRegistry registry;

  OperatorHarness() {
    // CRUD for everything, plus the answers a test sets with server.expect() (they are looked at first)
    var expectations = new java.util.HashMap<io.fabric8.mockwebserver.ServerRequest,
        java.util.Queue<io.fabric8.mockwebserver.ServerResponse>>();
    server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(),
        new io.fabric8.mockwebserver.MockWebServer(), expectations, new PodLogDispatcher(expectations, podLogs),
        false);
    server.init();
    client = server.createClient(b -> b.editOrNewConfig().withUserAgent(TEST_USER_AGENT).endConfig());
    // the operator's time limits and retries, as RunCommand sets them (ApiClientSettings)
    operatorClient = server.createClient(b -> b.editOrNewConfig().withUserAgent(OPERATOR_USER_AGENT)
        .withConnectionTimeout((int) ApiClientSettings.CONNECT_TIMEOUT.toMillis())
        .withRequestTimeout((int) ApiClientSettings.REQUEST_TIMEOUT.toMillis())
        .withRequestRetryBackoffLimit(ApiClientSettings.RETRIES)
        .withRequestRetryBackoffInterval((int) ApiClientSettings.RETRY_INTERVAL.toMillis()).endConfig());
    calls = new ApiCallLog(server, agent -> !TEST_USER_AGENT.equals(agent));
    installCrd();
  }

  OperatorHarness start(OperatorSettings settings, ImageRegistry registry) {
    this.settings = settings;
    this.registry = registry;
    operator = EnvforgeOperator.start(operatorClient, settings, meters, registry, clock);
    startedOperators.add(operator);
    return this;
  }

  /** Stops the operator (for tests that change something while no operator runs). */
  void stopOperator() {
    if (operator != null) {
      operator.close();
      operator = null;
    }
  }

  /** Settings for {@link #start()}: the defaults unless a test sets others before the operator starts. */
  private OperatorSettings startSettings = OperatorSettings.defaults();

  OperatorHarness settings(OperatorSettings startWith) {
    this.startSettings = startWith;
    return this;
  }

  OperatorHarness start() {
    return start(startSettings, null);
  }

  void installCrd() {
    // the CRDs generated by this build, as the cluster would have them installed
    for (String file : List.of("pythonenvironments.envforge.dev-v1.yml", "environmentpolicies.envforge.dev-v1.yml")) {
      try (InputStream in = OperatorHarness.class.getResourceAsStream("/META-INF/fabric8/" + file)) {
        CustomResourceDefinition crd = client.getKubernetesSerialization().unmarshal(in,
            CustomResourceDefinition.class);
        client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  static Path repoRoot() {
    return Path.of(System.getProperty("envforge.repoRoot", ".."));
  }

  static String resource(String path) {
    try (InputStream in = OperatorHarness.class.getResourceAsStream("/" + path)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A resource with inline pyproject and lock, pushing to {@code repository}. */
  static PythonEnvironment environment(String namespace, String name, String pyproject, String lock,
      String repository, Variant... variants) {
    PythonEnvironment pe = new PythonEnvironment();
    pe.getMetadata().setNamespace(namespace);
    pe.getMetadata().setName(name);
    PythonEnvironmentSpec spec = new PythonEnvironmentSpec();
    LockSource source = new LockSource();
    InlineSource inline = new InlineSource();
    inline.setPyproject(pyproject);
    inline.setLock(lock);
    source.setInline(inline);
    spec.setSource(source);
    ImageTarget image = new ImageTarget(repository);
    image.setInsecure(true);
    spec.setImage(image);
    spec.setVariants(variants.length == 0 ? PythonEnvironmentSpec.defaultVariants() : List.of(variants));
    pe.setSpec(spec);
    return pe;
  }

  /** A clock a test can set and move; it follows the real time until it is set. */
  static final class TestClock extends Clock {
    private volatile Instant fixed;

    void set(Instant instant) {
      fixed = instant;
    }

    void advance(Duration duration) {
      fixed = instant().plus(duration);
    }

    @Override
    public Instant instant() {
      Instant now = fixed;
      return now != null ? now : Instant.now();
    }

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      throw new UnsupportedOperationException("envforge uses UTC");
    }
  }

  /** The image tag the operator gives the default settings' image of these project files and groups. */
  static String tagOf(Map<String, String> files, List<String> groups) {
    return dev.envforge.core.planner.EnvironmentPlanner.plan(dev.envforge.core.lock.ProjectFiles.of(files, ""),
        dev.envforge.core.planner.PlanningRequest.DEFAULTS, new dev.envforge.core.planner.VariantRequest("x",
            new dev.envforge.core.plan.Selection(groups, List.of()))).hash().tag();
  }

  PythonEnvironment apply(PythonEnvironment pe) {
    return client.resource(pe).createOr(existing -> existing.update());
  }

  PythonEnvironment get(String namespace, String name) {
    return client.resources(PythonEnvironment.class).inNamespace(namespace).withName(name).get();
  }

  PythonEnvironment edit(String namespace, String name, java.util.function.UnaryOperator<PythonEnvironment> edit) {
    return client.resources(PythonEnvironment.class).inNamespace(namespace).withName(name).edit(edit);
  }

  Optional<Condition> condition(String namespace, String name, String type) {
    PythonEnvironment pe = get(namespace, name);
    return pe == null || pe.getStatus() == null ? Optional.empty() : pe.getStatus().condition(type);
  }

  PythonEnvironment awaitCondition(String namespace, String name, String type, String status, String reason) {
    awaitOrDescribe("condition " + type + "=" + status + (reason == null ? "" : " (" + reason + ")") + " on "
        + namespace + "/" + name, () -> condition(namespace, name, type)
        .filter(c -> status.equals(c.getStatus()) && (reason == null || reason.equals(c.getReason())))
        .isPresent());
    return get(namespace, name);
  }

  /** Waits for {@code done}; on timeout the failure shows every resource's status, for a readable test report. */
  void awaitOrDescribe(String what, java.util.concurrent.Callable<Boolean> done) {
    try {
      await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(50)).until(done);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("timed out waiting for " + what + "; resources now:\n" + describeResources(), e);
    }
  }

  String describeResources() {
    StringBuilder sb = new StringBuilder();
    for (PythonEnvironment pe : client.resources(PythonEnvironment.class).inAnyNamespace().list().getItems()) {
      sb.append(pe.getMetadata().getNamespace()).append('/').append(pe.getMetadata().getName())
          .append(" generation=").append(pe.getMetadata().getGeneration()).append(" status=")
          .append(pe.getStatus()).append('\n');
    }
    for (Job job : jobs()) {
      sb.append("job ").append(job.getMetadata().getNamespace()).append('/').append(job.getMetadata().getName())
          .append(" status=").append(job.getStatus()).append('\n');
    }
    return sb.toString();
  }

  /**
   * How many reconciles of one resource have finished, summed over every operator this harness started (the
   * operator counts them per resource without exporting them: metric labels carry no resource names).
   */
  double reconciliations(String namespace, String name) {
    return startedOperators.stream().mapToLong(o -> o.metrics().reconciles(namespace, name)).sum();
  }

  /** Does {@code change} and waits until the operator has reconciled the resource after it. */
  void changeAndAwaitReconcile(String namespace, String name, Runnable change) {
    double before = reconciliations(namespace, name);
    change.run();
    awaitOrDescribe("a reconcile of " + namespace + "/" + name, () -> reconciliations(namespace, name) > before);
  }

  /**
   * Makes the operator look at a resource again without changing its spec, in the three ways that happen in a
   * cluster: an annotation on the resource (the generation stays, so the operator need not reconcile), an update
   * of its build Job (if it has one), and a restart of the operator. Returns after the operator reconciled.
   */
  void reconcileWithoutChange(String namespace, String name) {
    edit(namespace, name, pe -> {
      Map<String, String> annotations = new java.util.HashMap<>();
      if (pe.getMetadata().getAnnotations() != null) {
        annotations.putAll(pe.getMetadata().getAnnotations());
      }
      annotations.put("example.com/touched", Long.toString(System.nanoTime()));
      pe.getMetadata().setAnnotations(annotations);
      return pe;
    });
    for (Job job : jobs()) {
      changeAndAwaitReconcile(namespace, name, () -> client.resource(job).edit(j -> {
        j.getMetadata().getAnnotations().put("example.com/touched", Long.toString(System.nanoTime()));
        return j;
      }));
    }
    restartOperator();
  }

  /** Starts a new operator with the settings of the last one, after {@link #stopOperator()}; does not wait. */
  void startOperatorAgain() {
    start(settings, registry);
  }

  /** Stops the operator and starts a new one with the same settings; returns once it reconciled every resource. */
  void restartOperator() {
    stopOperator();
    List<PythonEnvironment> all = client.resources(PythonEnvironment.class).inAnyNamespace().list().getItems();
    java.util.Map<String, Double> before = new java.util.HashMap<>();
    all.forEach(pe -> before.put(key(pe), reconciliations(pe.getMetadata().getNamespace(), pe.getMetadata().getName())));
    start(settings, registry);
    awaitOrDescribe("the restarted operator reconciling every resource", () -> all.stream().allMatch(pe ->
        reconciliations(pe.getMetadata().getNamespace(), pe.getMetadata().getName()) > before.get(key(pe))));
  }

  private static String key(PythonEnvironment pe) {
    return pe.getMetadata().getNamespace() + "/" + pe.getMetadata().getName();
  }

  List<Job> jobs() {
    return client.batch().v1().jobs().inAnyNamespace().list().getItems();
  }

  Job awaitJob() {
    awaitOrDescribe("a build Job", () -> !jobs().isEmpty());
    return jobs().get(0);
  }

  /** The context ConfigMap of a build Job, once the Job owns it. */
  io.fabric8.kubernetes.api.model.ConfigMap awaitBuildContext(String namespace, String jobName) {
    awaitOrDescribe("the context ConfigMap " + jobName + " owned by its Job", () -> {
      var context = client.configMaps().inNamespace(namespace).withName(jobName).get();
      return context != null && context.getMetadata().getOwnerReferences().stream()
          .anyMatch(o -> "Job".equals(o.getKind()));
    });
    return client.configMaps().inNamespace(namespace).withName(jobName).get();
  }

  List<Event> events(String namespace) {
    return client.v1().events().inNamespace(namespace).list().getItems();
  }

  void createPushSecret(String namespace, String name, String dockerConfigJson) {
    client.secrets().inNamespace(namespace).resource(new SecretBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
        .withType("kubernetes.io/dockerconfigjson")
        .withData(Map.of(".dockerconfigjson",
            Base64.getEncoder().encodeToString(dockerConfigJson.getBytes(StandardCharsets.UTF_8))))
        .build()).create();
  }

  static SecretReference secretRef(String name) {
    SecretReference ref = new SecretReference();
    ref.setName(name);
    return ref;
  }

  /** The logs the kubelet serves, by "namespace/pod"; a Pod without one answers 404 as a Pod that is gone. */
  private final Map<String, String> podLogs = new java.util.concurrent.ConcurrentHashMap<>();

  /** The builder's log of a Pod, as GET pods/NAME/log serves it. */
  void podLog(Pod pod, String log) {
    podLogs.put(pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName(), log);
  }

  /** What the kubelet reports for a build Pod that ended, with the builder's log. */
  Pod podFinished(Job job, int exitCode, String reason, String message, String log) {
    Pod pod = podFinished(job, exitCode, reason, message);
    podLog(pod, log);
    return pod;
  }

  /**
   * The CRUD server with the pods/log subresource: it would answer GET pods/NAME/log with a list of every object it
   * holds (it has no logs), so a log comes from {@link #podLog} or the request gets the kubelet's 404.
   */
  private static final class PodLogDispatcher
      extends io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher {
    private static final java.util.regex.Pattern LOG_PATH =
        java.util.regex.Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/?]+)/log(\\?.*)?");
    private final Map<String, String> logs;

    PodLogDispatcher(Map<io.fabric8.mockwebserver.ServerRequest,
        java.util.Queue<io.fabric8.mockwebserver.ServerResponse>> expectations, Map<String, String> logs) {
      super(expectations);
      this.logs = logs;
    }

    @Override
    public io.fabric8.mockwebserver.http.MockResponse dispatch(io.fabric8.mockwebserver.http.RecordedRequest request) {
      java.util.regex.Matcher m = LOG_PATH.matcher(request.getPath());
      if (!"GET".equals(request.getMethod()) || !m.matches()) {
        return super.dispatch(request);
      }
      String log = logs.get(m.group(1) + "/" + m.group(2));
      if (log == null) {
        return new io.fabric8.mockwebserver.http.MockResponse().setResponseCode(404)
            .setHeader("Content-Type", "application/json")
            .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":"
                + "\"pods \\\"" + m.group(2) + "\\\" not found\",\"reason\":\"NotFound\",\"code\":404}");
      }
      // limitBytes keeps the start of what tailLines selected, as the kubelet does
      String query = m.group(3) == null ? "" : m.group(3);
      java.util.regex.Matcher tail = java.util.regex.Pattern.compile("[?&]tailLines=(\\d+)").matcher(query);
      if (tail.find()) {
        List<String> lines = log.lines().toList();
        int n = Integer.parseInt(tail.group(1));
        log = String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()))
            + (log.endsWith("\n") ? "\n" : "");
      }
      return new io.fabric8.mockwebserver.http.MockResponse().setResponseCode(200)
          .setHeader("Content-Type", "text/plain").setBody(log);
    }
  }

  /** What the kubelet reports for a build Pod that ended: exit code, reason and termination message. */
  Pod podFinished(Job job, int exitCode, String reason, String message) {
    return createPod(job, new ContainerStatusBuilder().withName("build").withImage("builder")
        .withState(new ContainerStateBuilder().withNewTerminated().withExitCode(exitCode).withReason(reason)
            .withMessage(message).endTerminated().build()).build(), exitCode == 0 ? "Succeeded" : "Failed");
  }

  Pod podWaiting(Job job, String reason, String message) {
    return createPod(job, new ContainerStatusBuilder().withName("build").withImage(job.getSpec().getTemplate()
        .getSpec().getContainers().get(0).getImage())
        .withState(new ContainerStateBuilder().withNewWaiting().withReason(reason).withMessage(message)
            .endWaiting().build()).build(), "Pending");
  }

  /** A Pod as the Job controller makes it: the template's labels plus the Job's name and UID. */
  private Pod createPod(Job job, io.fabric8.kubernetes.api.model.ContainerStatus status, String phase) {
    Pod pod = new PodBuilder()
        .withNewMetadata()
          .withName(job.getMetadata().getName() + "-" + Long.toHexString(System.nanoTime()))
          .withNamespace(job.getMetadata().getNamespace())
          .withLabels(job.getSpec().getTemplate().getMetadata().getLabels())
          .addToLabels("job-name", job.getMetadata().getName())
          .addToLabels("batch.kubernetes.io/job-name", job.getMetadata().getName())
          .addToLabels("batch.kubernetes.io/controller-uid", job.getMetadata().getUid())
          .addNewOwnerReference().withApiVersion("batch/v1").withKind("Job").withName(job.getMetadata().getName())
            .withUid(job.getMetadata().getUid()).withController(true).withBlockOwnerDeletion(true)
          .endOwnerReference()
          .withCreationTimestamp(Instant.now().toString())
        .endMetadata()
        .withSpec(job.getSpec().getTemplate().getSpec())
        .withNewStatus().withPhase(phase).withContainerStatuses(status).endStatus()
        .build();
    return client.pods().inNamespace(job.getMetadata().getNamespace()).resource(pod).create();
  }

  /** Marks a Job finished as the Job controller would. */
  void finishJob(Job job, boolean succeeded, String failureReason) {
    List<JobCondition> conditions = new ArrayList<>();
    String now = Instant.now().toString();
    conditions.add(new JobConditionBuilder().withType(succeeded ? "Complete" : "Failed").withStatus("True")
        .withReason(failureReason).withLastTransitionTime(now).build());
    client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).withName(job.getMetadata().getName())
        .editStatus(j -> {
          j.setStatus(new JobStatusBuilder().withStartTime(now).withConditions(conditions)
              .withSucceeded(succeeded ? 1 : 0).withFailed(succeeded ? 0 : 1).withActive(0)
              .withCompletionTime(succeeded ? now : null).build());
          return j;
        });
  }

  void markJobRunning(Job job) {
    client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).withName(job.getMetadata().getName())
        .editStatus(j -> {
          j.setStatus(new JobStatusBuilder().withStartTime(Instant.now().toString()).withActive(1).build());
          return j;
        });
  }

  @Override
  public void close() {
    if (operator != null) {
      operator.close();
    }
    List<String> leaks = secretScan.finish(client, calls);
    calls.appendToReport();
    operatorClient.close();
    client.close();
    server.destroy();
    if (!leaks.isEmpty()) {
      throw new AssertionError("secret values leaked:\n" + String.join("\n", leaks));
    }
  }
}
