package dev.envforge.gitops;

import dev.envforge.api.v1alpha1.EnvforgeApi.Conditions;
import dev.envforge.api.v1alpha1.Reason;
import dev.envforge.api.v1alpha1.ConfigMapSource;
import dev.envforge.api.v1alpha1.ImageTarget;
import dev.envforge.api.v1alpha1.LockSource;
import dev.envforge.api.v1alpha1.PythonEnvironment;
import dev.envforge.api.v1alpha1.PythonEnvironmentSpec;
import dev.envforge.api.v1alpha1.PythonEnvironmentStatus;
import dev.envforge.api.v1alpha1.VariantPhase;
import dev.envforge.api.v1alpha1.VariantStatus;
import dev.envforge.operator.ProgressConditions;
import dev.envforge.operator.StatusAggregator;
import dev.envforge.operator.StatusAggregator.Problem;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Every kind of status the operator writes, made by the operator's own status functions: each variant phase and
 * reason for one and two variants, with and without a registry problem and a spec problem, after a reconcile
 * error, while suspended, and before the operator saw the latest generation. Each comes with the health a GitOps
 * tool must see, stated from what the resource means, not from the conditions.
 */
public final class OperatorStatuses {

  /** Health as kstatus names it. */
  public enum Health { CURRENT, IN_PROGRESS, FAILED }

