package dev.envforge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.Objects;

/** Desired state of an {@link EnvironmentPolicy}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"namespaceSelector", "rules"})
public class EnvironmentPolicySpec {

  @JsonPropertyDescription("Namespaces whose PythonEnvironments the policy applies to, by their labels. Absent or"
      + " empty: every namespace.")
  private LabelSelector namespaceSelector;

  @JsonPropertyDescription("The rules; each one is optional and an absent rule allows everything.")
  private PolicyRulesSpec rules;

  public LabelSelector getNamespaceSelector() {
    return namespaceSelector;
  }

  public void setNamespaceSelector(LabelSelector namespaceSelector) {
    this.namespaceSelector = namespaceSelector;
  }

  public PolicyRulesSpec getRules() {
    return rules;
  }

  public void setRules(PolicyRulesSpec rules) {
    this.rules = rules;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EnvironmentPolicySpec that && Objects.equals(namespaceSelector, that.namespaceSelector)
        && Objects.equals(rules, that.rules);
  }

  @Override
  public int hashCode() {
    return Objects.hash(namespaceSelector, rules);
  }

  @Override
  public String toString() {
    return "EnvironmentPolicySpec{namespaceSelector=" + namespaceSelector + ", rules=" + rules + "}";
  }
}
