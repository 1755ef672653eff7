package dev.envforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.envforge.cli.CliRunner.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command has --json (the operator's run and help excepted), and sync's and check's objects follow docs/cli.md. */
class JsonOnEveryCommandTest {
  private static final Pattern COMMAND_ROW = Pattern.compile("(?m)^  ([a-z][a-z-]*)  +\\S");
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyCommandOffersJson() {
    List<String> commands = new ArrayList<>();
    Matcher row = COMMAND_ROW.matcher(CliRunner.run("--help").out());
    while (row.find()) {
      commands.add(row.group(1));
    }
    assertThat(commands).contains("resolve", "hash", "render", "tags", "check-lock", "sync", "check", "diff",
        "exists");
    for (String command : commands) {
      if (command.equals("help") || command.equals("run")) {
        continue; // help prints usage; run is the operator, which logs
      }
      assertThat(CliRunner.run(command, "--help").out()).as("envforge %s --help", command).contains("--json");
    }
  }

  @Test
  void syncJsonListsTheChangesAndWhetherAllIsCurrent(@TempDir Path dir) throws Exception {
    Path manifest = ManifestAndLockDiscoveryTest.inlineManifest(dir, "");
    String tag = CliRunner.run("hash", "-f", manifest.toString(), "--variant", "dev").out().strip();
    Path deployment = dir.resolve("deployment.yaml");
    String before = "image: r.example.com/team/app:old # {\"$envforge\": \"" + manifest.getFileName() + ":dev\"}\n";
    Files.writeString(deployment, before);

    Result check = CliRunner.run("sync", "--check", "--json", deployment.toString());
    assertThat(check.exitCode()).isEqualTo(1);
    JsonNode doc = JSON.readTree(check.out());
    assertThat(doc.get("check").asBoolean()).isTrue();
    assertThat(doc.get("current").asBoolean()).isFalse();
    JsonNode change = doc.get("changes").get(0);
    assertThat(change.get("file").asText()).isEqualTo(deployment.toString());
    assertThat(change.get("line").asInt()).isEqualTo(1);
    assertThat(change.get("column").asInt()).isEqualTo(8);
    assertThat(change.get("from").asText()).isEqualTo("r.example.com/team/app:old");
    assertThat(change.get("to").asText()).isEqualTo("r.example.com/team/app:" + tag);
    assertThat(Files.readString(deployment)).isEqualTo(before);

    Result sync = CliRunner.run("sync", "--json", deployment.toString());
    assertThat(sync.exitCode()).isZero();
    assertThat(JSON.readTree(sync.out()).get("changes")).hasSize(1);
    Result again = CliRunner.run("sync", "--check", "--json", deployment.toString());
    assertThat(again.exitCode()).isZero();
    assertThat(JSON.readTree(again.out()).get("current").asBoolean()).isTrue();
  }

  @Test
  void checkJsonListsTheViolationsWithTheirPlaces(@TempDir Path tmp) throws Exception {
    Path policy = GovernanceCommandsTest.policy(tmp, "deniedPackages: [{name: pyyaml}]\n");
    Result run = CliRunner.run("check", GovernanceCommandsTest.LANGGRAPH, "--policy", policy.toString(), "--json");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    JsonNode doc = JSON.readTree(run.out());
    assertThat(doc.get("policies").get(0).asText()).isEqualTo("data-science");
    assertThat(doc.get("complies").asBoolean()).isFalse();
    JsonNode violation = doc.get("violations").get(0);
    assertThat(violation.get("policy").asText()).isEqualTo("data-science");
    assertThat(violation.get("rule").asText()).isEqualTo("deniedPackages");
    assertThat(violation.get("package").asText()).isEqualTo("pyyaml");
    assertThat(violation.get("file").asText()).endsWith("uv.lock");
    assertThat(violation.get("line").asInt()).isPositive();
    assertThat(violation.get("message").asText()).contains("package pyyaml 6.0.3 is denied");

    Result complies = CliRunner.run("check", GovernanceCommandsTest.LANGGRAPH, "--policy",
        GovernanceCommandsTest.policy(tmp, "deniedPackages: [{name: not-installed-anywhere}]\n").toString(), "--json");
    assertThat(complies.exitCode()).isZero();
    assertThat(JSON.readTree(complies.out()).get("violations")).isEmpty();
  }
}
