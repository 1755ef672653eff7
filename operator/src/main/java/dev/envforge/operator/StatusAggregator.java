package dev.envforge.operator;

import dev.envforge.api.v1alpha1.EnvforgeApi.ConditionStatus;
import dev.envforge.api.v1alpha1.EnvforgeApi.Conditions;
import dev.envforge.api.v1alpha1.Reason;
import dev.envforge.api.v1alpha1.PythonEnvironmentStatus;
import dev.envforge.api.v1alpha1.VariantPhase;
import dev.envforge.api.v1alpha1.VariantStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Builds a resource's status from what the reconciler found, as a pure function. A condition keeps its
 * lastTransitionTime while its status does not change, so an unchanged world gives an identical status and no write.
 */
public final class StatusAggregator {
  /** A problem that keeps the resource from being Ready: a CamelCase reason and a message. */
  public record Problem(Reason reason, String message) {}

  private StatusAggregator() {}

  public static PythonEnvironmentStatus aggregate(long generation, PythonEnvironmentStatus previous,
      List<VariantStatus> variants, Problem specProblem, Problem registryProblem, Clock clock) {
    PythonEnvironmentStatus status = new PythonEnvironmentStatus();
    status.setObservedGeneration(generation);
    status.setVariants(new ArrayList<>(variants));
    long ready = variants.stream().filter(StatusAggregator::hasImage).count();
    status.setVariantsReady(ready + "/" + variants.size());
    status.setImage(variants.isEmpty() ? null : variants.get(0).getImage());

    List<VariantStatus> building = variants.stream().filter(v -> v.getPhase() == VariantPhase.Building).toList();
    List<VariantStatus> failed = variants.stream().filter(v -> v.getPhase() == VariantPhase.Failed).toList();

    List<Condition> conditions = new ArrayList<>();
    Problem notReady = specProblem;
    if (notReady == null && !failed.isEmpty()) {
      notReady = new Problem(reasonOf(failed.get(0), Reason.BUILD_FAILED), describe(failed));
    }
    if (notReady == null && registryProblem != null) {
      notReady = registryProblem;
    }
    if (notReady == null && !building.isEmpty()) {
      notReady = new Problem(reasonOf(building.get(0), Reason.BUILD_RUNNING), describe(building));
    }
    boolean allReady = specProblem == null && !variants.isEmpty() && ready == variants.size();
    if (allReady) {
      boolean allCached = variants.stream().allMatch(v -> v.getPhase() == VariantPhase.Cached);
      conditions.add(condition(Conditions.READY, true, allCached ? Reason.CACHED : Reason.BUILT,
          "all " + variants.size() + " variant images exist" + (building.isEmpty() ? ""
              : "; a rebuild is running"), generation, previous, clock));
    } else {
      Problem p = notReady != null ? notReady
          : new Problem(Reason.CHECKING_REGISTRY, "checking the registry for the variants' images");
      // Unknown while the registry has not answered: nothing says yet whether the images exist
      boolean unknown = notReady == null || notReady == registryProblem;
      conditions.add(condition(Conditions.READY, unknown ? ConditionStatus.UNKNOWN : ConditionStatus.FALSE,
          p.reason(), p.message(), generation, previous, clock));
    }
    conditions.add(building.isEmpty()
        ? condition(Conditions.BUILDING, false, Reason.IDLE, "no build is running", generation, previous, clock)
        : condition(Conditions.BUILDING, true, reasonOf(building.get(0), Reason.BUILD_RUNNING), describe(building),
            generation, previous, clock));
    conditions.add(failed.isEmpty()
        ? condition(Conditions.FAILED, false, Reason.NO_FAILURE, "no build has failed", generation, previous, clock)
        : condition(Conditions.FAILED, true, reasonOf(failed.get(0), Reason.BUILD_FAILED), describe(failed),
            generation, previous, clock));
    conditions.add(specProblem == null
        ? condition(Conditions.INVALID_SPEC, false, Reason.SPEC_VALID, "the spec and its inputs are valid",
            generation, previous, clock)
        : condition(Conditions.INVALID_SPEC, true, specProblem.reason(), specProblem.message(), generation,
            previous, clock));
    conditions.add(registryProblem == null
        ? condition(Conditions.REGISTRY_UNAVAILABLE, false, Reason.REGISTRY_REACHABLE, "the registry answered",
            generation, previous, clock)
        : condition(Conditions.REGISTRY_UNAVAILABLE, true, registryProblem.reason(), registryProblem.message(),
            generation, previous, clock));
    boolean working = registryProblem != null || variants.stream().anyMatch(v -> v.getPhase() == VariantPhase.Pending
        || v.getPhase() == VariantPhase.Checking || v.getPhase() == VariantPhase.Building);
    conditions.addAll(ProgressConditions.derive(conditions, working, generation, previous, clock));
    keepOthersConditions(previous, conditions);
    status.setConditions(conditions);
    return status;
  }

