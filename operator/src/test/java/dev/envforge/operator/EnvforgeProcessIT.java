package dev.envforge.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.api.v1alpha1.EnvforgeApi.Conditions;
import dev.envforge.api.v1alpha1.Reason;
import dev.envforge.api.v1alpha1.PythonEnvironment;
import dev.envforge.testing.RegistryServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built jar as a separate process, as a Deployment runs it: {@code java -jar envforge.jar run} with a kubeconfig
 * that points at a mock API server, leader election on, a real registry. The resource becomes Ready, the health and
 * metrics endpoints answer on the port the process reports, and SIGTERM stops it cleanly.
 */
class EnvforgeProcessIT {
  static final Pattern PORT_LINE = Pattern.compile("health and metrics on port (\\d+)");
  static final Duration STARTUP = Duration.ofSeconds(90);

  @TempDir
  Path directory;
  OperatorHarness k8s;
  RegistryServer registry;
  Process process;
  Path log;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void start() {
    registry = RegistryServer.start();
    // the API server and the test's own client only: the operator is the process
    k8s = new OperatorHarness();
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    k8s.close();
    registry.close();
  }

  @Test
  void jarRunsTheOperatorReportsHealthAndStopsOnSigterm() throws Exception {
    String jar = System.getProperty("envforge.jar");
    assertThat(jar).as("system property envforge.jar (set by failsafe)").isNotBlank();
    assertThat(Path.of(jar)).exists();
    Path kubeconfig = writeKubeconfig();
    allowLeases();
    log = directory.resolve("envforge.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, "-jar", jar, "run", "--health-port=0", "--leader-election",
        "--lease-namespace=envforge-system", "--registry-timeout-seconds=5")
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    builder.environment().put("HOSTNAME", "envforge-operator-0"); // the leader's identity, as in a Pod
    builder.environment().remove("KUBERNETES_SERVICE_HOST");
    process = builder.start();

    int port = awaitPort();
    URI health = URI.create("http://127.0.0.1:" + port);
    k8s.awaitOrDescribe("/readyz 200", () -> get(health.resolve("/readyz")).statusCode() == 200);

    String lock = BuildFailureTest.LOCK;
    String tag = OperatorHarness.tagOf(Map.of("requirements.txt", lock), List.of());
    String digest = registry.pushRandomImage("process/env", tag);
    k8s.apply(OperatorHarness.environment("team-a", "env", null, lock, registry.hostPort() + "/process/env"));
    PythonEnvironment ready;
    try {
      ready = k8s.awaitCondition("team-a", "env", Conditions.READY, "True", Reason.CACHED.wire());
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\noperator log:\n" + Files.readString(log), e);
    }
    assertThat(ready.getStatus().getImage()).isEqualTo(registry.hostPort() + "/process/env:" + tag + "@" + digest);

    HttpResponse<String> healthz = get(health.resolve("/healthz"));
    assertThat(healthz.statusCode()).isEqualTo(200);
    assertThat(healthz.body()).isEqualTo("ok\n");
    HttpResponse<String> metrics = get(health.resolve("/metrics"));
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type")).get().asString().startsWith("text/plain");
    assertThat(metrics.body()).contains("envforge_cache_hits_total 1.0", "envforge_registry_check_seconds_count",
        "operator_sdk_reconciliations_success_total");
    MetricsScrape.assertOperatorMetrics(metrics.body(), List.of("team-a", "process/env", tag));
    // the chart's alerts and dashboard use only what this operator exports
    dev.envforge.chart.MonitoringChart.assertUsesOnlyExported(metrics.body());
    assertThat(k8s.client.leases().inNamespace("envforge-system").withName(OperatorSettings.DEFAULT_LEASE_NAME)
        .get()).as("the leader-election Lease").isNotNull();

    process.destroy(); // SIGTERM
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("the process did not stop within 30 s of SIGTERM; log:\n" + Files.readString(log)
          + "\nthreads:\n" + threadDump(process));
    }
    String output = Files.readString(log);
    assertThat(process.exitValue()).as("exit status after SIGTERM; log:\n%s", output).isIn(0, 143);
    assertThat(output).contains("stopping envforge operator", "envforge operator stopped");
    assertThat(output.lines().filter(l -> l.contains("level=ERROR") || l.startsWith("Exception")
        || l.startsWith("\tat ")).toList()).as("errors in the log:\n%s", output).isEmpty();
  }

  /** The threads of a process that does not stop, for the failure message. */
  private static String threadDump(Process process) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process dump = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "Thread.print")
        .redirectErrorStream(true).start();
    String text = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    dump.waitFor(30, TimeUnit.SECONDS);
    return text;
  }

  private int awaitPort() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (System.nanoTime() < deadline) {
      String text = Files.exists(log) ? Files.readString(log) : "";
      Matcher m = PORT_LINE.matcher(text);
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
      assertThat(process.isAlive()).as("the process is running; log:\n%s", text).isTrue();
      Thread.sleep(100);
    }
    throw new AssertionError("no \"health and metrics on port N\" line within " + STARTUP + "; log:\n"
        + Files.readString(log));
  }

  private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  /**
   * The answer of an API server to the operator's SelfSubjectRulesReview (its check, before leader election, that
   * it may use Leases), which the mock server cannot compute: the rule the chart's Role grants.
   */
  private void allowLeases() {
    var review = new io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder()
        .withNewStatus().withIncomplete(false)
          .addNewResourceRule().withApiGroups("coordination.k8s.io").withResources("leases")
            .withVerbs("get", "create", "update").endResourceRule()
        .endStatus().build();
    k8s.server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(201, review).always();
  }

  @Test
  void withoutAReachableClusterItSaysSoInOneLineAndExits() throws Exception {
    String jar = System.getProperty("envforge.jar");
    assertThat(jar).as("system property envforge.jar (set by failsafe)").isNotBlank();
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Path kubeconfig = directory.resolve("unreachable-kubeconfig");
    Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters: [{name: gone, cluster: {server: "https://127.0.0.1:%d"}}]
        users: [{name: envforge, user: {token: unused}}]
        contexts: [{name: gone, context: {cluster: gone, user: envforge}}]
        current-context: gone
        """.formatted(closedPort));
    log = directory.resolve("unreachable.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, "-jar", jar, "run", "--health-port=0")
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    process = builder.start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the process ends by itself").isTrue();
    String output = Files.readString(log);
    assertThat(process.exitValue()).as(output).isNotZero();
    assertThat(output).as(output).contains("reason=StartFailed", "cannot reach the Kubernetes API server at"
        + " https://127.0.0.1:" + closedPort);
    assertThat(output.lines().filter(l -> l.startsWith("\tat ") || l.startsWith("Caused by") || l.contains("|-INFO"))
        .toList()).as("stack traces or logback's own report in:\n%s", output).isEmpty();
  }

  /** A kubeconfig for the mock API server, as kubectl would read it. */
  private Path writeKubeconfig() throws IOException {
    String server = k8s.server.url("/").replaceAll("/$", "");
    Path file = directory.resolve("kubeconfig");
    Files.writeString(file, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mock
          cluster:
            server: %s
            insecure-skip-tls-verify: true
        users:
        - name: envforge
          user:
            token: not-checked-by-the-mock-server
        contexts:
        - name: mock
          context:
            cluster: mock
            user: envforge
            namespace: envforge-system
        current-context: mock
        """.formatted(server));
    return file;
  }
}
