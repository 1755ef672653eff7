package dev.envforge.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.api.v1alpha1.BuildLogStatus;
import dev.envforge.api.v1alpha1.EnvforgeApi.Conditions;
import dev.envforge.api.v1alpha1.Reason;
import dev.envforge.api.v1alpha1.PythonEnvironment;
import dev.envforge.api.v1alpha1.VariantStatus;
import dev.envforge.core.buildlog.BuildLogText;
import dev.envforge.core.buildlog.LogArtifact;
import dev.envforge.core.buildlog.LogRegistry;
import dev.envforge.core.registry.ImageReference;
import dev.envforge.core.registry.RegistryClient;
import dev.envforge.core.registry.RegistrySession;
import dev.envforge.testing.RegistryProxy;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every finished build keeps its log: the tail in the variant's status, the whole log in the registry next to the
 * image (a referrer of the image after a success, the image's tag plus ".log" after a failure), credentials removed
 * from both. Against a real registry (distribution 2.8, which has no referrers API) and the pods/log subresource.
 */
class BuildLogTest extends OperatorWithRegistry {
  static final String NS = "team-logs";
  static final String PUSH_PASSWORD = "push-pa55word-0f-the-robot";
  static final String INDEX_PASSWORD = "index-pa55word-from-netrc";
  static final String URL_TOKEN = "tok-in-a-url-1234567890";
  static final String NETRC = "machine pypi.internal.example login builder password " + INDEX_PASSWORD + "\n";

  /** A build log longer than the tail, with credentials in the three ways a log shows them. */
  static String buildLog(String lastLine) {
    StringBuilder log = new StringBuilder();
    log.append("INFO[0000] Retrieving image manifest docker.io/library/python:3.12-slim-bookworm\n");
    log.append("Looking in indexes: https://builder:" + URL_TOKEN + "@pypi.internal.example/simple\n");
    log.append("netrc says password " + INDEX_PASSWORD + "\n");
    for (int i = 0; i < 400; i++) {
      log.append("  Downloading package-").append(i).append("-1.0-py3-none-any.whl (12 kB)\n");
    }
    log.append("pushing with robot:" + PUSH_PASSWORD + "\n");
    log.append(lastLine).append('\n');
    return log.toString();
  }

  @Test
  void aFailedBuildKeepsItsTailInStatusAndItsWholeLogUnderTheTagPlusLog() throws Exception {
    String repo = registry.hostPort() + "/failed/env";
    apply("failed", repo);
    Job job = k8s.awaitJob();
    String log = buildLog("error building image: error building stage: failed to execute command: exit status 1");
    k8s.podFinished(job, 1, "Error", log.substring(log.length() - 300), log);
    k8s.finishJob(job, false, "BackoffLimitExceeded");

    k8s.awaitCondition(NS, "failed", Conditions.FAILED, "True", Reason.INSTALL_FAILED.wire());
    VariantStatus variant = awaitArtifact("failed");
    assertThat(variant.getMessage()).as("the failure message quotes the log's end, without the credential")
        .contains("pushing with ***");
    BuildLogStatus buildLog = variant.getBuildLog();
    assertThat(buildLog.getJob()).isEqualTo(job.getMetadata().getName());
    assertThat(buildLog.getReferrer()).isFalse();
    assertThat(buildLog.getTail().getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(BuildLogKeeper.TAIL_BYTES);
    assertThat(buildLog.getTail()).startsWith(BuildLogText.CUT).endsWith("exit status 1\n");
    assertThat(buildLog.getArtifact()).startsWith(repo + "@sha256:");

    // the .log tag names the artifact the status points at, and its layer is the whole log, redacted
    String tag = variant.getTag() + ".log";
    var manifest = registry.request("GET", "/v2/failed/env/manifests/" + tag,
        Map.of("Accept", LogArtifact.MANIFEST_MEDIA_TYPE));
    assertThat(manifest.statusCode()).isEqualTo(200);
    assertThat(buildLog.getArtifact()).endsWith("@" + manifest.headers().firstValue("Docker-Content-Digest")
        .orElseThrow());
    String stored = LogRegistry.read(session(repo), digestOf(buildLog.getArtifact()));
    assertThat(stored).isEqualTo(log.replace("builder:" + URL_TOKEN + "@", "***@")
        .replace("robot:" + PUSH_PASSWORD, "***").replace(INDEX_PASSWORD, "***"));
    assertThat(stored.getBytes(StandardCharsets.UTF_8)).hasSize(buildLog.getBytes().intValue());
    assertNoSecret(stored);
    assertThat(stored).contains("https://***@pypi.internal.example/simple", "package-399-1.0");
    assertThat(new String(manifest.body(), StandardCharsets.UTF_8)).doesNotContain("\"subject\"");
  }

  @Test
  void aSucceededBuildsLogIsAReferrerOfTheImageAndItsHistoryEntryPointsAtIt() throws Exception {
    String repo = registry.hostPort() + "/built/env";
    apply("built", repo);
    Job job = k8s.awaitJob();
    k8s.awaitCondition(NS, "built", Conditions.BUILDING, "True", null);
    String tag = k8s.get(NS, "built").getStatus().getVariants().get(0).getTag();
    String digest = registry.pushRandomImage("built/env", tag);
    k8s.podFinished(job, 0, "Completed", digest, buildLog("INFO[0042] Pushed " + repo + "@" + digest));
    k8s.finishJob(job, true, null);

    k8s.awaitCondition(NS, "built", Conditions.READY, "True", Reason.BUILT.wire());
    VariantStatus variant = awaitArtifact("built");
    assertThat(variant.getBuildLog().getReferrer()).as("distribution 2.8 has no referrers API").isFalse();
    assertThat(variant.getBuildLog().getTail()).endsWith("@" + digest + "\n");
    assertThat(variant.getHistory()).last().satisfies(h -> {
      assertThat(h.getImage()).endsWith("@" + digest);
      assertThat(h.getLog()).isEqualTo(variant.getBuildLog().getArtifact());
    });

    // the registry lacks the referrers API: the OCI tag schema's index lists the log for the image
    assertThat(registry.request("GET", "/v2/built/env/referrers/" + digest, Map.of()).statusCode()).isEqualTo(404);
    var index = registry.request("GET", "/v2/built/env/manifests/" + RegistrySession.fallbackTag(digest),
        Map.of("Accept", RegistrySession.OCI_INDEX));
    assertThat(new String(index.body(), StandardCharsets.UTF_8))
        .contains(digestOf(variant.getBuildLog().getArtifact()), LogArtifact.ARTIFACT_TYPE);
    RegistrySession session = session(repo);
    ImageReference image = ImageReference.parse(repo + ":" + tag);
    LogRegistry.FoundLog found = LogRegistry.find(session, image, digest).orElseThrow();
    assertThat(found.digest()).isEqualTo(digestOf(variant.getBuildLog().getArtifact()));
    assertThat(found.annotations()).containsEntry(LogArtifact.RESULT_ANNOTATION, "Succeeded")
        .containsEntry(LogArtifact.JOB_ANNOTATION, NS + "/" + job.getMetadata().getName());
    var manifest = session.manifest(found.digest()).orElseThrow();
    assertThat(new String(manifest.content(), StandardCharsets.UTF_8)).contains("\"subject\"", digest);
    assertNoSecret(LogRegistry.read(session, found.digest()));

    // nothing is read or stored again once the log is kept
    long reads = logReads();
    k8s.reconcileWithoutChange(NS, "built");
    assertThat(logReads()).isEqualTo(reads);
    assertThat(k8s.get(NS, "built").getStatus().getVariants().get(0).getBuildLog()).isEqualTo(variant.getBuildLog());
  }

  @Test
  void onARegistryWithTheReferrersApiTheLogIsListedThereAndNoTagIsWritten() throws Exception {
    try (RegistryProxy withReferrers = RegistryProxy.inFrontOf(registry).serveReferrers()) {
      String repo = withReferrers.hostPort() + "/referred/env";
      apply("referred", repo);
      Job job = k8s.awaitJob();
      k8s.awaitCondition(NS, "referred", Conditions.BUILDING, "True", null);
      String tag = variant(NS, "referred").getTag();
      String digest = registry.pushRandomImage("referred/env", tag);
      k8s.podFinished(job, 0, "Completed", digest, buildLog("INFO[0042] Pushed " + repo + "@" + digest));
      k8s.finishJob(job, true, null);

      k8s.awaitCondition(NS, "referred", Conditions.READY, "True", Reason.BUILT.wire());
      VariantStatus variant = awaitArtifact("referred");
      assertThat(variant.getBuildLog().getReferrer()).isTrue();
      String logDigest = digestOf(variant.getBuildLog().getArtifact());
      LogRegistry.FoundLog found = LogRegistry.find(session(repo), ImageReference.parse(repo + ":" + tag), digest)
          .orElseThrow();
      assertThat(found.digest()).isEqualTo(logDigest);
      assertThat(found.via()).isEqualTo("referrers");
      assertThat(withReferrers.requests()).anyMatch(r -> r.method().equals("GET")
          && r.path().startsWith("/v2/referred/env/referrers/" + digest));
      // neither fallback was written
      assertThat(registry.request("GET", "/v2/referred/env/manifests/" + RegistrySession.fallbackTag(digest),
          Map.of("Accept", RegistrySession.OCI_INDEX)).statusCode()).isEqualTo(404);
      assertThat(registry.request("GET", "/v2/referred/env/manifests/" + tag + ".log",
          Map.of("Accept", LogArtifact.MANIFEST_MEDIA_TYPE)).statusCode()).isEqualTo(404);
      assertNoSecret(LogRegistry.read(session(repo), logDigest));
    }
  }

  @Test
  void aLogTheRegistryDidNotTakeKeepsItsTailAndIsStoredAtTheNextReconcile() {
    try (RegistryProxy flaky = RegistryProxy.inFrontOf(registry)) {
      String repo = flaky.hostPort() + "/flaky/env";
      apply("flaky", repo);
      Job job = k8s.awaitJob();
      k8s.awaitCondition(NS, "flaky", Conditions.BUILDING, "True", null);
      flaky.failWith(503);
      String log = buildLog("error building image: failed to execute command: exit status 1");
      k8s.podFinished(job, 1, "Error", "exit status 1", log);
      k8s.finishJob(job, false, "BackoffLimitExceeded");

      k8s.awaitOrDescribe("a build log the registry refused", () -> {
        VariantStatus v = variant(NS, "flaky");
        return v != null && v.getBuildLog() != null && v.getBuildLog().getMessage() != null;
      });
      BuildLogStatus refused = variant(NS, "flaky").getBuildLog();
      assertThat(refused.getMessage()).contains("could not be stored", "503");
      assertThat(refused.getArtifact()).isNull();
      assertThat(refused.getTail()).endsWith("exit status 1\n");

      flaky.behaveNormally();
      k8s.reconcileWithoutChange(NS, "flaky");
      VariantStatus stored = awaitArtifact("flaky");
      assertThat(stored.getBuildLog().getMessage()).isNull();
      assertThat(stored.getBuildLog().getTail()).isEqualTo(refused.getTail());
    }
  }

  @Test
  void aBuildWhosePodLogIsGoneSaysSoAndIsNotAskedAgain() {
    String repo = registry.hostPort() + "/gone/env";
    apply("gone", repo);
    Job job = k8s.awaitJob();
    k8s.podFinished(job, 1, "Error", "error building image: failed to execute command: exit status 1");
    k8s.finishJob(job, false, "BackoffLimitExceeded");

    k8s.awaitOrDescribe("a build log message", () -> {
      VariantStatus v = variant(NS, "gone");
      return v != null && v.getBuildLog() != null && v.getBuildLog().getMessage() != null;
    });
    BuildLogStatus buildLog = k8s.get(NS, "gone").getStatus().getVariants().get(0).getBuildLog();
    assertThat(buildLog.getMessage()).contains("cannot be read (HTTP 404)");
    assertThat(buildLog.getArtifact()).isNull();
    assertThat(buildLog.getTail()).isNull();
    long reads = logReads();
    k8s.reconcileWithoutChange(NS, "gone");
    assertThat(logReads()).isEqualTo(reads);
  }

  @Test
  void aFollowerInAnotherNamespaceGetsTheSameArtifact() {
    String repo = registry.hostPort() + "/shared/env";
    apply("first", repo);
    Job job = k8s.awaitJob();
    createSecrets("team-other");
    k8s.apply(withSecrets(OperatorHarness.environment("team-other", "second", null, BuildFailureTest.LOCK, repo)));
    k8s.awaitOrDescribe("the follower waiting for the build", () -> {
      var pe = k8s.get("team-other", "second");
      return pe != null && pe.getStatus() != null && pe.getStatus().getVariants() != null
          && (NS + "/" + job.getMetadata().getName()).equals(pe.getStatus().getVariants().get(0).getJobName());
    });
    String log = buildLog("error building image: failed to execute command: exit status 1");
    k8s.podFinished(job, 1, "Error", "exit status 1", log);
    k8s.finishJob(job, false, "BackoffLimitExceeded");

    VariantStatus first = awaitArtifact("first");
    k8s.awaitOrDescribe("the follower's build log", () -> {
      VariantStatus v = variant("team-other", "second");
      return v != null && v.getBuildLog() != null && v.getBuildLog().getArtifact() != null;
    });
    BuildLogStatus second = k8s.get("team-other", "second").getStatus().getVariants().get(0).getBuildLog();
    assertThat(second.getArtifact()).isEqualTo(first.getBuildLog().getArtifact());
    assertThat(second.getJob()).isEqualTo(NS + "/" + job.getMetadata().getName());
    assertThat(second.getTail()).isEqualTo(first.getBuildLog().getTail());
  }

  private void apply(String name, String repo) {
    createSecrets(NS);
    k8s.apply(withSecrets(OperatorHarness.environment(NS, name, null, BuildFailureTest.LOCK, repo)));
  }

  private void createSecrets(String namespace) {
    if (k8s.client.secrets().inNamespace(namespace).withName("push").get() != null) {
      return;
    }
    String auth = Base64.getEncoder().encodeToString(("robot:" + PUSH_PASSWORD).getBytes(StandardCharsets.UTF_8));
    k8s.createPushSecret(namespace, "push", "{\"auths\":{\"" + registry.hostPort() + "\":{\"auth\":\"" + auth
        + "\"}}}");
    k8s.client.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName("index")
        .endMetadata().withData(Map.of("netrc", Base64.getEncoder().encodeToString(
            NETRC.getBytes(StandardCharsets.UTF_8)))).build()).create();
  }

  private static PythonEnvironment withSecrets(PythonEnvironment pe) {
    pe.getSpec().getImage().setPushSecretRef(OperatorHarness.secretRef("push"));
    var index = new dev.envforge.api.v1alpha1.IndexCredentialsReference();
    index.setName("index");
    pe.getSpec().setIndexCredentialsSecretRef(index);
    return pe;
  }

  private VariantStatus awaitArtifact(String name) {
    k8s.awaitOrDescribe("the build log of " + name, () -> {
      VariantStatus v = variant(NS, name);
      return v != null && v.getBuildLog() != null && v.getBuildLog().getArtifact() != null;
    });
    return k8s.get(NS, name).getStatus().getVariants().get(0);
  }

  private VariantStatus variant(String namespace, String name) {
    PythonEnvironment pe = k8s.get(namespace, name);
    return pe == null || pe.getStatus() == null || pe.getStatus().getVariants() == null ? null
        : pe.getStatus().getVariants().get(0);
  }

  /** Every secret value of the test's cluster, as SecretScan looks for them, is absent from the text. */
  private void assertNoSecret(String text) {
    Set<String> secrets = SecretScan.secretValues(k8s.client.secrets().inAnyNamespace().list().getItems());
    assertThat(secrets).contains(PUSH_PASSWORD, INDEX_PASSWORD);
    for (String secret : secrets) {
      assertThat(text).as("a secret of %s characters", secret.length()).doesNotContain(secret);
    }
    assertThat(text).doesNotContain(URL_TOKEN);
  }

  private long logReads() {
    return k8s.calls.operatorCalls().stream().filter(c -> c.pathWithoutQuery().endsWith("/log")).count();
  }

  private RegistrySession session(String repo) {
    ImageReference image = ImageReference.parse(repo);
    return RegistryClient.builder().insecureRegistry(image.registry()).build().session(image, false, List.of());
  }

  private static String digestOf(String reference) {
    return reference.substring(reference.indexOf('@') + 1);
  }
}
