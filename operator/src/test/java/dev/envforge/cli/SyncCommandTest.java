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

  /** Every way a scalar can be written on a marked line; everything else, odd bytes included, stays as it was. */
  @Test
  void everyScalarFormIsUpdatedAndNothingElse(@TempDir Path dir) throws Exception {
    Path envs = Files.createDirectories(dir.resolve("envs"));
    Files.move(ManifestAndLockDiscoveryTest.inlineManifest(envs, ""), envs.resolve("ml.yaml"));
    String dev = CliRunner.run("hash", "-f", envs.resolve("ml.yaml").toString(), "--variant", "dev").out().strip();
    String old = "ef-" + "0".repeat(32);
    String setter = " # {\"$envforge\": \"../envs/ml.yaml:dev\"}";
    // {0}: where the value goes; CRLF, CR and LF line ends, tabs, flow style, comments, a BOM, no final newline
    String template = "\uFEFF# a setter in a comment line is documentation: # {\"$envforge\": \"../envs/ml.yaml:dev\"}\r\n"
        + "plain: r.example.com/app:{0}" + setter + "\r\n"
        + "\"quoted-key\": \"r.example.com:5000/app:{0}\"" + setter + "\n"
        + "'single': 'r.example.com/app@sha256:" + "b".repeat(64) + "'" + setter + "\r"
        + "list:\n  - r.example.com/app:{0}\t#\t{\"$envforge\":\"../envs/ml.yaml:dev\"}\n"
        + "  - - nested: r.example.com/app:{0}" + setter + "\n"
        + "flow: {a: 1, b: [x, \"y # z\"]}   # flow style elsewhere is kept\n"
        + "\tkey:\tvalue # a tab before the key\n"
        + "helm:\n  tag: " + old + setter + "\n"
        + "unmarked: r.example.com/app:" + old + " # {\"$other\": \"x\"}\n"
        + "last: r.example.com/app:{0}" + setter;
    String before = template.replace("{0}", old);
    Path file = dir.resolve("deploy").resolve("values.yaml");
    Files.createDirectories(file.getParent());
    Files.write(file, before.getBytes(StandardCharsets.UTF_8));

    Result check = CliRunner.run("sync", "--check", file.toString());
    assertThat(check.exitCode()).as(check.err()).isEqualTo(1);
    assertThat(check.out().lines()).hasSize(7);
    assertThat(Files.readAllBytes(file)).isEqualTo(before.getBytes(StandardCharsets.UTF_8));

    Result sync = CliRunner.run("sync", file.toString(), file.toString());
    assertThat(sync.exitCode()).as(sync.err()).isZero();
    assertThat(sync.out().lines()).as("a file named twice is synced once").hasSize(7);
    String expected = template.replace("{0}", dev)
        .replace("'r.example.com/app@sha256:" + "b".repeat(64) + "'", "'r.example.com/app:" + dev + "'")
        .replace("tag: " + old + setter, "tag: " + dev + setter);
    assertThat(new String(Files.readAllBytes(file), StandardCharsets.UTF_8)).isEqualTo(expected);

    Result again = CliRunner.run("sync", file.toString());
    assertThat(again.exitCode()).isZero();
    assertThat(again.out()).as("sync is idempotent").isEmpty();
    assertThat(new String(Files.readAllBytes(file), StandardCharsets.UTF_8)).isEqualTo(expected);
  }

  /** A setter that cannot be followed is bad input at the setter's place, and no file is written. */
  @Test
  void aBadSetterIsReportedWhereItIsAndNoFileChanges(@TempDir Path dir) throws Exception {
    Path manifest = ManifestAndLockDiscoveryTest.inlineManifest(dir, "");
    String good = "image: r.example.com/app:old # {\"$envforge\": \"env.yaml:dev\"}\n";
    Path first = Files.writeString(dir.resolve("a.yaml"), good);
    String[][] cases = {
        // line, what the message must say
        {"image: r/x:1 # {\"$envforge\": \"nope.yaml:dev\"}\n", "1:31", "nope.yaml", "no such file"},
        {"a: 1\nimage: r/x:1 # {\"$envforge\": \"env.yaml:gpu\"}\n", "2:31", "no variant gpu", "[default, dev]"},
        {"image: r/x:1 # {\"$envforge\": \"env.yaml\"}\n", "1:31", "[default, dev]", "env.yaml:VARIANT"},
        {"image: r/x:1 # {\"$envforge\": env.yaml}\n", "1:14", "setter comment", "JSON string"},
        {"c: {image: r/x:1} # {\"$envforge\": \"env.yaml:dev\"}\n", "1:19", "flow style", "setter comment"},
        {"image: # {\"$envforge\": \"env.yaml:dev\"}\n", "1:8", "setter comment", "KEY: IMAGE"},
        {"image: r/x:1 # {\"$envforge\": \"env.yaml:dev\"} # more\n", "1:14", "setter comment", "KEY: IMAGE"},
    };
    assertThat(manifest).exists();
    for (String[] c : cases) {
      Path bad = Files.writeString(dir.resolve("b.yaml"), c[0]);
      for (boolean checkOnly : new boolean[] {false, true}) {
        Result run = checkOnly ? CliRunner.run("sync", "--check", first.toString(), bad.toString())
            : CliRunner.run("sync", first.toString(), bad.toString());
        assertThat(run.exitCode()).as("%s: %s", c[0], run.err()).isEqualTo(2);
        assertThat(run.err()).as(c[0]).startsWith(bad + ":" + c[1] + ": ").contains(c[2]).contains(c[3])
            .doesNotContain(":0:0");
        assertThat(run.out()).isEmpty();
        assertThat(Files.readString(first)).as("nothing is written when a setter is bad").isEqualTo(good);
      }
    }
    Path notText = dir.resolve("c.yaml");
    Files.write(notText, new byte[] {(byte) 0xff, (byte) 0xfe, 'a'});
    Result binary = CliRunner.run("sync", notText.toString());
    assertThat(binary.exitCode()).isEqualTo(2);
    assertThat(binary.err()).startsWith(notText + ":1:1: ").contains("UTF-8");
  }
}
