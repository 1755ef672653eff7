package dev.envforge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * What PythonEnvironments in the selected namespaces may install and where they may push: allowed sources, base
 * images and repositories, required and denied packages, forbidden groups and extras, and limits. Cluster-scoped;
 * every policy that selects a namespace applies to it. A resource that breaks a policy is not built.
 */
@Group(EnvforgeApi.GROUP)
@Version(EnvforgeApi.VERSION)
@Kind(EnvforgeApi.POLICY_KIND)
@Plural(EnvforgeApi.POLICY_PLURAL)
@Singular(EnvforgeApi.POLICY_SINGULAR)
@ShortNames(EnvforgeApi.POLICY_SHORT_NAME)
@AdditionalPrinterColumn(
    name = "Selected",
    type = AdditionalPrinterColumn.Type.INTEGER,
    jsonPath = ".status.selected",
    getDescription = "PythonEnvironments in the namespaces the policy selects")
@AdditionalPrinterColumn(
    name = "Violating",
    type = AdditionalPrinterColumn.Type.INTEGER,
    jsonPath = ".status.violating",
    getDescription = "Selected PythonEnvironments that break the policy")
@AdditionalPrinterColumn(
    name = "Age",
    type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = ".metadata.creationTimestamp")
public class EnvironmentPolicy extends CustomResource<EnvironmentPolicySpec, EnvironmentPolicyStatus> {

  @Override
  @Required
  @JsonPropertyDescription("Which namespaces the policy applies to, and its rules.")
  public EnvironmentPolicySpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("How many resources the policy selects and how many break it, written by the operator.")
  public EnvironmentPolicyStatus getStatus() {
    return super.getStatus();
  }
}
