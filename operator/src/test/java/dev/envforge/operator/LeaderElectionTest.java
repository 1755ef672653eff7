package dev.envforge.operator;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.envforge.api.v1alpha1.EnvforgeApi.Conditions;
import dev.envforge.api.v1alpha1.PythonEnvironment;
import dev.envforge.api.v1alpha1.Reason;
import dev.envforge.testing.RegistryServer;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Two operators with leader election on one API server (the mock server stores the Lease like any object and
 * refuses a stale update with 409, as the real one does): only the leader writes; when it stops it gives the Lease
 * up without a stack trace in the log, and the other takes over and finishes the build the first one started.
 */
class LeaderElectionTest {
  static final String NS = "team-a";
  static final String LEASE = "envforge-leader";
  static final String LEASE_NS = "envforge-system";
  static final String STANDBY_AGENT = "envforge-standby-under-test";
  static final String LOCK = BuildFailureTest.LOCK;

  RegistryServer registry;
  OperatorHarness k8s;
  KubernetesClient standbyClient;
  EnvforgeOperator standby;

  @AfterEach
  void stop() {
    if (standby != null) {
      standby.close();
    }
    if (standbyClient != null) {
      standbyClient.close();
    }
    if (k8s != null) {
      k8s.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void onlyTheLeaderActsAndTheOtherFinishesItsWorkWhenItStops() {
    registry = RegistryServer.start();
    k8s = new OperatorHarness();
    allowLeases(k8s);
    OperatorSettings settings = OperatorSettings.defaults().withLeaderElection(LEASE, LEASE_NS);
    k8s.start(settings.withLeaseIdentity("replica-a"), null);
    k8s.awaitOrDescribe("replica-a holding the Lease", () -> "replica-a".equals(holder()));

    standbyClient = k8s.server.createClient(b -> b.editOrNewConfig().withUserAgent(STANDBY_AGENT).endConfig());
    ApiCallLog standbyCalls = new ApiCallLog(k8s.server, STANDBY_AGENT::equals);
    SimpleMeterRegistry standbyMeters = new SimpleMeterRegistry();
    standby = EnvforgeOperator.start(standbyClient, settings.withLeaseIdentity("replica-b"), standbyMeters, null,
        k8s.clock);

    String repo = registry.hostPort() + "/leader/env";
    k8s.apply(OperatorHarness.environment(NS, "env", null, LOCK, repo));
    Job job = k8s.awaitJob();
    k8s.markJobRunning(job);
    k8s.awaitCondition(NS, "env", Conditions.BUILDING, "True", Reason.BUILD_RUNNING.wire());

    assertThat(holder()).isEqualTo("replica-a");
    assertThat(writesOtherThanTheLease(standbyCalls)).as("requests of the replica that does not lead").isEmpty();
    assertThat(standbyMeters.find("operator.sdk.reconciliations.started").counters())
        .allSatisfy(c -> assertThat(c.count()).isZero());

    // everything at the test's levels (WARN), the operator's own lines at INFO
    Logger operatorLog = (Logger) LoggerFactory.getLogger(EnvforgeOperator.class);
    ch.qos.logback.classic.Level level = operatorLog.getLevel();
    operatorLog.setLevel(ch.qos.logback.classic.Level.INFO);
    ListAppender<ILoggingEvent> shutdownLog = capture();
    try {
      k8s.stopOperator();
    } finally {
      detach(shutdownLog);
      operatorLog.setLevel(level);
    }
    assertThat(shutdownLog.list).filteredOn(e -> e.getThrowableProxy() != null
        || e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.ERROR))
        .as("stack traces or errors while the leader stops").isEmpty();
    assertThat(shutdownLog.list).anyMatch(e -> e.getFormattedMessage().contains("lease " + LEASE + " released"));

    k8s.awaitOrDescribe("replica-b holding the Lease", () -> "replica-b".equals(holder()));
    String digest = registry.pushRandomImage("leader/env", RegistryAccessTest.tag());
    k8s.podFinished(job, 0, "Completed", digest);
    k8s.finishJob(job, true, null);

    PythonEnvironment ready = k8s.awaitCondition(NS, "env", Conditions.READY, "True", Reason.BUILT.wire());
    assertThat(ready.getStatus().getImage()).endsWith("@" + digest);
    assertThat(k8s.jobs()).as("the new leader adopted the running build").singleElement()
        .satisfies(j -> assertThat(j.getMetadata().getUid()).isEqualTo(job.getMetadata().getUid()));
    assertThat(k8s.events(NS)).filteredOn(e -> "BuildStarted".equals(e.getReason())).hasSize(1);
    assertThat(writesOtherThanTheLease(standbyCalls)).as("the new leader writes the status").isNotEmpty();
  }

  private String holder() {
    Lease lease = k8s.client.leases().inNamespace(LEASE_NS).withName(LEASE).get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  /** Writes a replica made, leaving out its Lease and its SelfSubjectRulesReview (every replica makes those). */
  private static List<ApiCallLog.Call> writesOtherThanTheLease(ApiCallLog calls) {
    return calls.operatorCalls().stream()
        .filter(c -> !Set.of("GET").contains(c.method()))
        .filter(c -> !c.path().contains("/leases") && !c.path().contains("/selfsubjectrulesreviews"))
        .toList();
  }

  /** The answer an API server gives to the operator's check that it may use Leases (the chart's Role grants it). */
  static void allowLeases(OperatorHarness k8s) {
    var review = new io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder()
        .withNewStatus().withIncomplete(false)
          .addNewResourceRule().withApiGroups("coordination.k8s.io").withResources("leases")
            .withVerbs("get", "create", "update").endResourceRule()
        .endStatus().build();
    k8s.server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(201, review).always();
  }

  private static ListAppender<ILoggingEvent> capture() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.setContext(context);
    appender.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
    return appender;
  }

  private static void detach(ListAppender<ILoggingEvent> appender) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
    appender.stop();
  }
}
