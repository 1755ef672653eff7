package dev.envforge.operator;

import dev.envforge.api.v1alpha1.Reason;
import dev.envforge.api.v1alpha1.VariantPhase;
import dev.envforge.api.v1alpha1.VariantStatus;
import dev.envforge.core.planner.VariantPlan;
import dev.envforge.core.registry.ImageReference;
import dev.envforge.core.registry.ManifestCheck;
import dev.envforge.operator.StatusAggregator.Problem;
import dev.envforge.operator.VariantDecision.Adopt;
import dev.envforge.operator.VariantDecision.Cached;
import dev.envforge.operator.VariantDecision.ExistingBuild;
import dev.envforge.operator.VariantDecision.Follow;
import dev.envforge.operator.VariantDecision.Intent;
import dev.envforge.operator.VariantDecision.KeepFailure;
import dev.envforge.operator.VariantDecision.KeepImage;
import dev.envforge.operator.VariantDecision.Situation;
import dev.envforge.operator.VariantDecision.StartBuild;
import dev.envforge.operator.VariantDecision.WaitForClaim;
import dev.envforge.operator.VariantDecision.WaitForRegistry;

/**
 * The one place a variant's status is made: from the situation, the decided {@link Intent} and, for a build start,
 * what starting it gave. Pure.
 */
final class VariantProjection {
  private VariantProjection() {}

  /** What starting a build gave. */
  sealed interface BuildStart permits Created, AlreadyExists, ClaimedElsewhere {}

  /** This reconcile created the build Job, under the given token, at the given time. */
  record Created(String jobName, String rebuildToken, String startTime) implements BuildStart {}

  /** The build Job was there already (created meanwhile, not yet in the cache). */
  record AlreadyExists(String jobName) implements BuildStart {}

  /** Another reconcile holds the claim to create the build. */
  record ClaimedElsewhere(String jobRef) implements BuildStart {}

  /**
   * A variant's status, and what else the reconcile must know about it.
   *
   * @param registryProblem why the registry could not answer, or null
   * @param cacheHit whether the image was newly found in the registry without a build of this variant
   */
  record Projection(VariantStatus status, Problem registryProblem, boolean cacheHit) {}

  /**
   * @param started what starting the build gave; only for {@link StartBuild}, else null
   */
  static Projection project(Situation s, Intent intent, BuildStart started) {
    VariantStatus before = s.before();
    VariantStatus v = fromPlan(s.plan(), s.generation(), before == null ? s.rebuildToken() : before.getRebuildToken());
    if (intent instanceof WaitForClaim wait) {
      return plain(pending(v, s, wait.jobRef(), "waiting for build " + wait.jobRef() + " to start"));
    }
    if (intent instanceof Follow follow) {
      return plain(building(v, s, follow.build()));
    }
    if (intent instanceof KeepImage) {
      return plain(keepImage(v, before));
    }
    if (intent instanceof Adopt adopt) {
      return adopt(v, s, adopt.build(), adopt.registry());
    }
    if (intent instanceof KeepFailure keep) {
      return plain(keep.build() == null ? copyFailure(v, before) : failed(v, s, keep.build()));
    }
    if (intent instanceof Cached cached) {
      return cached(v, s, cached.registry());
    }
    if (intent instanceof WaitForRegistry wait) {
      return new Projection(registryUnknown(v, s, wait.registry()), registryProblem(wait.registry(), s.image()),
          false);
    }
    if (intent instanceof StartBuild) {
      return plain(started(v, s, started));
    }
    // AskRegistry: the reconciler asks and decides again before projecting
    throw new IllegalArgumentException("no status for " + intent + ": ask the registry and decide again first");
  }

  private static Projection plain(VariantStatus v) {
    return new Projection(v, null, false);
  }

  private static VariantStatus started(VariantStatus v, Situation s, BuildStart started) {
    if (started instanceof Created created) {
      v.setRebuildToken(created.rebuildToken());
      v.setStartTime(created.startTime());
      return pending(v, s, created.jobName(), "build Job " + created.jobName() + " created");
    }
    if (started instanceof AlreadyExists exists) {
      return pending(v, s, exists.jobName(), "build Job " + exists.jobName() + " already exists; following it");
    }
    if (started instanceof ClaimedElsewhere claimed) {
      return pending(v, s, claimed.jobRef(), "waiting for build " + claimed.jobRef() + " to start");
    }
    throw new IllegalArgumentException("a build start needs what starting it gave");
  }

  /** The variant's status with what the plan says; the intent adds the phase. */
  /** The plan's package counts: all packages, and those the project asks for itself where the format says. */
  static void setPackageCounts(VariantStatus v, dev.envforge.core.plan.InstallPlan plan) {
    v.setPackages(plan.packages().size());
    v.setRequestedPackages(plan.marksRequested() ? plan.requestedCount() : null);
  }

  /** What the plan says about the variant whatever its phase: package counts, Python, the builder and why. */
  static void setPlanFacts(VariantStatus v, VariantPlan plan) {
    setPackageCounts(v, plan.plan());
    v.setPython(plan.recipe().python());
    v.setBuilder(plan.recipe().builder().id());
    v.setBuilderReason(plan.builderReason());
  }

  private static VariantStatus fromPlan(VariantPlan plan, long generation, String rebuildToken) {
    VariantStatus v = new VariantStatus(plan.variant());
    v.setHash(plan.hash().hex());
    v.setTag(plan.hash().tag());
    setPlanFacts(v, plan);
    v.setGeneration(generation);
    v.setRebuildToken(rebuildToken);
    return v;
  }

