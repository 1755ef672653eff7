package dev.envforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.cli.CliRunner.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncCommandTest {
  @Test
  void onlyMarkedReferencesChangeAndEverythingElseStaysByteForByte(@TempDir Path dir) throws Exception {
    Path envs = Files.createDirectories(dir.resolve("envs"));
    Path manifest = ManifestAndLockDiscoveryTest.inlineManifest(envs, "");
    Files.move(manifest, envs.resolve("ml.yaml"));
    String devTag = CliRunner.run("hash", "-f", envs.resolve("ml.yaml").toString(), "--variant", "dev").out().strip();
    String defaultTag = CliRunner.run("hash", "-f", envs.resolve("ml.yaml").toString(), "--variant", "default")
        .out().strip();

    String before = "# deployment kept in step by envforge sync\r\n"
        + "apiVersion: apps/v1\n"
        + "kind: Deployment   # trailing comment kept\n"
        + "spec:\n"
        + "  template:\n"
        + "    spec:\n"
        + "      containers:\n"
        + "        - name: app\n"
        + "          image: registry.example.com/team/poetry:ef-00000000000000000000000000000000 # {\"$envforge\": \"envs/ml.yaml:dev\"}\n"
        + "        - name: side\n"
        + "          image: \"registry.example.com:5000/team/poetry@sha256:" + "a".repeat(64) + "\"  #  {\"$envforge\": \"envs/ml.yaml:default\"}\n"
        + "        - name: other\n"
        + "          image: registry.example.com/other:1.0 # not marked\n";
    Path deployment = dir.resolve("deployment.yaml");
    Files.writeString(deployment, before, StandardCharsets.UTF_8);

    Result check = CliRunner.run("sync", "--check", deployment.toString());
    assertThat(check.exitCode()).as(check.err()).isEqualTo(1);
    assertThat(check.out()).contains(deployment + ":9:18: not current: registry.example.com/team/poetry:ef-0000")
        .contains(deployment + ":11:19: not current:");
    assertThat(Files.readString(deployment)).as("--check changes nothing").isEqualTo(before);

    Result sync = CliRunner.run("sync", deployment.toString());
    assertThat(sync.exitCode()).as(sync.err()).isZero();
    String expected = before
        .replace("registry.example.com/team/poetry:ef-00000000000000000000000000000000",
            "registry.example.com/team/poetry:" + devTag)
        .replace("registry.example.com:5000/team/poetry@sha256:" + "a".repeat(64),
            "registry.example.com:5000/team/poetry:" + defaultTag);
    assertThat(Files.readString(deployment, StandardCharsets.UTF_8)).isEqualTo(expected);

    Result again = CliRunner.run("sync", "--check", deployment.toString());
    assertThat(again.exitCode()).isZero();
    assertThat(again.out()).isEmpty();
  }

  @Test
  void aSetterNamingAMissingManifestIsBadInput(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("k.yaml");
    Files.writeString(file, "image: r.example.com/a:ef-1 # {\"$envforge\": \"nope.yaml\"}\n");
    Result run = CliRunner.run("sync", file.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("nope.yaml:1:1").contains("no such file");
  }
}
