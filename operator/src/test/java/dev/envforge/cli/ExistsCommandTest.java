package dev.envforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.testing.RegistryServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code envforge exists} against a real registry on loopback: present, absent, and no answer. */
class ExistsCommandTest {
  @Test
  void presentIsZeroAbsentIsOneWithTheOperatorsAuth(@TempDir Path tmp) throws IOException {
    try (RegistryServer registry = RegistryServer.start(RegistryServer.Options.plain()
        .withBasicAuth("ci", "exists-secret"))) {
      String digest = registry.pushRandomImage("team/env", "ef-present");
      Path config = tmp.resolve("config.json");
      Files.writeString(config, registry.dockerConfigJson());
      String repo = registry.hostPort() + "/team/env";

      CliRunner.Result present = CliRunner.run("exists", repo, "--tag", "ef-present", "--insecure",
          "--docker-config", config.toString());
      assertThat(present.exitCode()).as(present.err()).isZero();
      assertThat(present.out().strip()).isEqualTo("present " + repo + ":ef-present@" + digest);

      CliRunner.Result absent = CliRunner.run("exists", repo, "--tag", "ef-absent", "--insecure",
          "--docker-config", config.toString(), "--json");
      assertThat(absent.exitCode()).as(absent.err()).isEqualTo(1);
      assertThat(absent.out()).contains("\"exists\":false");

      // without the login the registry refuses: that is no answer, not absence
      CliRunner.Result refused = CliRunner.run("exists", repo, "--tag", "ef-present", "--insecure",
          "--docker-config", Files.writeString(tmp.resolve("empty.json"), "{\"auths\":{}}").toString());
      assertThat(refused.exitCode()).isEqualTo(3);
      assertThat(refused.err()).startsWith("envforge: the registry did not answer for").doesNotContain("exists-secret");
    }
  }

  @Test
  void anUnreachableRegistryIsThreeAndBadInputIsTwo() {
    CliRunner.Result unreachable = CliRunner.run("exists", "127.0.0.1:9/team/env", "--tag", "ef-x", "--insecure",
        "--docker-config", "/dev/null/none");
    assertThat(unreachable.exitCode()).isEqualTo(2); // the missing docker config is named first
    assertThat(unreachable.err()).contains("--docker-config");

    CliRunner.Result noAnswer = CliRunner.run("exists", "127.0.0.1:9/team/env", "--tag", "ef-x", "--insecure");
    assertThat(noAnswer.exitCode()).isEqualTo(3);
    assertThat(noAnswer.err().lines().count()).isEqualTo(1);

    CliRunner.Result noTag = CliRunner.run("exists", "127.0.0.1:9/team/env");
    assertThat(noTag.exitCode()).isEqualTo(2);
    assertThat(noTag.err()).contains("--tag");
  }

  /**
   * The {@code -f} form: the tag is the variant's, computed as the operator does, spec.image.insecure decides plain
   * HTTP, and the login comes from the docker config. When the registry goes away the answer is 3, never absent.
   */
  @Test
  void aManifestVariantIsLookedUpAtItsOwnTag(@TempDir Path tmp) throws Exception {
    Path config = tmp.resolve("config.json");
    Path manifest;
    String devTag;
    try (RegistryServer registry = RegistryServer.start(RegistryServer.Options.plain()
        .withBasicAuth("ci", "exists-secret"))) {
      Files.writeString(config, registry.dockerConfigJson());
      String repo = registry.hostPort() + "/team/env";
      manifest = Files.writeString(tmp.resolve("env.yaml"), Files.readString(
          ManifestAndLockDiscoveryTest.inlineManifest(tmp, "")).replace(
              "    repository: registry.example.com/team/poetry\n",
              "    repository: " + repo + "\n    insecure: true\n"));
      devTag = CliRunner.run("hash", "-f", manifest.toString(), "--variant", "dev").out().strip();
      assertThat(devTag).matches("ef-[0-9a-f]{32}");
      String digest = registry.pushRandomImage("team/env", devTag);

      CliRunner.Result present = CliRunner.run("exists", "-f", manifest.toString(), "--variant", "dev",
          "--docker-config", config.toString());
      assertThat(present.exitCode()).as(present.err()).isZero();
      assertThat(present.out().strip()).isEqualTo("present " + repo + ":" + devTag + "@" + digest);

      CliRunner.Result absent = CliRunner.run("exists", "-f", manifest.toString(), "--variant", "default",
          "--docker-config", config.toString(), "--json");
      assertThat(absent.exitCode()).as(absent.err()).isEqualTo(1);
      assertThat(absent.out()).contains("\"exists\":false").contains("\"image\":\"" + repo + ":ef-");

      CliRunner.Result unknownVariant = CliRunner.run("exists", "-f", manifest.toString(), "--variant", "gpu",
          "--docker-config", config.toString());
      assertThat(unknownVariant.exitCode()).isEqualTo(2);
      assertThat(unknownVariant.err()).startsWith(manifest + ":"
          + ManifestAndLockDiscoveryTest.placeOf(manifest, "  variants:") + ": ").contains("no variant gpu")
          .contains("[default, dev]");

      CliRunner.Result both = CliRunner.run("exists", "-f", manifest.toString(), "--variant", "dev", "--tag", "x");
      assertThat(both.exitCode()).isEqualTo(2);
    }
    // the registry is down now
    for (String json : new String[] {"", "--json"}) {
      CliRunner.Result down = json.isEmpty()
          ? CliRunner.run("exists", "-f", manifest.toString(), "--variant", "dev", "--docker-config", config.toString())
          : CliRunner.run("exists", "-f", manifest.toString(), "--variant", "dev", "--docker-config",
              config.toString(), json);
      assertThat(down.exitCode()).as(down.err()).isEqualTo(3);
      assertThat(down.err() + down.out()).doesNotContain("exists-secret").doesNotContain("\tat ");
      if (json.isEmpty()) {
        assertThat(down.err().lines().count()).isEqualTo(1);
        assertThat(down.out()).isEmpty();
      } else {
        assertThat(down.out()).contains("\"exists\":null");
      }
    }
  }

  /** A docker config that is not JSON is bad input at its line and column, for every command that reads one. */
  @Test
  void aBrokenDockerConfigIsBadInputWithItsPlace(@TempDir Path tmp) throws Exception {
    Path config = Files.writeString(tmp.resolve("config.json"), "{\"auths\": {\n  \"r.example.com\": {\"auth\": }\n");
    for (String[] args : new String[][] {
        {"exists", "r.example.com/team/env", "--tag", "ef-x", "--docker-config", config.toString()},
        {"logs", "r.example.com/team/env:ef-x", "--docker-config", config.toString()},
        {"assemble", "src/test/resources/corpus/poetry-pixeltable-pixeltable", "--base-image", "python:3.12-slim",
            "--to", "r.example.com/team/env", "--docker-config", config.toString()}}) {
      CliRunner.Result run = CliRunner.run(args);
      assertThat(run.exitCode()).as("%s: %s", args[0], run.err()).isEqualTo(2);
      assertThat(run.err()).as(args[0]).containsPattern("^" + java.util.regex.Pattern.quote(config.toString())
          + ":2:[1-9]\\d*: \\S").contains("JSON");
    }
  }
}
