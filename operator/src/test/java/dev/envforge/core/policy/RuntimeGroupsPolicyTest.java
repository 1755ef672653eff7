package dev.envforge.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.envforge.core.plan.Artifact;
import dev.envforge.core.plan.PackageSource;
import dev.envforge.core.plan.PlannedPackage;
import dev.envforge.core.plan.Selection;
import dev.envforge.core.policy.PolicySubject.VariantSubject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Policies and runtime groups: a policy can forbid them, and what they add obeys the package rules. */
class RuntimeGroupsPolicyTest {
  static final PlannedPackage TRIAL = PlannedPackage.python("trial", "0.3",
      PackageSource.registry("https://mirror.example.org/simple"),
      List.of(new Artifact("trial-0.3-py3-none-any.whl", null, "sha256:" + "a".repeat(64))));

  static List<Policy> read(String rules) {
    return PolicyReader.readYaml("policy.yaml", """
        apiVersion: envforge.dev/v1alpha1
        kind: EnvironmentPolicy
        metadata:
          name: production
        spec:
          rules:
        """ + rules.indent(4));
  }

  static PolicySubject subject(List<String> runtimeGroups, List<PlannedPackage> runtimePackages) {
    return new PolicySubject(null, List.of(new VariantSubject("default", Selection.MAIN, null, null,
        runtimeGroups, runtimePackages)), null);
  }

  @Test
  void aPolicyCanForbidRuntimeGroups() {
    List<Policy> policies = read("forbidRuntimeGroups: true\n");

    List<Violation> violations = PolicyEngine.evaluate(policies, subject(List.of("exp"), List.of(TRIAL)));

    assertThat(violations).singleElement().satisfies(v -> {
      assertThat(v.rule()).isEqualTo(PolicyEngine.FORBID_RUNTIME_GROUPS);
      assertThat(v.variant()).isEqualTo("default");
      assertThat(v.toString()).isEqualTo("policy production: forbidRuntimeGroups: variant default: runtime groups"
          + " ['exp'] may not be installed when containers start; install them into the image (groups) instead");
    });
    assertThat(PolicyEngine.evaluate(policies, subject(List.of(), List.of()))).as("a variant without them")
        .isEmpty();
    assertThat(PolicyEngine.evaluate(read("forbidRuntimeGroups: false\n"), subject(List.of("exp"), List.of())))
        .isEmpty();
  }

  @Test
  void runtimePackagesObeyDeniedPackagesAndAllowedSources() {
    List<Policy> policies = read("""
        deniedPackages: [{name: trial}]
        allowedSources: {indexUrls: ["https://pypi.org/simple"]}
        """);

    List<Violation> violations = PolicyEngine.evaluate(policies, subject(List.of("exp"), List.of(TRIAL)));

    assertThat(violations).extracting(Violation::rule, Violation::why).containsExactly(
        org.assertj.core.groups.Tuple.tuple(PolicyEngine.DENIED_PACKAGES, "runtime package trial 0.3 is denied"
            + " (trial)"),
        org.assertj.core.groups.Tuple.tuple(PolicyEngine.ALLOWED_SOURCES, "runtime package trial 0.3 comes from"
            + " index 'https://mirror.example.org/simple', which is not allowed"));
  }

  @Test
  void aRuleThatIsNotABooleanIsRefusedWithItsPlace() {
    assertThatThrownBy(() -> read("forbidRuntimeGroups: yes please\n"))
        .hasMessageContaining("policy.yaml:7:").hasMessageContaining("spec.rules.forbidRuntimeGroups: expected"
            + " true or false");
  }
}
