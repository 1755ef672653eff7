package dev.envforge.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.api.v1alpha1.EnvforgeApi.Conditions;
import dev.envforge.api.v1alpha1.Reason;
import dev.envforge.api.v1alpha1.EnvironmentPolicy;
import dev.envforge.api.v1alpha1.PythonEnvironment;
import dev.envforge.api.v1alpha1.Variant;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One policy file, one project: the command line and the operator find the same violations at the same lines. */
class PolicyCliAndOperatorAgreeTest extends OperatorWithRegistry {
  static final String CASE = "corpus/uv-langchain-ai-langgraph/";
  static final String POLICY = """
      apiVersion: envforge.dev/v1alpha1
      kind: EnvironmentPolicy
      metadata:
        name: data-science
      spec:
        namespaceSelector:
          matchLabels: {team: ds}
        rules:
          deniedPackages: [{name: pyyaml}, {name: requests, version: ">=2.30"}]
          forbiddenGroups: [lint]
          allowedSources: {indexUrls: ["https://pypi.org/simple"], gitHosts: []}
          maxPackagesPerVariant: 20
      """;
  /** A violation without the folder its file is in: "uv.lock:1106:1: policy …". */
  static final Pattern VIOLATION = Pattern.compile("(?:^|/|:)((?:uv\\.lock|pyproject\\.toml):\\d+:\\d+: policy [^;]*"
      + "|policy [^;]*)");

  @Test
  void theCommandLineAndTheOperatorGiveTheSameViolations(@TempDir Path project) throws Exception {
    String pyproject = OperatorHarness.resource(CASE + "pyproject.toml");
    String lock = OperatorHarness.resource(CASE + "uv.lock");
    Files.writeString(project.resolve("pyproject.toml"), pyproject);
    Files.writeString(project.resolve("uv.lock"), lock);
    Path policyFile = project.resolve("policy.yaml");
    Files.writeString(policyFile, POLICY);

    PrintStream stdout = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int exit;
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      exit = dev.envforge.cli.Main.run("check", project.toString(), "--policy", policyFile.toString(), "--groups",
          "lint", "--variant", "lint");
    } finally {
      System.setOut(stdout);
    }
    assertThat(exit).isEqualTo(1);
    List<String> fromCli = captured.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("#"))
        .map(l -> l.startsWith(project.toString()) ? l.substring(project.toString().length() + 1) : l).toList();
    assertThat(fromCli).hasSizeGreaterThanOrEqualTo(4);

    k8s.client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("ds").addToLabels("team", "ds")
        .endMetadata().build()).create();
    k8s.client.resource(k8s.client.getKubernetesSerialization().unmarshal(POLICY, EnvironmentPolicy.class)).create();
    Variant lint = new Variant();
    lint.setName("lint");
    lint.setGroups(List.of("lint"));
    k8s.apply(OperatorHarness.environment("ds", "env", pyproject, lock, registry.hostPort() + "/agree/env", lint));
    PythonEnvironment pe = k8s.awaitCondition("ds", "env", Conditions.POLICY_VIOLATION, "True",
        Reason.POLICY_VIOLATED.wire());
    String message = pe.getStatus().condition(Conditions.POLICY_VIOLATION).get().getMessage();
    List<String> fromOperator = new java.util.ArrayList<>();
    for (String part : message.substring(message.indexOf(": ") + 2).split("; ")) {
      Matcher m = VIOLATION.matcher(part);
      assertThat(m.find()).as(part).isTrue();
      fromOperator.add(m.group(1));
    }
    assertThat(fromOperator).containsExactlyElementsOf(fromCli);
    assertThat(k8s.jobs()).isEmpty();
  }
}