  /** Conditions of types envforge does not write (another controller's, a newer envforge's) stay as they were. */
  private static void keepOthersConditions(PythonEnvironmentStatus previous, List<Condition> conditions) {
    if (previous == null || previous.getConditions() == null) {
      return;
    }
    java.util.Set<String> own = conditions.stream().map(Condition::getType).collect(Collectors.toSet());
    previous.getConditions().stream().filter(c -> c.getType() != null && !own.contains(c.getType()))
        .forEach(conditions::add);
  }

  /**
   * The status after a reconcile that threw (it is retried with backoff): the previous status with Ready=False,
   * reason ReconcileError and what failed. The other conditions and observedGeneration stay as they were: they
   * describe the last complete reconcile.
   */
  public static PythonEnvironmentStatus withReconcileError(PythonEnvironmentStatus previous, long generation,
      String message, Clock clock) {
    PythonEnvironmentStatus status = new PythonEnvironmentStatus();
    if (previous != null) {
      status.setObservedGeneration(previous.getObservedGeneration());
      status.setVariantsReady(previous.getVariantsReady());
      status.setImage(previous.getImage());
      status.setVariants(previous.getVariants() == null ? new ArrayList<>() : new ArrayList<>(previous.getVariants()));
      status.setViolatedPolicies(previous.getViolatedPolicies());
    }
    List<Condition> conditions = new ArrayList<>();
    conditions.add(condition(Conditions.READY, false, Reason.RECONCILE_ERROR, message, generation, previous, clock));
    if (previous != null && previous.getConditions() != null) {
      previous.getConditions().stream()
          .filter(c -> !List.of(Conditions.READY, Conditions.RECONCILING, Conditions.STALLED).contains(c.getType()))
          .forEach(conditions::add);
    }
    // retried with backoff: in progress, unless the spec itself needs a change
    conditions.addAll(ProgressConditions.derive(conditions, true, generation, previous, clock));
    status.setConditions(conditions);
    return status;
  }

  /**
   * Whether the variant's image exists: found in the registry or built, and still so while its tag is built again
   * (a forced rebuild, by this resource or another that shares the image).
   */
  static boolean hasImage(VariantStatus v) {
    return v.getImage() != null && (v.getPhase() == VariantPhase.Cached || v.getPhase() == VariantPhase.Succeeded
        || v.getPhase() == VariantPhase.Building);
  }

  /** A variant's reason; one this version does not know (a newer envforge's) reads as {@code otherwise}. */
  static Reason reasonOf(VariantStatus v, Reason otherwise) {
    return Reason.fromWire(v.getReason()).orElse(otherwise);
  }

  private static String describe(List<VariantStatus> variants) {
    return variants.stream().map(v -> "variant " + v.getName() + ": " + v.getMessage())
        .collect(Collectors.joining("; "));
  }

  private static Condition condition(String type, boolean isTrue, Reason reason, String message, long generation,
      PythonEnvironmentStatus previous, Clock clock) {
    return condition(type, isTrue ? ConditionStatus.TRUE : ConditionStatus.FALSE, reason, message, generation,
        previous, clock);
  }

  /** The longest condition message the API accepts (metav1.Condition's limit). */
  static final int MAX_MESSAGE = 32_768;

  /**
   * A condition that keeps its lastTransitionTime while its status stays the same; every condition envforge writes
   * is made here.
   */
  static Condition condition(String type, String status, Reason reason, String message, long generation,
      PythonEnvironmentStatus previous, Clock clock) {
    Optional<Condition> before = previous == null ? Optional.empty() : previous.condition(type);
    String transition = before.filter(c -> status.equals(c.getStatus()))
        .map(Condition::getLastTransitionTime)
        .orElseGet(() -> Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString());
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason.wire())
        .withMessage(message != null && message.length() > MAX_MESSAGE
            ? message.substring(0, MAX_MESSAGE - 3) + "..." : message)
        .withObservedGeneration(generation)
        .withLastTransitionTime(transition)
        .build();
  }
}
