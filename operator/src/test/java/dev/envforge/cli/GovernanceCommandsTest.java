package dev.envforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.envforge.core.diff.PackageDiff;
import dev.envforge.core.lock.ProjectFiles;
import dev.envforge.core.plan.Selection;
import dev.envforge.core.planner.EnvironmentPlanner;
import dev.envforge.core.planner.PlanningRequest;
import dev.envforge.core.planner.VariantRequest;
import dev.envforge.testing.Corpus;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GovernanceCommandsTest {
  record Run(int exitCode, String out, String err) {}

  static Run run(String... args) {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return new Run(cli.execute(args), out.toString(), err.toString());
  }

  static final String LANGGRAPH = Corpus.dir("uv-langchain-ai-langgraph").toString();

  static Path policy(Path dir, String rules) throws IOException {
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, """
        apiVersion: envforge.dev/v1alpha1
        kind: EnvironmentPolicy
        metadata:
          name: data-science
        spec:
          rules:
        """ + rules.indent(4));
    return file;
  }

  /** The text at a FILE:LINE:COLUMN an output line starts with. */
  static String textAt(String line) throws IOException {
    String[] parts = line.split(":", 4);
    List<String> lines = Files.readAllLines(Path.of(parts[0]));
    return lines.get(Integer.parseInt(parts[1]) - 1).substring(Integer.parseInt(parts[2]) - 1);
  }

  @Test
  void checkPrintsEveryViolationAtItsLineAndExitsOne(@TempDir Path tmp) throws IOException {
    Path policy = policy(tmp, """
        deniedPackages: [{name: pyyaml}, {name: requests, version: ">=2.30"}]
        forbiddenGroups: [lint]
        """);
    Run run = run("check", LANGGRAPH, "--policy", policy.toString(), "--groups", "lint");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    List<String> lines = run.out().lines().toList();
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0)).endsWith("pyproject.toml:51:1: policy data-science: forbiddenGroups: variant default:"
        + " group 'lint' may not be installed into an image");
    assertThat(textAt(lines.get(0))).startsWith("lint = [");
    assertThat(lines.get(1)).contains("uv.lock:").contains("package pyyaml 6.0.3 is denied (pyyaml)");
    assertThat(textAt(lines.get(1))).isEqualTo("name = \"pyyaml\"");
    assertThat(textAt(lines.get(2))).isEqualTo("name = \"requests\"");
    assertThat(lines.get(3)).isEqualTo("# 3 violations");
  }

  @Test
  void checkOfAManifestAppliesThePolicyToEveryVariantAsTheOperatorDoes(@TempDir Path tmp) throws IOException {
    Path policy = policy(tmp, """
        forbiddenGroups: [lint]
        allowedImageRepositories: [registry.example.com/team/]
        """);
    Path manifest = tmp.resolve("env.yaml");
    Files.writeString(manifest, """
        apiVersion: envforge.dev/v1alpha1
        kind: PythonEnvironment
        metadata: {name: langgraph, namespace: data}
        spec:
          source: {configMapRef: {name: langgraph-project}}
          variants:
            - name: base
            - name: tools
              groups: [lint]
          image: {repository: registry.example.com/other/langgraph}
        """);
    Run run = run("check", "-f", manifest.toString(), "--project", LANGGRAPH, "--policy", policy.toString());
    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    List<String> lines = run.out().lines().toList();
    assertThat(lines).anyMatch(l -> l.contains("forbiddenGroups: variant tools: group 'lint'"));
    assertThat(lines).noneMatch(l -> l.contains("variant base:"));
    assertThat(lines).anyMatch(l -> l.contains("allowedImageRepositories")
        && l.contains("registry.example.com/other/langgraph"));
    assertThat(lines.get(lines.size() - 1)).isEqualTo("# 2 violations");

    Run onlyBase = run("check", "-f", manifest.toString(), "--project", LANGGRAPH, "--variant", "base", "--policy",
        policy.toString());
    assertThat(onlyBase.out()).doesNotContain("forbiddenGroups");
    assertThat(onlyBase.exitCode()).isEqualTo(1); // the repository is the resource's, whatever the variant
  }

  @Test
  void checkOfACompliantProjectExitsZero(@TempDir Path tmp) throws IOException {
    Run run = run("check", LANGGRAPH, "--policy", policy(tmp, "deniedPackages: [{name: pyyaml, version: \"<5.4\"}]\n")
        .toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo("complies with data-science\n");
  }

  @Test
  void aBadPolicyFileIsBadInputAtItsLine(@TempDir Path tmp) throws IOException {
    Path policy = policy(tmp, "deniedPackages: [{name: pyyaml, version: \"=<5\"}]\n");
    Run run = run("check", LANGGRAPH, "--policy", policy.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith(policy + ":7:").contains("spec.rules.deniedPackages[0].version");
  }

  @Test
  void diffOfTwoFoldersPrintsThePackageChanges() throws IOException {
    Path old = Corpus.dir("history-python-poetry-poetry/02-3970d1182");
    Path now = Corpus.dir("history-python-poetry-poetry/03-073ac98a5");
    PackageDiff expected = PackageDiff.between(plan(old), plan(now));
    assertThat(expected.isEmpty()).isFalse();
    Run text = run("diff", old.toString(), now.toString());
    assertThat(text.exitCode()).as(text.err()).isZero();
    assertThat(text.out().lines().toList()).startsWith(expected.lines().toArray(String[]::new));
    assertThat(text.out()).contains("# " + expected.counts());
    Run json = run("diff", old.toString(), now.toString(), "--json");
    JsonNode node = new ObjectMapper().readTree(json.out());
    assertThat(node.get("version_changed")).hasSize(expected.versionChanged().size());
    assertThat(node.get("version_changed").get(0).get("name").asText())
        .isEqualTo(expected.versionChanged().get(0).name());
  }

  @Test
  void diffOfGitRevisionsEqualsTheDiffOfTheirFolders(@TempDir Path repo) throws Exception {
    Path old = Corpus.dir("history-python-poetry-poetry/02-3970d1182");
    Path now = Corpus.dir("history-python-poetry-poetry/03-073ac98a5");
    Path project = repo.resolve("project");
    Files.createDirectories(project);
    git(repo, "init", "-q");
    copy(old, project);
    git(repo, "add", ".");
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "one");
    copy(now, project);
    git(repo, "add", ".");
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "two");
    String folders = run("diff", old.toString(), now.toString()).out();

    Run revisions = run("diff", project.toString(), "--git", "HEAD~1", "--git", "HEAD");
    assertThat(revisions.exitCode()).as(revisions.err()).isZero();
    assertThat(revisions.out()).isEqualTo(folders);
    assertThat(run("diff", project.toString(), "--git", "HEAD~1").out()).isEqualTo(folders);
    assertThat(run("diff", project.toString(), "--git", "--upload-pack=x").err()).contains("not a revision");
  }

  static dev.envforge.core.plan.InstallPlan plan(Path dir) {
    return EnvironmentPlanner.plan(ProjectFiles.of(dir), PlanningRequest.DEFAULTS,
        new VariantRequest("default", Selection.MAIN)).plan();
  }

  static void copy(Path from, Path to) throws IOException {
    for (String name : List.of("pyproject.toml", "poetry.lock")) {
      Files.copy(from.resolve(name), to.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }

  static void git(Path dir, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("git", "-C", dir.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(output).isZero();
  }
}
