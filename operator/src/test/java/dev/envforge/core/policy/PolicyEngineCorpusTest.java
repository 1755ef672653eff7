package dev.envforge.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.core.lock.LockFormats;
import dev.envforge.core.lock.ProjectFiles;
import dev.envforge.core.plan.Selection;
import dev.envforge.core.planner.EnvironmentPlanner;
import dev.envforge.core.planner.PlanningRequest;
import dev.envforge.core.planner.VariantPlan;
import dev.envforge.core.planner.VariantRequest;
import dev.envforge.core.policy.PolicySubject.VariantSubject;
import dev.envforge.testing.Corpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each rule against real locks of the corpus; positions are checked against the very line they name. */
class PolicyEngineCorpusTest {

  /** A subject of one corpus case: one variant per selection, named after its groups and extras. */
  static PolicySubject subject(String caseName, String repository, Selection... selections) {
    ProjectFiles files = ProjectFiles.of(Corpus.dir(caseName));
    List<VariantSubject> variants = new ArrayList<>();
    for (Selection s : selections.length == 0 ? new Selection[] {Selection.MAIN} : selections) {
      String name = s.groups().isEmpty() && s.extras().isEmpty() ? "default"
          : String.join("-", s.groups()) + String.join("-", s.extras());
      VariantPlan plan = EnvironmentPlanner.plan(files, PlanningRequest.DEFAULTS, new VariantRequest(name, s));
      variants.add(new VariantSubject(name, s, plan.recipe().baseImage(), plan.plan()));
    }
    return new PolicySubject(repository, variants,
        new ProjectPositions(files, LockFormats.detect(files, null), null));
  }

  static List<Violation> evaluate(PolicyRules rules, PolicySubject subject) {
    return PolicyEngine.evaluate(List.of(new Policy("platform", rules)), subject);
  }

  static PolicyRules rules(String yaml) {
    return PolicyReader.readYaml("policy.yaml", """
        apiVersion: envforge.dev/v1alpha1
        kind: EnvironmentPolicy
        metadata:
          name: platform
        spec:
          rules:
        """ + yaml.indent(4)).get(0).rules();
  }

  /** The text of the line a position names, from its column on. */
  static String at(SourcePosition position) throws IOException {
    List<String> lines = Files.readAllLines(Path.of(position.file()));
    return lines.get(position.line() - 1).substring(position.column() - 1);
  }

  @Test
  void gitAndUrlSourcesOutsideTheAllowedHostsAreViolationsAtTheirLockEntry() throws IOException {
    PolicySubject pixeltable = subject("poetry-pixeltable-pixeltable", null,
        new Selection(List.of("dev"), List.of()));
    List<Violation> violations = evaluate(rules("""
        allowedSources:
          indexUrls: ["https://pypi.org/simple/"]
          gitHosts: ["gitlab.example.com"]
          urlHosts: []
        """), pixeltable);

    assertThat(violations).extracting(Violation::packageName)
        .containsExactlyInAnyOrder("openai-whisper", "whisperx", "en-core-web-sm");
    assertThat(violations).allSatisfy(v -> assertThat(v.rule()).isEqualTo("allowedSources"));
    for (Violation v : violations) {
      assertThat(v.position().file()).endsWith("poetry-pixeltable-pixeltable/poetry.lock");
      assertThat(at(v.position()).replace('_', '-')).startsWith("name = \"" + v.packageName());
      assertThat(v.toString()).startsWith(v.position() + ": policy platform: allowedSources: variant dev: ");
    }
    // github.com allowed for git: only the URL download is left
    assertThat(evaluate(rules("""
        allowedSources:
          gitHosts: ["github.com"]
          urlHosts: []
        """), pixeltable)).extracting(Violation::packageName).containsExactly("en-core-web-sm");
  }

  @Test
  void aSecondaryIndexIsAViolationUnlessItIsAllowed() throws IOException {
    PolicySubject chia = subject("poetry-Chia-Network-chia-blockchain", null);
    List<Violation> violations = evaluate(rules("""
        allowedSources:
          indexUrls: ["https://pypi.org/simple"]
        """), chia);
    assertThat(violations).singleElement().satisfies(v -> {
      assertThat(v.packageName()).isEqualTo("zstd");
      assertThat(v.why()).contains("https://pypi.chia.net/simple");
    });
    assertThat(at(violations.get(0).position())).startsWith("name = \"zstd\"");
    assertThat(evaluate(rules("""
        allowedSources:
          indexUrls: ["https://pypi.org/simple", "https://pypi.chia.net/simple/"]
        """), chia)).isEmpty();
  }