  private static VariantStatus pending(VariantStatus v, Situation s, String jobRef, String message) {
    v.setPhase(VariantPhase.Building);
    v.setReason(Reason.BUILD_PENDING);
    v.setJobName(jobRef);
    v.setMessage(message);
    // an image that exists stays usable while its tag is built again
    v.setImage(s.knownImage());
    return v;
  }

  private static VariantStatus building(VariantStatus v, Situation s, ExistingBuild build) {
    v.setPhase(VariantPhase.Building);
    v.setReason(build.outcome().state() == BuildOutcome.State.RUNNING ? Reason.BUILD_RUNNING
        : build.outcome().reason() != null ? build.outcome().reason() : Reason.BUILD_PENDING);
    v.setJobName(build.jobRef());
    v.setStartTime(build.startTime());
    v.setMessage(build.outcome().message());
    v.setImage(s.knownImage());
    return v;
  }

  /** Everything the variant showed, for the same plan: someone else's build of its tag changes nothing yet. */
  private static VariantStatus keepImage(VariantStatus v, VariantStatus before) {
    v.setPhase(before.getPhase());
    v.setReason(before.getReason());
    v.setMessage(before.getMessage());
    v.setImage(before.getImage());
    v.setJobName(before.getJobName());
    v.setStartTime(before.getStartTime());
    v.setCompletionTime(before.getCompletionTime());
    v.setRebuildToken(before.getRebuildToken());
    return v;
  }

  private static Projection adopt(VariantStatus v, Situation s, ExistingBuild build, ManifestCheck check) {
    v.setRebuildToken(s.rebuildToken());
    v.setJobName(build.jobRef());
    v.setStartTime(build.startTime());
    v.setCompletionTime(build.completionTime());
    String pushed = build.outcome().digest();
    if (check.isPresent()) {
      v.setImage(s.image() + "@" + check.digest());
      v.setPhase(VariantPhase.Succeeded);
      v.setReason(Reason.BUILT);
      v.setMessage(pushed != null && !pushed.equals(check.digest())
          ? "image built; the registry now serves " + check.digest() + " for the tag (the build pushed "
              + pushed + ")"
          : "image built and pushed");
      return plain(v);
    }
    v.setPhase(VariantPhase.Checking);
    if (check.isUnknown()) {
      Problem problem = registryProblem(check, s.image());
      v.setReason(problem.reason());
      v.setMessage("the build finished; waiting for the registry to answer");
      return new Projection(v, problem, false);
    }
    v.setReason(Reason.CHECKING_REGISTRY);
    v.setMessage("the build finished but the registry does not show " + s.image() + " yet");
    return plain(v);
  }

  private static Projection cached(VariantStatus v, Situation s, ManifestCheck check) {
    VariantStatus before = s.before();
    v.setRebuildToken(s.rebuildToken());
    v.setImage(s.image() + "@" + check.digest());
    boolean builtHere = s.samePlan() && (before.getPhase() == VariantPhase.Succeeded
        || before.getPhase() == VariantPhase.Building);
    v.setPhase(builtHere ? VariantPhase.Succeeded : VariantPhase.Cached);
    v.setReason(builtHere ? Reason.BUILT : Reason.CACHED);
    v.setMessage(builtHere ? "image built and pushed" : "image already in the registry; nothing to build");
    if (builtHere) {
      v.setJobName(before.getJobName());
      v.setStartTime(before.getStartTime());
      v.setCompletionTime(before.getCompletionTime());
    }
    boolean reportedBefore = builtHere || (s.samePlan() && before.getPhase() == VariantPhase.Cached);
    return new Projection(v, null, !reportedBefore);
  }

  private static VariantStatus failed(VariantStatus v, Situation s, ExistingBuild build) {
    VariantStatus before = s.before();
    if (s.buildHasToken()) {
      v.setRebuildToken(s.rebuildToken());
    }
    if (s.samePlan() && before.getPhase() == VariantPhase.Failed) {
      // the generation the failure was reached at: a newer one tries again
      v.setGeneration(before.getGeneration());
    }
    v.setPhase(VariantPhase.Failed);
    v.setReason(build.outcome().reason());
    v.setMessage(build.outcome().message());
    v.setJobName(build.jobRef());
    v.setStartTime(build.startTime());
    v.setCompletionTime(build.completionTime());
    return v;
  }

  private static VariantStatus copyFailure(VariantStatus v, VariantStatus before) {
    v.setPhase(VariantPhase.Failed);
    v.setReason(before.getReason());
    v.setMessage(before.getMessage());
    v.setJobName(before.getJobName());
    v.setStartTime(before.getStartTime());
    v.setCompletionTime(before.getCompletionTime());
    v.setGeneration(before.getGeneration());
    v.setRebuildToken(before.getRebuildToken());
    return v;
  }

  private static VariantStatus registryUnknown(VariantStatus v, Situation s, ManifestCheck check) {
    v.setPhase(VariantPhase.Checking);
    VariantStatus before = s.before();
    if (s.samePlan() && before.getImage() != null && before.getImage().startsWith(s.image() + "@")) {
      // the image was there before; keep pointing at it while the registry cannot be asked
      v.setImage(before.getImage());
    }
    v.setReason(Reason.CHECKING_REGISTRY);
    v.setMessage("cannot tell whether the image exists: " + check.reason() + "; retrying");
    return v;
  }

  static Problem registryProblem(ManifestCheck check, ImageReference image) {
    Reason reason = switch (check.kind()) {
      case UNAUTHORIZED -> Reason.REGISTRY_UNAUTHORIZED;
      case TIMEOUT -> Reason.REGISTRY_TIMEOUT;
      default -> Reason.REGISTRY_ERROR;
    };
    return new Problem(reason, "registry " + image.registry() + " did not say whether " + image + " exists: "
        + check.reason() + "; retrying with backoff (nothing is built meanwhile)");
  }
}
