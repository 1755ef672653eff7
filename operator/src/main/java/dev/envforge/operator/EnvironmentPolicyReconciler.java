package dev.envforge.operator;

import dev.envforge.api.v1alpha1.EnvironmentPolicy;
import dev.envforge.api.v1alpha1.EnvironmentPolicyStatus;
import dev.envforge.api.v1alpha1.PythonEnvironment;
import io.fabric8.kubernetes.api.model.Namespace;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Writes each EnvironmentPolicy's status: how many PythonEnvironments it selects and which of them break it (their
 * status.violatedPolicies names it). It only counts; the PythonEnvironment reconciler evaluates.
 */
@ControllerConfiguration(name = EnvironmentPolicyReconciler.NAME)
public class EnvironmentPolicyReconciler implements Reconciler<EnvironmentPolicy> {
  public static final String NAME = "environmentpolicy";

  private final Set<String> watchedNamespaces;
  private volatile InformerEventSource<PythonEnvironment, EnvironmentPolicy> environments;
  private volatile InformerEventSource<Namespace, EnvironmentPolicy> namespaces;

  /** @param watchedNamespaces the namespaces whose PythonEnvironments are counted; empty for all */
  public EnvironmentPolicyReconciler(Set<String> watchedNamespaces) {
    this.watchedNamespaces = Set.copyOf(watchedNamespaces);
  }

  @Override
  public List<EventSource<?, EnvironmentPolicy>> prepareEventSources(
      EventSourceContext<EnvironmentPolicy> context) {
    var environmentConfig = InformerEventSourceConfiguration.from(PythonEnvironment.class, EnvironmentPolicy.class)
        .withName("policy-environments")
        .withFollowControllerNamespacesChanges(false)
        .withSecondaryToPrimaryMapper(pe -> allPolicies(context));
    if (watchedNamespaces.isEmpty()) {
      environmentConfig.withWatchAllNamespaces();
    } else {
      environmentConfig.withNamespaces(watchedNamespaces);
    }
    environments = new InformerEventSource<>(environmentConfig.build(), context);
    namespaces = new InformerEventSource<>(InformerEventSourceConfiguration
        .from(Namespace.class, EnvironmentPolicy.class)
        .withName("policy-namespaces")
        .withWatchAllNamespaces()
        .withFollowControllerNamespacesChanges(false)
        .withSecondaryToPrimaryMapper(ns -> allPolicies(context))
        .build(), context);
    return List.of(environments, namespaces);
  }

  private static Set<ResourceID> allPolicies(EventSourceContext<EnvironmentPolicy> context) {
    return context.getPrimaryCache().list().map(ResourceID::fromResource).collect(Collectors.toSet());
  }

  @Override
  public UpdateControl<EnvironmentPolicy> reconcile(EnvironmentPolicy policy, Context<EnvironmentPolicy> context) {
    String name = policy.getMetadata().getName();
    List<PythonEnvironment> selected = environments.list(pe -> selects(policy, pe.getMetadata().getNamespace()))
        .toList();
    List<String> violators = selected.stream()
        .filter(pe -> pe.getStatus() != null && pe.getStatus().getViolatedPolicies() != null
            && pe.getStatus().getViolatedPolicies().contains(name))
        .map(pe -> pe.getMetadata().getNamespace() + "/" + pe.getMetadata().getName())
        .sorted().toList();
    EnvironmentPolicyStatus status = new EnvironmentPolicyStatus();
    status.setObservedGeneration(policy.getMetadata().getGeneration());
    status.setSelected(selected.size());
    status.setViolating(violators.size());
    status.setViolators(violators.subList(0, Math.min(EnvironmentPolicyStatus.MAX_VIOLATORS, violators.size())));
    try {
      PolicyGate.toCore(policy);
    } catch (IllegalArgumentException e) {
      status.setMessage("the policy cannot be applied, so every resource it selects breaks it: " + e.getMessage());
    }
    if (status.equals(policy.getStatus())) {
      return UpdateControl.noUpdate();
    }
    policy.setStatus(status);
    return UpdateControl.patchStatus(policy);
  }

  private boolean selects(EnvironmentPolicy policy, String namespace) {
    if (policy.getSpec() == null) {
      return false;
    }
    Map<String, String> labels = Optional.ofNullable(namespaces)
        .flatMap(n -> n.get(new ResourceID(namespace)))
        .map(n -> n.getMetadata().getLabels()).orElse(Map.of());
    return LabelSelectors.matches(policy.getSpec().getNamespaceSelector(), labels);
  }
}
