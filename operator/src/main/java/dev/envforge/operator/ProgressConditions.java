package dev.envforge.operator;

import dev.envforge.api.v1alpha1.EnvforgeApi.ConditionStatus;
import dev.envforge.api.v1alpha1.EnvforgeApi.Conditions;
import dev.envforge.api.v1alpha1.Reason;
import dev.envforge.api.v1alpha1.PythonEnvironmentStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Reconciling and Stalled conditions that GitOps tools read (kstatus, Flux health checks, {@code kubectl wait}),
 * derived as a pure function from the resource's other conditions. Exactly one of them is True whenever Ready is
 * not True, so kstatus never reads an unfinished resource as Current:
 * <ul>
 *   <li>Reconciling=True while the registry is being checked, a build is pending or running, or a transient error
 *       (registry unavailable, reconcile error) is retried;
 *   <li>Stalled=True when nothing is in progress and only a person can help: an invalid spec or input, or a failed
 *       build (a new {@code spec.rebuildToken} or spec change builds again);
 *   <li>both False when Ready is True, and while {@code spec.suspend} is true.
 * </ul>
 */
public final class ProgressConditions {

  private ProgressConditions() {}

  /**
   * Reconciling and Stalled for the given Ready, Failed and InvalidSpec conditions. {@code working} says whether
   * the operator still has something to do on its own: a variant not yet checked or building, or a registry or
   * API call being retried.
   */
  public static List<Condition> derive(List<Condition> conditions, boolean working, long generation,
      PythonEnvironmentStatus previous, Clock clock) {
    Optional<Condition> ready = find(conditions, Conditions.READY);
    Optional<Condition> invalid = find(conditions, Conditions.INVALID_SPEC).filter(ProgressConditions::isTrue);
    Optional<Condition> failed = find(conditions, Conditions.FAILED).filter(ProgressConditions::isTrue);

    if (ready.filter(ProgressConditions::isTrue).isPresent()) {
      return settled(Reason.RECONCILED, "every variant image exists", generation, previous, clock);
    }
    if (invalid.isPresent()) {
      return stalled(reasonOf(invalid.get(), Reason.INVALID_SPEC), "needs a change of the spec or its inputs: "
          + invalid.get().getMessage(), generation, previous, clock);
    }
    if (!working && failed.isPresent()) {
      return stalled(reasonOf(failed.get(), Reason.BUILD_FAILED), "a build failed; change the spec or spec.rebuildToken to build"
          + " again: " + failed.get().getMessage(), generation, previous, clock);
    }
    Reason reason = ready.map(c -> reasonOf(c, Reason.CHECKING_REGISTRY)).orElse(Reason.CHECKING_REGISTRY);
    String message = ready.map(Condition::getMessage).orElse("checking the registry for the variants' images");
    List<Condition> result = new ArrayList<>();
    result.add(condition(Conditions.RECONCILING, ConditionStatus.TRUE, reason, message, generation, previous, clock));
    result.add(condition(Conditions.STALLED, ConditionStatus.FALSE, Reason.PROGRESSING, "the operator is working"
        + " towards the desired state", generation, previous, clock));
    return result;
  }

  /**
   * The status of a suspended resource: what was last observed stays (variants, image, Building, Failed and the
   * other conditions); Ready stays True if it was, otherwise it is False with reason Suspended; Reconciling and
   * Stalled are False with reason Suspended.
   */
  public static PythonEnvironmentStatus suspended(PythonEnvironmentStatus previous, long generation, Clock clock) {
    PythonEnvironmentStatus status = new PythonEnvironmentStatus();
    List<Condition> kept = new ArrayList<>();
    if (previous != null) {
      status.setVariantsReady(previous.getVariantsReady());
      status.setImage(previous.getImage());
      status.setVariants(previous.getVariants() == null ? new ArrayList<>() : new ArrayList<>(previous.getVariants()));
      if (previous.getConditions() != null) {
        previous.getConditions().stream()
            .filter(c -> !List.of(Conditions.READY, Conditions.RECONCILING, Conditions.STALLED).contains(c.getType()))
            .forEach(kept::add);
      }
    }
    status.setObservedGeneration(generation);
    String message = "spec.suspend is true: no registry checks and no new builds";
    Optional<Condition> wasReady = previous == null ? Optional.empty()
        : previous.condition(Conditions.READY).filter(ProgressConditions::isTrue);
    List<Condition> conditions = new ArrayList<>();
    conditions.add(wasReady.isPresent()
        ? new ConditionBuilder(wasReady.get()).withObservedGeneration(generation).build()
        : condition(Conditions.READY, ConditionStatus.FALSE, Reason.SUSPENDED, message, generation, previous, clock));
    conditions.addAll(kept);
    conditions.add(condition(Conditions.RECONCILING, ConditionStatus.FALSE, Reason.SUSPENDED, message, generation,
        previous, clock));
    conditions.add(condition(Conditions.STALLED, ConditionStatus.FALSE, Reason.SUSPENDED, message, generation,
        previous, clock));
    status.setConditions(conditions);
    return status;
  }

  private static List<Condition> settled(Reason reason, String message, long generation,
      PythonEnvironmentStatus previous, Clock clock) {
    List<Condition> result = new ArrayList<>();
    result.add(condition(Conditions.RECONCILING, ConditionStatus.FALSE, reason, message, generation, previous, clock));
    result.add(condition(Conditions.STALLED, ConditionStatus.FALSE, reason, message, generation, previous, clock));
    return result;
  }

  private static List<Condition> stalled(Reason reason, String message, long generation,
      PythonEnvironmentStatus previous, Clock clock) {
    List<Condition> result = new ArrayList<>();
    result.add(condition(Conditions.RECONCILING, ConditionStatus.FALSE, reason, "nothing in progress; " + message,
        generation, previous, clock));
    result.add(condition(Conditions.STALLED, ConditionStatus.TRUE, reason, message, generation, previous, clock));
    return result;
  }

  private static Optional<Condition> find(List<Condition> conditions, String type) {
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  /** A condition's reason; one this version does not know reads as {@code otherwise}. */
  private static Reason reasonOf(Condition c, Reason otherwise) {
    return Reason.fromWire(c.getReason()).orElse(otherwise);
  }

  private static boolean isTrue(Condition c) {
    return ConditionStatus.TRUE.equals(c.getStatus());
  }

  private static Condition condition(String type, String status, Reason reason, String message, long generation,
      PythonEnvironmentStatus previous, Clock clock) {
    return StatusAggregator.condition(type, status, reason, message, generation, previous, clock);
  }
}