  @Test
  void deniedPackagesByNameOrByVersionRange() throws IOException {
    PolicySubject langgraph = subject("uv-langchain-ai-langgraph", null);
    assertThat(evaluate(rules("""
        deniedPackages:
          - name: PyYAML
            version: "<5.4"
        """), langgraph)).isEmpty();
    List<Violation> denied = evaluate(rules("""
        deniedPackages:
          - name: pyyaml
            version: ">=6,<6.1"
          - name: requests
        """), langgraph);
    assertThat(denied).extracting(Violation::packageName).containsExactly("pyyaml", "requests");
    assertThat(denied.get(0).why()).isEqualTo("package pyyaml 6.0.3 is denied (pyyaml>=6,<6.1)");
    assertThat(at(denied.get(0).position())).isEqualTo("name = \"pyyaml\"");
    assertThat(at(denied.get(1).position())).isEqualTo("name = \"requests\"");
  }

  @Test
  void requiredPackagesMustBeInEveryVariantAtAnAllowedVersion() throws IOException {
    PolicySubject poetry = subject("poetry-python-poetry-poetry", null, Selection.MAIN,
        new Selection(List.of("dev"), List.of()));
    assertThat(evaluate(rules("""
        requiredPackages:
          - name: requests
            version: ">=2.26"
        """), poetry)).isEmpty();
    List<Violation> violations = evaluate(rules("""
        requiredPackages:
          - name: pandas
          - name: requests
            version: "<2"
        """), poetry);
    assertThat(violations).extracting(Violation::variant, Violation::packageName)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("default", "pandas"),
            org.assertj.core.groups.Tuple.tuple("default", "requests"),
            org.assertj.core.groups.Tuple.tuple("dev", "pandas"),
            org.assertj.core.groups.Tuple.tuple("dev", "requests"));
    assertThat(violations.get(0).position()).isNull();
    assertThat(violations.get(0).why()).isEqualTo("required package pandas is not in the plan");
    assertThat(at(violations.get(1).position())).isEqualTo("name = \"requests\"");
  }

  @Test
  void aForbiddenGroupStopsOnlyTheVariantThatSelectsIt() throws IOException {
    PolicySubject langgraph = subject("uv-langchain-ai-langgraph", null, Selection.MAIN,
        new Selection(List.of("lint"), List.of()), new Selection(List.of("test"), List.of()));
    List<Violation> violations = evaluate(rules("forbiddenGroups: [lint]\n"), langgraph);
    assertThat(violations).singleElement().satisfies(v -> {
      assertThat(v.variant()).isEqualTo("lint");
      assertThat(v.rule()).isEqualTo("forbiddenGroups");
      assertThat(v.position().file()).endsWith("pyproject.toml");
    });
    assertThat(at(violations.get(0).position())).startsWith("lint = [");
  }

  @Test
  void aPoetryGroupIsFoundInItsOwnTable() throws IOException {
    PolicySubject poetry = subject("poetry-python-poetry-poetry", null, new Selection(List.of("dev"), List.of()));
    Violation v = evaluate(rules("forbiddenGroups: [dev]\n"), poetry).get(0);
    assertThat(Files.readAllLines(Path.of(v.position().file())).get(v.position().line() - 1))
        .isEqualTo("[tool.poetry.group.dev.dependencies]");
  }

  @Test
  void aForbiddenExtraIsAViolationAtItsDeclaration() throws IOException {
    PolicySubject chia = subject("poetry-Chia-Network-chia-blockchain", null,
        new Selection(List.of(), List.of("upnp")));
    List<Violation> violations = evaluate(rules("forbiddenExtras: [UPNP]\n"), chia);
    assertThat(violations).singleElement().satisfies(v -> assertThat(v.rule()).isEqualTo("forbiddenExtras"));
    assertThat(at(violations.get(0).position())).startsWith("upnp =");
  }

  @Test
  void baseImagesByPrefixAtABoundaryAndPinnedByDigest() {
    PolicySubject langgraph = subject("uv-langchain-ai-langgraph", null);
    assertThat(langgraph.variants().get(0).baseImage()).isEqualTo("docker.io/library/python:3.12-slim-bookworm");
    assertThat(evaluate(rules("allowedBaseImages: {prefixes: [\"docker.io/library/python:\"]}\n"), langgraph))
        .isEmpty();
    assertThat(evaluate(rules("allowedBaseImages: {prefixes: [\"python\"]}\n"), langgraph)).isEmpty();
    assertThat(evaluate(rules("allowedBaseImages: {prefixes: [\"docker.io/library/py\"]}\n"), langgraph))
        .singleElement().satisfies(v -> assertThat(v.why()).contains("does not start with"));
    assertThat(evaluate(rules("allowedBaseImages: {requireDigest: true}\n"), langgraph))
        .singleElement().satisfies(v -> assertThat(v.why()).contains("not pinned by digest"));
    String pinned = "registry.example.com/base/python@sha256:" + "a".repeat(64);
    PolicySubject withDigest = new PolicySubject(null, List.of(new VariantSubject("default", Selection.MAIN, pinned,
        langgraph.variants().get(0).plan())), null);
    assertThat(evaluate(rules("allowedBaseImages: {prefixes: [\"registry.example.com/base/\"], requireDigest: true}\n"),
        withDigest)).isEmpty();
  }

  @Test
  void imageRepositoriesArePathPrefixes() {
    PolicyRules rules = rules("allowedImageRepositories: [\"registry.example.com/ml\"]\n");
    assertThat(evaluate(rules, subject("uv-langchain-ai-langgraph", "registry.example.com/ml/team-a/env"))).isEmpty();
    assertThat(evaluate(rules, subject("uv-langchain-ai-langgraph", "registry.example.com/ml-private/env")))
        .singleElement().satisfies(v -> {
          assertThat(v.rule()).isEqualTo("allowedImageRepositories");
          assertThat(v.variant()).isNull();
        });
    assertThat(evaluate(rules("allowedImageRepositories: [\"docker.io/example\"]\n"),
        subject("uv-langchain-ai-langgraph", "example/env"))).isEmpty();
  }

  @Test
  void limitsCountPackagesPerVariantAndVariantsPerResource() {
    PolicySubject langgraph = subject("uv-langchain-ai-langgraph", null, Selection.MAIN,
        new Selection(List.of("test"), List.of()));
    int main = langgraph.variants().get(0).plan().packages().size();
    int test = langgraph.variants().get(1).plan().packages().size();
    assertThat(test).isGreaterThan(main);
    List<Violation> violations = evaluate(rules("maxPackagesPerVariant: " + main + "\nmaxVariantsPerResource: 1\n"),
        langgraph);
    assertThat(violations).extracting(Violation::rule, Violation::variant).containsExactly(
        org.assertj.core.groups.Tuple.tuple("maxVariantsPerResource", null),
        org.assertj.core.groups.Tuple.tuple("maxPackagesPerVariant", "test"));
    assertThat(violations.get(1).why()).isEqualTo(test + " packages, more than the " + main + " allowed");
  }

  @Test
  void requirementsAndCondaLocksGivePositionsToo() throws IOException {
    List<Violation> requirements = evaluate(rules("deniedPackages: [{name: cryptography}]\n"),
        subject("requirements-sigstore-sigstore-python", null));
    assertThat(requirements).singleElement();
    assertThat(at(requirements.get(0).position())).startsWith("cryptography==50.0.0");
    List<Violation> conda = evaluate(rules("deniedPackages: [{name: requests, version: \"<2.32\"}]\n"),
        subject("conda-conda-conda-lock-2", null));
    assertThat(conda).singleElement();
    assertThat(at(conda.get(0).position())).startsWith("requests");
  }

  @Test
  void everyPolicyAppliesAndEveryViolationIsReturned() {
    PolicySubject langgraph = subject("uv-langchain-ai-langgraph", "registry.example.com/other/env");
    List<Violation> violations = PolicyEngine.evaluate(List.of(
        new Policy("security", rules("deniedPackages: [{name: pyyaml}, {name: requests}]\n")),
        new Policy("registry", rules("allowedImageRepositories: [registry.example.com/ml]\n"))), langgraph);
    assertThat(violations).extracting(Violation::policy).containsExactly("registry", "security", "security");
  }
}