  /** One resource as the operator leaves it, and the health it must read as. */
  public record Case(String name, PythonEnvironment resource, Health expected) {}

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);
  private static final long GENERATION = 3;

  /** One variant state: phase, reason, whether it has an image. */
  private record State(VariantPhase phase, String reason) {
    boolean hasImage() {
      return phase == VariantPhase.Cached || phase == VariantPhase.Succeeded;
    }

    boolean inProgress() {
      return phase == VariantPhase.Pending || phase == VariantPhase.Checking || phase == VariantPhase.Building;
    }
  }

  private static final List<State> STATES = List.of(
      new State(VariantPhase.Pending, Reason.CHECKING_REGISTRY.wire()),
      new State(VariantPhase.Checking, Reason.CHECKING_REGISTRY.wire()),
      new State(VariantPhase.Cached, Reason.CACHED.wire()),
      new State(VariantPhase.Building, Reason.BUILD_PENDING.wire()),
      new State(VariantPhase.Building, Reason.BUILD_RUNNING.wire()),
      new State(VariantPhase.Building, Reason.QUOTA_EXCEEDED.wire()),
      new State(VariantPhase.Building, Reason.SERVICE_ACCOUNT_NOT_FOUND.wire()),
      new State(VariantPhase.Building, Reason.UNSCHEDULABLE.wire()),
      new State(VariantPhase.Building, Reason.BUILD_CANNOT_START.wire()),
      new State(VariantPhase.Succeeded, Reason.BUILT.wire()),
      new State(VariantPhase.Failed, Reason.BUILD_FAILED.wire()),
      new State(VariantPhase.Failed, Reason.OOM_KILLED.wire()),
      new State(VariantPhase.Failed, Reason.DEADLINE_EXCEEDED.wire()),
      new State(VariantPhase.Failed, Reason.BUILDER_IMAGE_PULL_FAILED.wire()),
      new State(VariantPhase.Failed, Reason.PUSH_DENIED.wire()),
      new State(VariantPhase.Failed, Reason.INSTALL_FAILED.wire()),
      new State(VariantPhase.Failed, Reason.POD_SECURITY_REJECTED.wire()),
      new State(VariantPhase.Failed, Reason.UNSCHEDULABLE.wire()),
      new State(VariantPhase.Failed, Reason.QUOTA_EXCEEDED.wire()));

  private static final List<Problem> REGISTRY_PROBLEMS = List.of(
      new Problem(Reason.REGISTRY_UNAUTHORIZED, "the registry answered 401"),
      new Problem(Reason.REGISTRY_ERROR, "the registry answered 500"),
      new Problem(Reason.REGISTRY_TIMEOUT, "the registry did not answer in 10s"));

  private static final List<Problem> SPEC_PROBLEMS = List.of(
      new Problem(Reason.INVALID_SPEC, "spec.variants[0].groups: unknown group \"docs\""),
      new Problem(Reason.INVALID_LOCK, "poetry.lock:3:1: expected a table"),
      new Problem(Reason.UNSUPPORTED_LOCK_FORMAT, "the lock's format could not be detected"),
      new Problem(Reason.SECRET_NOT_FOUND, "Secret \"index\" not found"),
      new Problem(Reason.CONFIG_MAP_NOT_FOUND, "ConfigMap \"lock\" not found"),
      new Problem(Reason.KEY_NOT_FOUND, "ConfigMap \"lock\" has no key \"uv.lock\""));

  private OperatorStatuses() {}

  /** All cases; names are unique and usable as file names. */
  public static List<Case> all() {
    List<Case> cases = new ArrayList<>();
    List<List<State>> combinations = new ArrayList<>();
    STATES.forEach(s -> combinations.add(List.of(s)));
    STATES.forEach(a -> STATES.forEach(b -> combinations.add(List.of(a, b))));
    for (List<State> states : combinations) {
      List<VariantStatus> variants = variants(states);
      String name = name(states);
      boolean allImages = states.stream().allMatch(State::hasImage);
      boolean anyInProgress = states.stream().anyMatch(State::inProgress);
      Health plain = allImages ? Health.CURRENT : anyInProgress ? Health.IN_PROGRESS : Health.FAILED;
      PythonEnvironmentStatus status = StatusAggregator.aggregate(GENERATION, null, variants, null, null, CLOCK);
      cases.add(new Case(name, resource(GENERATION, status, false), plain));
      for (Problem registry : REGISTRY_PROBLEMS) {
        PythonEnvironmentStatus s = StatusAggregator.aggregate(GENERATION, null, variants, null, registry, CLOCK);
        // the registry is retried: in progress unless every image is known to exist
        cases.add(new Case(name + "-" + registry.reason(), resource(GENERATION, s, false),
            allImages ? Health.CURRENT : Health.IN_PROGRESS));
      }
      for (Problem spec : SPEC_PROBLEMS) {
        PythonEnvironmentStatus s = StatusAggregator.aggregate(GENERATION, status, variants, spec, null, CLOCK);
        // a spec problem needs a person, whatever the variants last showed
        cases.add(new Case(name + "-" + spec.reason(), resource(GENERATION, s, false), Health.FAILED));
        PythonEnvironmentStatus error = StatusAggregator.withReconcileError(s, GENERATION, "reconciling failed,"
            + " retrying with backoff: the API server answered HTTP 500", CLOCK);
        cases.add(new Case(name + "-" + spec.reason() + "-ReconcileError", resource(GENERATION, error, false),
            Health.FAILED));
      }
      PythonEnvironmentStatus error = StatusAggregator.withReconcileError(status, GENERATION,
          "reconciling failed, retrying with backoff: the API server answered HTTP 500", CLOCK);
      cases.add(new Case(name + "-ReconcileError", resource(GENERATION, error, false), Health.IN_PROGRESS));
      // a newer spec the operator has not seen yet
      cases.add(new Case(name + "-newerGeneration", resource(GENERATION + 1, status, false), Health.IN_PROGRESS));
      PythonEnvironmentStatus errorOnNewer = StatusAggregator.withReconcileError(status, GENERATION + 1,
          "reconciling failed, retrying with backoff: the API server answered HTTP 500", CLOCK);
      cases.add(new Case(name + "-newerGeneration-ReconcileError", resource(GENERATION + 1, errorOnNewer, false),
          Health.IN_PROGRESS));
      // suspended: a Ready resource stays Current; anything else is not Current (Ready=False, reason Suspended)
      PythonEnvironmentStatus suspended = ProgressConditions.suspended(status, GENERATION, CLOCK);
      cases.add(new Case(name + "-suspended", resource(GENERATION, suspended, true),
          allImages ? Health.CURRENT : Health.IN_PROGRESS));
    }
    return cases;
  }

  private static List<VariantStatus> variants(List<State> states) {
    List<VariantStatus> variants = new ArrayList<>();
    for (int i = 0; i < states.size(); i++) {
      State state = states.get(i);
      VariantStatus v = new VariantStatus(i == 0 ? "default" : "gpu");
      v.setPhase(state.phase());
      v.setReason(state.reason());
      v.setMessage(state.phase() + " because " + state.reason());
      v.setGeneration(GENERATION);
      if (state.hasImage()) {
        v.setImage("registry.example/envs/app:py3.12-abc" + i + "@sha256:" + "0".repeat(63) + i);
      }
      variants.add(v);
    }
    return variants;
  }

  private static String name(List<State> states) {
    StringBuilder name = new StringBuilder();
    for (State s : states) {
      name.append(name.length() == 0 ? "" : "+").append(s.phase()).append("-").append(s.reason());
    }
    return name.toString();
  }

  static PythonEnvironment resource(long generation, PythonEnvironmentStatus status, boolean suspend) {
    PythonEnvironment resource = new PythonEnvironment();
    resource.setMetadata(new ObjectMetaBuilder().withName("app").withNamespace("team")
        .withGeneration(generation).build());
    PythonEnvironmentSpec spec = new PythonEnvironmentSpec();
    LockSource source = new LockSource();
    source.setConfigMapRef(new ConfigMapSource("app-lock"));
    spec.setSource(source);
    ImageTarget image = new ImageTarget();
    image.setRepository("registry.example/envs/app");
    spec.setImage(image);
    spec.setSuspend(suspend);
    resource.setSpec(spec);
    resource.setStatus(status);
    return resource;
  }

  /** The conditions a GitOps tool reads; the test asserts at least these exist on every written status. */
  static final List<String> PROGRESS_CONDITIONS = List.of(Conditions.RECONCILING, Conditions.STALLED);
}
