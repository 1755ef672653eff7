package dev.envforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.core.buildlog.LogArtifact;
import dev.envforge.core.buildlog.LogRegistry;
import dev.envforge.core.registry.ImageReference;
import dev.envforge.core.registry.RegistryClient;
import dev.envforge.core.registry.RegistrySession;
import dev.envforge.testing.RegistryServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code envforge logs} against a real registry with Basic auth: logs stored as the operator stores them (a failed
 * build's under the tag plus .log, a built image's as its referrer), found by tag, by digest and from a manifest.
 */
class LogsCommandTest {
  static final String LOCK = "certifi==2026.7.22 \\\n"
      + "    --hash=sha256:62f22742b58a1a33014a2b6b706588a8d7e2a88ae7bd1a6ebe8c992928483775\n";
  static RegistryServer registry;
  @TempDir static Path tmp;
  static Path dockerConfig;

  @BeforeAll
  static void start() throws Exception {
    RegistryServer.Options options = RegistryServer.Options.plain().withBasicAuth("ci", "logs-secret-123");
    String unavailable = RegistryServer.unavailableReason(options).orElse(null);
    Assumptions.assumeTrue(unavailable == null, unavailable);
    registry = RegistryServer.start(options);
    dockerConfig = Files.writeString(tmp.resolve("config.json"), registry.dockerConfigJson());
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  static LogRegistry.StoredLog store(String repoAndTag, String imageDigest, String log, String result,
      String finished) throws Exception {
    ImageReference image = ImageReference.parse(repoAndTag);
    RegistrySession session = RegistryClient.builder().insecureRegistry(image.registry())
        .credentials(dev.envforge.core.registry.RegistryCredentials.fromDockerConfigJson(registry.dockerConfigJson()))
        .build().session(image, true, List.of());
    return LogRegistry.store(session, image, imageDigest, log.getBytes(StandardCharsets.UTF_8),
        Map.of(LogArtifact.RESULT_ANNOTATION, result, LogArtifact.JOB_ANNOTATION, "team/envforge-build-x",
            LogArtifact.CREATED_ANNOTATION, finished));
  }

  CliRunner.Result logs(String... args) {
    String[] all = new String[args.length + 4];
    all[0] = "logs";
    System.arraycopy(args, 0, all, 1, args.length);
    all[args.length + 1] = "--insecure";
    all[args.length + 2] = "--docker-config";
    all[args.length + 3] = dockerConfig.toString();
    return CliRunner.run(all);
  }

  @Test
  void aFailedBuildsLogIsPrintedByTagAndByItsDigest() throws Exception {
    String repo = registry.hostPort() + "/team/failed";
    String log = "Collecting certifi\nERROR: hash mismatch\nerror building image: exit status 1\n";
    LogRegistry.StoredLog stored = store(repo + ":ef-failed", null, log, "Failed", "2026-12-07T10:00:00Z");

    CliRunner.Result byTag = logs(repo + ":ef-failed");
    assertThat(byTag.exitCode()).as(byTag.err()).isZero();
    assertThat(byTag.out()).isEqualTo(log);
    assertThat(byTag.err()).contains(stored.reference(), "Failed team/envforge-build-x", "2026-12-07T10:00:00Z");

    CliRunner.Result byDigest = logs(stored.reference(), "--json");
    assertThat(byDigest.exitCode()).as(byDigest.err()).isZero();
    assertThat(byDigest.out()).contains("\"log\":\"" + stored.reference() + "\"", "\"via\":\"digest\"",
        "hash mismatch");
  }

  @Test
  void aBuiltImagesLogIsFoundAmongItsReferrersAndTheNewestLogWins() throws Exception {
    String repo = registry.hostPort() + "/team/built";
    store(repo + ":ef-built", null, "the failed try\n", "Failed", "2026-12-07T09:00:00Z");
    String image = registry.pushRandomImage("team/built", "ef-built");
    LogRegistry.StoredLog stored = store(repo + ":ef-built", image, "Pushed " + image + "\n", "Succeeded",
        "2026-12-07T11:00:00Z");
    assertThat(stored.referrer()).isFalse();

    CliRunner.Result json = logs(repo + ":ef-built", "--json");
    assertThat(json.exitCode()).as(json.err()).isZero();
    assertThat(json.out()).contains("\"via\":\"referrers\"", "\"log\":\"" + stored.reference() + "\"",
        "Pushed " + image);
    // the image's digest leads to its log too
    assertThat(logs(repo + "@" + image).out()).isEqualTo("Pushed " + image + "\n");
  }

  @Test
  void aManifestsVariantLeadsToItsImagesLog() throws Exception {
    Path manifest = Files.writeString(tmp.resolve("env.yaml"), """
        apiVersion: envforge.dev/v1alpha1
        kind: PythonEnvironment
        metadata:
          name: env
          namespace: team
        spec:
          image:
            repository: %s/team/manifest
            insecure: true
          source:
            inline:
              lock: |
        %s
        """.formatted(registry.hostPort(), LOCK.indent(8).stripTrailing()));
    CliRunner.Result absent = CliRunner.run("exists", "-f", manifest.toString(), "--docker-config",
        dockerConfig.toString());
    String imageRef = absent.out().strip().substring("absent ".length());
    store(imageRef, null, "from the manifest's image\n", "Failed", "2026-12-07T10:00:00Z");

    CliRunner.Result printed = CliRunner.run("logs", "-f", manifest.toString(), "--variant", "default",
        "--docker-config", dockerConfig.toString());
    assertThat(printed.exitCode()).as(printed.err()).isZero();
    assertThat(printed.out()).isEqualTo("from the manifest's image\n");
  }

  @Test
  void noLogIsOneAnUnreachableRegistryIsThreeAndBadInputIsTwo() {
    CliRunner.Result none = logs(registry.hostPort() + "/team/none:ef-none");
    assertThat(none.exitCode()).isEqualTo(1);
    assertThat(none.err()).startsWith("envforge: no build log in the registry for");
    CliRunner.Result noneJson = logs(registry.hostPort() + "/team/none@sha256:" + "0".repeat(64), "--json");
    assertThat(noneJson.exitCode()).isEqualTo(1);
    assertThat(noneJson.out()).contains("\"log\":null");

    CliRunner.Result refused = CliRunner.run("logs", registry.hostPort() + "/team/none:ef-none", "--insecure",
        "--docker-config", dockerConfig.resolveSibling("nope.json").toString());
    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.err()).contains("--docker-config");

    CliRunner.Result unreachable = CliRunner.run("logs", "127.0.0.1:9/team/env:ef-x", "--insecure");
    assertThat(unreachable.exitCode()).isEqualTo(3);
    assertThat(unreachable.err().lines().count()).isEqualTo(1);
    assertThat(unreachable.err()).startsWith("envforge: the registry did not answer for");

    CliRunner.Result noTag = CliRunner.run("logs", "127.0.0.1:9/team/env");
    assertThat(noTag.exitCode()).isEqualTo(2);
    assertThat(noTag.err()).contains("REPO:TAG");
    assertThat(CliRunner.run("logs").exitCode()).isEqualTo(2);
    assertThat(CliRunner.run("logs", "x:y", "-f", "env.yaml").exitCode()).isEqualTo(2);
  }

  @Test
  void whatIsPrintedHasNoCredentialsAndCannotDriveTheTerminal() throws Exception {
    String repo = registry.hostPort() + "/team/raw";
    store(repo + ":ef-raw", null, "from https://user:tok3n-in-url@pypi.example/simple\n\u001b]0;title\u0007done\n",
        "Failed", "2026-12-07T10:00:00Z");
    CliRunner.Result printed = logs(repo + ":ef-raw");
    assertThat(printed.exitCode()).as(printed.err()).isZero();
    assertThat(printed.out()).doesNotContain("tok3n-in-url", "\u001b", "\u0007")
        .contains("https://***@pypi.example/simple", "\\u001b]0;title\\u0007done");
    assertThat(printed.err()).doesNotContain("logs-secret-123");
  }
}
