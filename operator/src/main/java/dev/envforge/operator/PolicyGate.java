package dev.envforge.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.envforge.api.v1alpha1.EnvforgeApi.ConditionStatus;
import dev.envforge.api.v1alpha1.EnvforgeApi.Conditions;
import dev.envforge.api.v1alpha1.Reason;
import dev.envforge.api.v1alpha1.EnvironmentPolicy;
import dev.envforge.api.v1alpha1.PythonEnvironment;
import dev.envforge.api.v1alpha1.PythonEnvironmentStatus;
import dev.envforge.core.planner.VariantPlan;
import dev.envforge.core.planner.VariantRequest;
import dev.envforge.core.policy.Policy;
import dev.envforge.core.policy.PolicyReader;
import dev.envforge.core.policy.PolicySubject;
import dev.envforge.core.policy.PolicySubject.VariantSubject;
import dev.envforge.core.policy.ProjectPositions;
import dev.envforge.core.policy.Violation;
import dev.envforge.operator.ResourceInputs.Inputs;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Applies the EnvironmentPolicies that select a resource's namespace before anything is built. Policies and
 * namespaces come from informers, so a policy change (or a namespace's labels) re-evaluates the resources it concerns
 * at once, and evaluating costs no API request.
 */
final class PolicyGate {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @param policies the names of the policies that select the resource's namespace (none: no policy applies)
   * @param violations every violation, in a stable order
   */
  record Verdict(List<String> policies, List<Violation> violations) {
    static final Verdict NONE = new Verdict(List.of(), List.of());

    boolean violated() {
      return !violations.isEmpty();
    }

    /** The policies that are broken, sorted. */
    List<String> violatedPolicies() {
      return violations.stream().map(Violation::policy).distinct().sorted().toList();
    }

    /** Whether a variant may not build: a violation of its own or one of the whole resource. */
    boolean blocks(String variant) {
      return violations.stream().anyMatch(v -> v.variant() == null || v.variant().equals(variant));
    }

    /** Every violation, one after the other, for a condition message. */
    String message() {
      return violations.size() + " policy violation" + (violations.size() == 1 ? "" : "s") + ": "
          + violations.stream().map(Violation::toString).collect(Collectors.joining("; "));
    }
  }

  private volatile InformerEventSource<EnvironmentPolicy, PythonEnvironment> policies;
  private volatile InformerEventSource<Namespace, PythonEnvironment> namespaces;

  /** The informers of policies and namespaces, each event mapped to the resources it may concern. */
  List<EventSource<?, PythonEnvironment>> eventSources(EventSourceContext<PythonEnvironment> context) {
    policies = new InformerEventSource<>(InformerEventSourceConfiguration
        .from(EnvironmentPolicy.class, PythonEnvironment.class)
        .withName("environment-policies")
        .withWatchAllNamespaces()
        .withFollowControllerNamespacesChanges(false)
        .withSecondaryToPrimaryMapper(policy -> concernedBy(policy, context))
        .build(), context);
    namespaces = new InformerEventSource<>(InformerEventSourceConfiguration
        .from(Namespace.class, PythonEnvironment.class)
        .withName("namespaces")
        .withWatchAllNamespaces()
        .withFollowControllerNamespacesChanges(false)
        .withSecondaryToPrimaryMapper(ns -> context.getPrimaryCache()
            .list(p -> ns.getMetadata().getName().equals(p.getMetadata().getNamespace()))
            .map(ResourceID::fromResource).collect(Collectors.toSet()))
        .build(), context);
    return List.of(policies, namespaces);
  }

  /**
   * The resources a policy event concerns: those in namespaces it selects, and those that a policy applied to
   * before (its selector may have changed, or it was deleted).
   */
  private Set<ResourceID> concernedBy(EnvironmentPolicy policy, EventSourceContext<PythonEnvironment> context) {
    return context.getPrimaryCache().list(p -> selects(policy, p.getMetadata().getNamespace())
            || (p.getStatus() != null && p.getStatus().condition(Conditions.POLICY_VIOLATION).isPresent()))
        .map(ResourceID::fromResource).collect(Collectors.toSet());
  }

  /** The policies that select a namespace, by name. */
  List<EnvironmentPolicy> selecting(String namespace) {
    if (policies == null) {
      return List.of();
    }
    return policies.list(p -> selects(p, namespace))
        .sorted(Comparator.comparing(p -> p.getMetadata().getName())).toList();
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

  /** Every violation of the policies that select the resource's namespace. */
  Verdict evaluate(PythonEnvironment resource, Inputs inputs) {
    List<EnvironmentPolicy> applying = selecting(resource.getMetadata().getNamespace());
    if (applying.isEmpty()) {
      return Verdict.NONE;
    }
    List<Policy> rules = new ArrayList<>();
    List<Violation> unusable = new ArrayList<>();
    for (EnvironmentPolicy p : applying) {
      try {
        rules.add(toCore(p));
      } catch (IllegalArgumentException e) {
        // fail closed: a policy that cannot be read allows nothing until it is fixed
        unusable.add(new Violation(p.getMetadata().getName(), "spec.rules", null, null,
            "the policy cannot be applied: " + e.getMessage(), null));
      }
    }
    List<Violation> violations = new ArrayList<>(unusable);
    violations.addAll(dev.envforge.core.policy.PolicyEngine.evaluate(rules, subject(resource, inputs)));
    return new Verdict(applying.stream().map(p -> p.getMetadata().getName()).toList(), violations);
  }

  static Policy toCore(EnvironmentPolicy policy) {
    JsonNode rules = policy.getSpec() == null || policy.getSpec().getRules() == null ? null
        : JSON.valueToTree(policy.getSpec().getRules());
    return new Policy(policy.getMetadata().getName(),
        PolicyReader.rules(rules, "environmentpolicy/" + policy.getMetadata().getName()));
  }

  static PolicySubject subject(PythonEnvironment resource, Inputs inputs) {
    Map<String, VariantRequest> requests = SpecPlanning.variants(resource.getSpec()).stream()
        .collect(Collectors.toMap(VariantRequest::name, v -> v, (a, b) -> a));
    List<VariantSubject> variants = new ArrayList<>();
    for (var planned : inputs.plans()) {
      VariantPlan plan = planned.plan();
      VariantRequest request = requests.get(plan.variant());
      variants.add(new VariantSubject(plan.variant(), request.selection(), plan.recipe().baseImage(), plan.plan(),
          request.runtimeGroups(), planned.runtime().packages()));
    }
    return new PolicySubject(resource.getSpec().getImage().getRepository(), variants,
        new ProjectPositions(inputs.project().files(), inputs.project().format(), null));
  }

  /**
   * The status with the PolicyViolation condition, when a policy applies or applied before; a violation makes
   * Ready False with every violation in its message (the variants and their images stay as they were).
   */
  static PythonEnvironmentStatus apply(PythonEnvironmentStatus status, PythonEnvironmentStatus previous,
      Verdict verdict, long generation, Clock clock) {
    boolean hadCondition = previous != null && previous.condition(Conditions.POLICY_VIOLATION).isPresent();
    if (verdict.policies().isEmpty() && !hadCondition) {
      return status;
    }
    List<Condition> conditions = new ArrayList<>();
    for (Condition c : status.getConditions()) {
      if (Conditions.READY.equals(c.getType()) && verdict.violated()) {
        conditions.add(condition(Conditions.READY, false, Reason.POLICY_VIOLATED, verdict.message(), generation,
            previous, clock));
      } else if (!Conditions.POLICY_VIOLATION.equals(c.getType())) {
        conditions.add(c);
      }
    }
    String compliant = verdict.policies().isEmpty() ? "no EnvironmentPolicy selects this namespace"
        : "complies with " + String.join(", ", verdict.policies());
    conditions.add(verdict.violated()
        ? condition(Conditions.POLICY_VIOLATION, true, Reason.POLICY_VIOLATED, verdict.message(), generation,
            previous, clock)
        : condition(Conditions.POLICY_VIOLATION, false, Reason.POLICY_COMPLIANT, compliant, generation, previous,
            clock));
    status.setConditions(conditions);
    status.setViolatedPolicies(verdict.violated() ? verdict.violatedPolicies() : null);
    return status;
  }

  /**
   * The status of a variant that may not build: as it was when it has an image (it keeps it), else Pending with its
   * violations.
   */
  static dev.envforge.api.v1alpha1.VariantStatus blocked(dev.envforge.api.v1alpha1.VariantStatus before,
      VariantPlan plan, Verdict verdict, long generation, String rebuildToken) {
    if (before != null && StatusAggregator.hasImage(before)) {
      return before;
    }
    dev.envforge.api.v1alpha1.VariantStatus v = new dev.envforge.api.v1alpha1.VariantStatus(plan.variant());
    v.setHash(plan.hash().hex());
    v.setTag(plan.hash().tag());
    VariantProjection.setPlanFacts(v, plan);
    v.setGeneration(generation);
    v.setPhase(dev.envforge.api.v1alpha1.VariantPhase.Pending);
    v.setReason(Reason.POLICY_VIOLATED);
    v.setMessage("not built: " + verdict.violations().stream()
        .filter(x -> x.variant() == null || x.variant().equals(plan.variant()))
        .map(Violation::toString).collect(Collectors.joining("; ")));
    // a new variant adopts the spec's token, as a build or a cache hit would
    v.setRebuildToken(before == null ? rebuildToken : before.getRebuildToken());
    if (before != null) {
      v.setHistory(before.getHistory());
    }
    return v;
  }

  /** The status of a reconcile that could not evaluate policies (a bad spec): the previous policy state stays. */
  static PythonEnvironmentStatus keep(PythonEnvironmentStatus status, PythonEnvironmentStatus previous) {
    if (previous == null) {
      return status;
    }
    previous.condition(Conditions.POLICY_VIOLATION).ifPresent(c -> status.getConditions().add(c));
    status.setViolatedPolicies(previous.getViolatedPolicies());
    return status;
  }

  private static Condition condition(String type, boolean isTrue, Reason reason, String message, long generation,
      PythonEnvironmentStatus previous, Clock clock) {
    return StatusAggregator.condition(type, isTrue ? ConditionStatus.TRUE : ConditionStatus.FALSE, reason, message,
        generation, previous, clock);
  }
}
