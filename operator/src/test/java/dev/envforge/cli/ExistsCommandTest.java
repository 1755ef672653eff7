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
}
