package dev.envforge.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.envforge.core.lock.LockInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyReaderTest {
  @Test
  void readsEveryRuleOfEveryPolicyDocumentAndSkipsOtherKinds() {
    List<Policy> policies = PolicyReader.readYaml("p.yaml", """
        apiVersion: v1
        kind: Namespace
        metadata: {name: ml}
        ---
        apiVersion: envforge.dev/v1alpha1
        kind: EnvironmentPolicy
        metadata: {name: data-science}
        spec:
          namespaceSelector: {matchLabels: {team: ds}}
          rules:
            allowedSources: {indexUrls: ["https://pypi.org/simple"], gitHosts: []}
            allowedBaseImages: {prefixes: ["docker.io/library/python:"], requireDigest: true}
            allowedImageRepositories: [registry.example.com/ml]
            requiredPackages: [{name: Pandas, version: ">=2"}]
            deniedPackages: [{name: pyyaml, version: "<5.4"}, {name: pickle5}]
            forbiddenGroups: [exp]
            forbiddenExtras: [gpu]
            maxPackagesPerVariant: 400
            maxVariantsPerResource: 4
        ---
        apiVersion: envforge.dev/v1alpha1
        kind: EnvironmentPolicy
        metadata: {name: empty}
        spec: {}
        """);
    assertThat(policies).extracting(Policy::name).containsExactly("data-science", "empty");
    PolicyRules r = policies.get(0).rules();
    assertThat(r.sources().indexUrls()).containsExactly("https://pypi.org/simple");
    assertThat(r.sources().gitHosts()).isEmpty();
    assertThat(r.sources().urlHosts()).isNull();
    assertThat(r.baseImages().requireDigest()).isTrue();
    assertThat(r.requiredPackages()).extracting(PackageRule::display).containsExactly("pandas>=2");
    assertThat(r.deniedPackages()).extracting(PackageRule::display).containsExactly("pyyaml<5.4", "pickle5");
    assertThat(r.forbiddenGroups()).containsExactly("exp");
    assertThat(r.forbiddenExtras()).containsExactly("gpu");
    assertThat(r.maxPackagesPerVariant()).isEqualTo(400);
    assertThat(r.maxVariantsPerResource()).isEqualTo(4);
    assertThat(policies.get(1).rules()).isEqualTo(PolicyRules.NONE);
  }

  @Test
  void aMisspeltRuleIsAnErrorAtItsLineAndColumn() {
    assertThatThrownBy(() -> PolicyReader.readYaml("p.yaml", """
        kind: EnvironmentPolicy
        metadata: {name: x}
        spec:
          rules:
            deniedPackage: [{name: pyyaml}]
        """)).isInstanceOf(LockInputException.class)
        .hasMessageStartingWith("p.yaml:5:5: spec.rules.deniedPackage: unknown rule");
  }

  @Test
  void aBadSpecifierIsAnErrorAtItsField() {
    assertThatThrownBy(() -> PolicyReader.readYaml("p.yaml", """
        kind: EnvironmentPolicy
        metadata: {name: x}
        spec:
          rules:
            deniedPackages:
              - name: pyyaml
                version: "<<5"
        """)).isInstanceOf(LockInputException.class)
        .hasMessageStartingWith("p.yaml:7:9: spec.rules.deniedPackages[0].version:");
    assertThatThrownBy(() -> PolicyReader.readYaml("p.yaml", "kind: EnvironmentPolicy\nmetadata: {name: x}\n"
        + "spec: {rules: {maxPackagesPerVariant: -1}}\n")).hasMessageContaining("maxPackagesPerVariant");
    assertThatThrownBy(() -> PolicyReader.readYaml("p.yaml", "kind: EnvironmentPolicy\nmetadata: {}\n"))
        .hasMessageContaining("metadata.name: required");
    assertThatThrownBy(() -> PolicyReader.readYaml("p.yaml", "kind: [\n")).hasMessageStartingWith("p.yaml:");
  }
}
