package dev.envforge.operator;

import dev.envforge.api.v1alpha1.EnvforgeApi.Conditions;
import dev.envforge.api.v1alpha1.EnvforgeApi.ConditionStatus;
import dev.envforge.api.v1alpha1.PythonEnvironment;
import dev.envforge.api.v1alpha1.PythonEnvironmentStatus;
import dev.envforge.api.v1alpha1.VariantPhase;
import dev.envforge.api.v1alpha1.VariantStatus;
import dev.envforge.core.planner.VariantPlan;
import dev.envforge.core.registry.ImageReference;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.Objects;

/**
 * Tells people (Events) and metrics when something changed: a build started, succeeded or failed, or the spec
 * became unusable. Only changes count, so a reconcile that runs again records nothing new.
 */
final class TransitionEvents {
  private final EventRecorder events;
  private final OperatorMetrics metrics;
  private final PlanMemory plans;

  TransitionEvents(EventRecorder events, OperatorMetrics metrics, PlanMemory plans) {
    this.events = events;
    this.metrics = metrics;
    this.plans = plans;
  }

  void buildStarted(PythonEnvironment resource, VariantPlan plan, ImageReference image, Job created) {
    metrics.buildStarted();
    String changes = VariantHistory.changesSince(previousVariant(resource, plan.variant()), plan, plans);
    events.normal(resource, "BuildStarted", plan.variant() + "/" + created.getMetadata().getUid(),
        "variant " + plan.variant() + ": building " + image + " (" + plan.plan().packages().size()
            + " packages) in Job " + created.getMetadata().getName() + " with " + builderPhrase(plan)
            + (changes == null ? "" : "; changes: " + changes));
  }

  /** "the assembler (every package has a wheel ...)" or "Kaniko (package foo 1.0 has ...)". */
  static String builderPhrase(VariantPlan plan) {
    String who = plan.recipe().builder() == dev.envforge.core.recipe.Builder.ASSEMBLE ? "the assembler" : "Kaniko";
    return plan.builderReason() == null ? who : who + " (" + plan.builderReason() + ")";
  }

  /** A policy violation, unless the previous status already reported these very violations. */
  void policyViolated(PythonEnvironment resource, PythonEnvironmentStatus previous, String message) {
    boolean reported = previous != null && previous.condition(Conditions.POLICY_VIOLATION)
        .filter(c -> ConditionStatus.TRUE.equals(c.getStatus()))
        .filter(c -> message.equals(c.getMessage()))
        .isPresent();
    if (!reported) {
      events.warning(resource, Conditions.POLICY_VIOLATION,
          "policy-" + dev.envforge.core.hash.PlanHasher.sha256Hex(message).substring(0, 16), message);
    }
  }

  private static VariantStatus previousVariant(PythonEnvironment resource, String name) {
    if (resource.getStatus() == null || resource.getStatus().getVariants() == null) {
      return null;
    }
    return resource.getStatus().getVariants().stream().filter(v -> name.equals(v.getName())).findFirst()
        .orElse(null);
  }

  /** A variant that reached Succeeded or Failed, newly or for another plan. */
  void variantChanged(PythonEnvironment resource, VariantStatus before, VariantStatus after) {
    VariantPhase was = before == null ? null : before.getPhase();
    boolean sameHash = before != null && Objects.equals(before.getHash(), after.getHash());
    if (after.getPhase() == VariantPhase.Succeeded && (was != VariantPhase.Succeeded || !sameHash)) {
      metrics.buildSucceeded();
      buildDuration(after).ifPresent(d -> metrics.buildFinished(true, d));
      // one event per pushed image: a rebuild of the same tag is another event, with its own digest
      events.normal(resource, "BuildSucceeded", after.getName() + "/" + after.getImage() + "/" + after.getJobName(),
          "variant " + after.getName() + ": image " + after.getImage() + " is ready");
    }
    if (after.getPhase() == VariantPhase.Failed && (was != VariantPhase.Failed || !sameHash)) {
      metrics.buildFailed(after.getReason());
      buildDuration(after).ifPresent(d -> metrics.buildFinished(false, d));
      events.warning(resource, "BuildFailed", after.getName() + "/" + after.getHash() + "/" + after.getJobName()
          + "/" + after.getGeneration(), "variant " + after.getName() + ": " + after.getReason() + ": "
          + after.getMessage());
    }
  }

  /** The status a reconcile computed for a resource, for the gauge of resources by Ready status. */
  void statusComputed(PythonEnvironment resource, PythonEnvironmentStatus status) {
    metrics.resourceReconciled(resource, status);
  }

  /** From the build's start to its completion, when the status has both. */
  private static java.util.Optional<java.time.Duration> buildDuration(VariantStatus v) {
    try {
      if (v.getStartTime() == null || v.getCompletionTime() == null) {
        return java.util.Optional.empty();
      }
      java.time.Duration d = java.time.Duration.between(java.time.Instant.parse(v.getStartTime()),
          java.time.Instant.parse(v.getCompletionTime()));
      return d.isNegative() ? java.util.Optional.empty() : java.util.Optional.of(d);
    } catch (java.time.format.DateTimeParseException e) {
      return java.util.Optional.empty();
    }
  }

  /** A spec problem, unless the previous status already reported this very one. */
  void specProblem(PythonEnvironment resource, PythonEnvironmentStatus previous, SpecProblemException problem,
      long generation) {
    boolean reported = previous != null && previous.condition(Conditions.INVALID_SPEC)
        .filter(c -> ConditionStatus.TRUE.equals(c.getStatus()))
        .filter(c -> problem.getMessage().equals(Objects.requireNonNullElse(c.getMessage(), "")))
        .isPresent();
    if (!reported) {
      events.warning(resource, problem.reason().wire(), "spec-" + generation, problem.getMessage());
    }
  }
}
