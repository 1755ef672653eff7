package dev.envforge.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.api.v1alpha1.EnvforgeApi.Conditions;
import dev.envforge.api.v1alpha1.Reason;
import dev.envforge.testing.RegistryServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link VersionSkewTest}'s 50 resources against the built jar run as a process: the 48 good ones and the one with
 * unknown fields become Ready, the two bad ones get their Event and one log line each, and the process stays up and
 * ready. Then a build Job that cannot be read stops the Job watch: the process stays up, says why in one log line,
 * and /readyz and /healthz answer 503 with the reason.
 */
class VersionSkewProcessIT {
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
    k8s = new OperatorHarness(); // the API server and the test's client; the operator is the process
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
  void theProcessSkipsWhatItCannotReadAndReportsAStoppedWatchThroughItsHealthChecks() throws Exception {
    String jar = System.getProperty("envforge.jar");
    assertThat(jar).as("system property envforge.jar (set by failsafe)").isNotBlank();
    log = directory.resolve("envforge.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, "-jar", jar, "run", "--health-port=0",
        "--registry-timeout-seconds=5")
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().put("KUBECONFIG", writeKubeconfig().toString());
    builder.environment().remove("KUBERNETES_SERVICE_HOST");
    process = builder.start();
    URI health = URI.create("http://127.0.0.1:" + awaitPort());
    k8s.awaitOrDescribe("/readyz 200", () -> get(health.resolve("/readyz")).statusCode() == 200);

    VersionSkewTest.World world = VersionSkewTest.create(k8s.client, registry.hostPort(),
        registry::pushRandomImage);
    try {
      for (String[] good : world.good()) {
        k8s.awaitCondition(good[0], good[1], Conditions.READY, "True", Reason.CACHED.wire());
      }
      k8s.awaitCondition(world.unknownFields()[0], VersionSkewTest.UNKNOWN_FIELDS, Conditions.READY, "True",
          Reason.CACHED.wire());
      VersionSkewTest.awaitEvent(k8s, world.unknownFields()[0], VersionSkewTest.UNKNOWN_FIELDS,
          ReadProblemReporter.IGNORED_FIELDS, "spec.futureField, spec.variants[0].color are not known");
      VersionSkewTest.awaitEvent(k8s, world.wrongType()[0], VersionSkewTest.WRONG_TYPE,
          ReadProblemReporter.UNREADABLE_SPEC, "spec.variants: expected a list, found the string 'x'");
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\noperator log:\n" + Files.readString(log), e);
    }
    assertThat(process.isAlive()).isTrue();
    assertThat(get(health.resolve("/readyz")).statusCode()).isEqualTo(200);
    assertThat(get(health.resolve("/healthz")).body()).isEqualTo("ok\n");
    String output = Files.readString(log);
    assertThat(lines(output, "reason=UnreadableSpec")).hasSize(1).allSatisfy(l -> assertThat(l)
        .contains("resource=" + world.wrongType()[0] + "/" + VersionSkewTest.WRONG_TYPE, "spec.variants"));
    assertThat(lines(output, "reason=UnknownFieldsIgnored")).hasSize(1).allSatisfy(l -> assertThat(l)
        .contains("resource=" + world.unknownFields()[0] + "/" + VersionSkewTest.UNKNOWN_FIELDS,
            "spec.futureField"));
    assertThat(lines(output, "level=ERROR")).as("errors in the log").isEmpty();

    // a build Job this build's types cannot read: the Job watch stops, the process does not
    GenericKubernetesResource job = new GenericKubernetesResource();
    job.setApiVersion("batch/v1");
    job.setKind("Job");
    job.setMetadata(new ObjectMetaBuilder().withName("envforge-build-broken").withNamespace("ns-0")
        .withLabels(Map.of(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE, Labels.COMPONENT, Labels.COMPONENT_BUILD))
        .build());
    job.setAdditionalProperty("spec", Map.of("parallelism", "many"));
    k8s.client.genericKubernetesResources("batch/v1", "Job").inNamespace("ns-0").resource(job).create();
    // readiness fails as soon as the watch drops; liveness once fabric8 has given the watch up
    k8s.awaitOrDescribe("/healthz 503", () -> get(health.resolve("/healthz")).statusCode() == 503);
    HttpResponse<String> ready = get(health.resolve("/readyz"));
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(ready.body()).startsWith("not ready: the watch of jobs.batch stopped: an object cannot be read:"
        + " spec.parallelism: ");
    HttpResponse<String> live = get(health.resolve("/healthz"));
    assertThat(live.statusCode()).isEqualTo(503);
    assertThat(live.body()).startsWith("not live: the watch of jobs.batch stopped");
    Thread.sleep(1000); // time for an exit, if the process were to exit
    assertThat(process.isAlive()).as("the process after the watch stopped; log:\n%s", Files.readString(log))
        .isTrue();
    assertThat(lines(Files.readString(log), "reason=InformerStopped")).hasSize(1).allSatisfy(l -> assertThat(l)
        .contains("level=ERROR", "the watch of jobs.batch stopped", "spec.parallelism"));

    process.destroy(); // SIGTERM
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s of SIGTERM").isTrue();
    assertThat(Files.readString(log)).contains("envforge operator stopped");
  }

  private static List<String> lines(String output, String text) {
    return output.lines().filter(l -> l.contains(text)).toList();
  }

  private int awaitPort() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + EnvforgeProcessIT.STARTUP.toNanos();
    while (System.nanoTime() < deadline) {
      String text = Files.exists(log) ? Files.readString(log) : "";
      Matcher m = EnvforgeProcessIT.PORT_LINE.matcher(text);
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
      assertThat(process.isAlive()).as("the process is running; log:\n%s", text).isTrue();
      Thread.sleep(100);
    }
    throw new AssertionError("no port line; log:\n" + Files.readString(log));
  }

  private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private Path writeKubeconfig() throws IOException {
    Path file = directory.resolve("kubeconfig");
    Files.writeString(file, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mock
          cluster: {server: "%s", insecure-skip-tls-verify: true}
        users:
        - name: envforge
          user: {token: not-checked-by-the-mock-server}
        contexts:
        - name: mock
          context: {cluster: mock, user: envforge, namespace: envforge-system}
        current-context: mock
        """.formatted(k8s.server.url("/").replaceAll("/$", "")));
    return file;
  }
}
