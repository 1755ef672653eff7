package dev.envforge.operator;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.read.ListAppender;
import dev.envforge.api.v1alpha1.EnvforgeApi.Conditions;
import dev.envforge.api.v1alpha1.Reason;
import dev.envforge.api.v1alpha1.IndexCredentialsReference;
import dev.envforge.api.v1alpha1.PythonEnvironment;
import dev.envforge.testing.RegistryServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Credentials stay in their Secrets: with a push Secret and a package-index Secret holding recognisable passwords,
 * and a failed build whose log prints an index URL with the password in it, no password (plain or base64) appears
 * in any object the operator wrote, in any request it sent to the API server, or in anything it logged at any level.
 */
class SecretHygieneTest {
  static final String NS = "team-a";
  static final String USER = "envforge";
  static final String PUSH_PASSWORD = "Zebra-7741-push-secret";
  static final String INDEX_PASSWORD = "Quokka-5523-index-secret";
  static final String NETRC = "machine pypi.internal.example login " + USER + " password " + INDEX_PASSWORD + "\n";

  RegistryServer registry;
  OperatorHarness k8s;
  ListAppender<ILoggingEvent> logs;
  List<Appender<ILoggingEvent>> detached = new ArrayList<>();
  Level rootLevel;
  Level envforgeLevel;

  @BeforeEach
  void start() {
    captureAllLogs();
    registry = RegistryServer.start(RegistryServer.Options.plain().withBasicAuth(USER, PUSH_PASSWORD));
    k8s = new OperatorHarness().start();
  }

  @AfterEach
  void stop() {
    k8s.close();
    registry.close();
    restoreLogs();
  }

  @Test
  void passwordsAppearNowhereButInTheirSecrets() {
    String tag = OperatorHarness.tagOf(Map.of("requirements.txt", BuildFailureTest.LOCK), List.of());
    registry.pushRandomImage("cached/env", tag);
    k8s.createPushSecret(NS, "push", registry.dockerConfigJson());
    k8s.client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("index")
        .endMetadata().withData(RenderedObjectsGoldenTest.base64(Map.of("netrc", NETRC))).build()).create();

    k8s.apply(withSecrets(OperatorHarness.environment(NS, "cached", null, BuildFailureTest.LOCK,
        registry.hostPort() + "/cached/env")));
    k8s.apply(withSecrets(OperatorHarness.environment(NS, "built", null, BuildFailureTest.LOCK,
        registry.hostPort() + "/built/env")));
    k8s.awaitCondition(NS, "cached", Conditions.READY, "True", Reason.CACHED.wire());
    Job job = k8s.awaitJob();
    // pip names the index it could not read, with the credentials it was given
    k8s.podFinished(job, 1, "Error", "ERROR: Could not find a version that satisfies the requirement certifi\n"
        + "  Looking in indexes: https://" + USER + ":" + INDEX_PASSWORD + "@pypi.internal.example/simple\n"
        + "error building image: error building stage: failed to execute command: exit status 1\n");
    k8s.finishJob(job, false, "BackoffLimitExceeded");
    PythonEnvironment failed = k8s.awaitCondition(NS, "built", Conditions.FAILED, "True", Reason.INSTALL_FAILED.wire());
    assertThat(failed.getStatus().getVariants().get(0).getMessage())
        .as("the index URL is kept, its credentials are not").contains("pypi.internal.example/simple");
    k8s.awaitOrDescribe("a BuildFailed event", () -> k8s.events(NS).stream()
        .anyMatch(e -> "BuildFailed".equals(e.getReason())));
    k8s.restartOperator();

    List<String> forbidden = List.of(PUSH_PASSWORD, INDEX_PASSWORD, base64(USER + ":" + PUSH_PASSWORD),
        base64(NETRC), base64(registry.dockerConfigJson()));
    List<HasMetadata> written = new ArrayList<>();
    written.addAll(k8s.client.resources(PythonEnvironment.class).inAnyNamespace().list().getItems());
    written.addAll(k8s.client.batch().v1().jobs().inAnyNamespace().list().getItems());
    written.addAll(k8s.client.configMaps().inAnyNamespace().list().getItems());
    written.addAll(k8s.client.v1().events().inAnyNamespace().list().getItems());
    written.addAll(k8s.client.leases().inAnyNamespace().list().getItems());
    assertThat(written).extracting(o -> o.getKind()).contains("PythonEnvironment", "Job", "ConfigMap", "Event");
    for (HasMetadata object : written) {
      String json = k8s.client.getKubernetesSerialization().asJson(object);
      assertThat(json).as("%s %s", object.getKind(), object.getMetadata().getName())
          .doesNotContain(forbidden);
    }
    for (ApiCallLog.Call call : k8s.calls.operatorCalls()) {
      assertThat(call.body()).as("%s %s", call.method(), call.path()).doesNotContain(forbidden);
    }
    List<String> logLines = logs.list.stream().filter(e -> !isTestInfrastructure(e.getLoggerName()))
        .map(e -> e.getLoggerName() + " " + e.getFormattedMessage()
            + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy()))).toList();
    assertThat(logLines).as("something was logged at debug level").hasSizeGreaterThan(10);
    assertThat(String.join("\n", logLines)).doesNotContain(forbidden);
  }

  /** The mock API server and its HTTP stack log what they store (Secrets too): they are the cluster, not envforge. */
  private static boolean isTestInfrastructure(String logger) {
    return logger.startsWith("io.fabric8.mockwebserver") || logger.startsWith("io.fabric8.kubernetes.client.server")
        || logger.startsWith("io.vertx") || logger.startsWith("io.netty");
  }

  private static PythonEnvironment withSecrets(PythonEnvironment pe) {
    pe.getSpec().getImage().setPushSecretRef(OperatorHarness.secretRef("push"));
    IndexCredentialsReference index = new IndexCredentialsReference();
    index.setName("index");
    index.setKey("netrc");
    pe.getSpec().setIndexCredentialsSecretRef(index);
    return pe;
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Every logger at DEBUG (envforge at TRACE) into a list, and nothing to the console meanwhile. */
  private void captureAllLogs() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Logger envforge = context.getLogger("dev.envforge");
    rootLevel = root.getLevel();
    envforgeLevel = envforge.getLevel();
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      detached.add(it.next());
    }
    detached.forEach(root::detachAppender);
    logs = new ListAppender<>();
    logs.setContext(context);
    logs.start();
    root.addAppender(logs);
    root.setLevel(Level.DEBUG);
    envforge.setLevel(Level.TRACE);
  }

  private void restoreLogs() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.detachAppender(logs);
    detached.forEach(root::addAppender);
    root.setLevel(rootLevel);
    context.getLogger("dev.envforge").setLevel(envforgeLevel);
  }
}
