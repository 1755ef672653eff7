package dev.envforge.operator;

import dev.envforge.api.v1alpha1.EnvforgeApi.Reasons;
import dev.envforge.api.v1alpha1.VariantPhase;
import dev.envforge.api.v1alpha1.VariantStatus;
import dev.envforge.core.planner.VariantPlan;
import dev.envforge.core.registry.ImageReference;
import dev.envforge.core.registry.ManifestCheck;
import dev.envforge.operator.StatusAggregator.Problem;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.Objects;

/**
 * The state machine of one variant, as a pure function: from the variant's previous status, its plan, the image's
 * build Job (if any) and the registry's answer it decides whether to follow a build, adopt a finished one, keep a
 * failure, report the image or start a build, and what the variant's status is then. {@link VariantReconciler}
 * gathers the facts and carries the decision out.
 */
final class VariantDecision {
  private VariantDecision() {}

  /**
   * The newest build Job of the variant's image, in any namespace, as far as the decision needs it.
   *
   * @param jobRef the Job's name, or "namespace/name" when it is in another namespace than the resource
   * @param inOwnNamespace whether the Job is in the resource's namespace: only then may it be replaced
   * @param rebuildToken the spec.rebuildToken the Job was created under, or null
   * @param startTime when the build started, or when the Job was created
   * @param completionTime when the build finished, or null
   * @param outcome what the Job and its Pods say about the build
   */
  record ExistingBuild(String jobRef, boolean inOwnNamespace, String rebuildToken, String startTime,
      String completionTime, BuildOutcome outcome) {
    static ExistingBuild of(Job job, String namespace, BuildOutcome outcome) {
      String jobNamespace = job.getMetadata().getNamespace();
      String token = job.getMetadata().getAnnotations() == null ? null
          : job.getMetadata().getAnnotations().get(Labels.REBUILD_TOKEN_ANNOTATION);
      return new ExistingBuild(relativeJobRef(jobNamespace + "/" + job.getMetadata().getName(), namespace),
          jobNamespace.equals(namespace), token, startTime(job), completionTime(job), outcome);
    }

    private static String startTime(Job job) {
      if (job.getStatus() != null && job.getStatus().getStartTime() != null) {
        return job.getStatus().getStartTime();
      }
      return job.getMetadata().getCreationTimestamp();
    }

    private static String completionTime(Job job) {
      if (job.getStatus() == null) {
        return null;
      }
      if (job.getStatus().getCompletionTime() != null) {
        return job.getStatus().getCompletionTime();
      }
      // a failed Job has no completionTime; its Failed condition says when it ended
      return job.getStatus().getConditions() == null ? null : job.getStatus().getConditions().stream()
          .filter(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus()))
          .map(c -> c.getLastTransitionTime()).findFirst().orElse(null);
    }
  }

  /**
   * Everything one variant's decision depends on.
   *
   * @param before the variant's previous status, or null for a new resource or variant
   * @param plan the variant's plan
   * @param image the image the plan is built as (repository:tag)
   * @param generation the resource's metadata.generation
   * @param rebuildToken spec.rebuildToken, or null
   * @param existingBuild the image's newest build Job, or null when there is none
   * @param claimedBy the build claimed by another reconcile whose Job is not in the cache yet, or null
   * @param registry the registry's answer for the image, or null while it has not been asked
   */
  record Situation(VariantStatus before, VariantPlan plan, ImageReference image, long generation,
      String rebuildToken, ExistingBuild existingBuild, String claimedBy, ManifestCheck registry) {
    Situation withRegistry(ManifestCheck answer) {
      return new Situation(before, plan, image, generation, rebuildToken, existingBuild, claimedBy, answer);
    }
  }

  /** What to do for a variant. */
  sealed interface Decision permits Report, AskRegistry, StartBuild {}

  /**
   * Nothing to change: the variant's status is known.
   *
   * @param registryProblem why the registry could not answer, or null
   * @param cacheHit whether the image was newly found in the registry without a build
   */
  record Report(VariantStatus status, Problem registryProblem, boolean cacheHit) implements Decision {}

  /** The registry must be asked whether the image exists; decide again with its answer. */
  record AskRegistry() implements Decision {}

  /**
   * Start a build of the image.
   *
   * @param status the variant's status so far; complete it with {@link #waitingFor}, {@link #buildCreated} or
   *     {@link #buildExists}, depending on what starting the build gave
   * @param replaceExisting whether the existing, finished Job must be deleted first (it has the new Job's name)
   */
  record StartBuild(VariantStatus status, boolean replaceExisting) implements Decision {}

  private static final AskRegistry ASK_REGISTRY = new AskRegistry();

  static Decision decide(Situation s) {
    VariantStatus before = s.before();
    String token = s.rebuildToken();
    boolean samePlan = before != null && s.plan().hash().hex().equals(before.getHash());
    // a new token forces one build; a new resource (or variant) adopts its token without building
    boolean forced = token != null && before != null && !token.equals(before.getRebuildToken());
    VariantStatus v = fromPlan(s.plan(), s.generation(), before == null ? token : before.getRebuildToken());

    if (s.existingBuild() != null) {
      return followOrReplace(s, v, samePlan, forced);
    }
    if (s.claimedBy() != null) {
      return report(waitingFor(v, s.claimedBy()));
    }
    if (!forced && samePlan && before.getPhase() == VariantPhase.Failed
        && Objects.equals(before.getGeneration(), s.generation()) && Objects.equals(before.getRebuildToken(), token)) {
      // no retry storm: a failed build is tried again only after a spec change or a new rebuild token
      return report(copyFailure(v, before));
    }
    if (forced) {
      return new StartBuild(v, false);
    }
    if (s.registry() == null) {
      return ASK_REGISTRY;
    }
    return fromRegistry(s, v, samePlan);
  }

  private static Decision followOrReplace(Situation s, VariantStatus v, boolean samePlan, boolean forced) {
    ExistingBuild job = s.existingBuild();
    VariantStatus before = s.before();
    String token = s.rebuildToken();
    boolean jobHasToken = !forced || token.equals(job.rebuildToken());
    BuildOutcome outcome = job.outcome();
    if (!outcome.finished()) {
      return report(building(v, job));
    }
    if (outcome.state() == BuildOutcome.State.SUCCEEDED && jobHasToken) {
      if (s.registry() == null) {
        return ASK_REGISTRY;
      }
      v.setRebuildToken(token);
      return afterSuccessfulBuild(v, job, s.image(), s.registry());
    }
    if (outcome.state() == BuildOutcome.State.FAILED) {
      boolean retry = (samePlan && before.getPhase() == VariantPhase.Failed && before.getGeneration() != null
          && before.getGeneration() < s.generation()) || (forced && !jobHasToken);
      if (!retry) {
        if (jobHasToken) {
          v.setRebuildToken(token);
        }
        if (samePlan && before.getPhase() == VariantPhase.Failed) {
          v.setGeneration(before.getGeneration());
        }
        return report(failed(v, job));
      }
    }
    // a finished build that does not answer this request: remove it so the new one can take its name
    return new StartBuild(v, job.inOwnNamespace());
  }

  private static Decision fromRegistry(Situation s, VariantStatus v, boolean samePlan) {
    VariantStatus before = s.before();
    ManifestCheck check = s.registry();
    if (check.isPresent()) {
      v.setRebuildToken(s.rebuildToken());
      v.setImage(s.image() + "@" + check.digest());
      boolean builtHere = samePlan && (before.getPhase() == VariantPhase.Succeeded
          || before.getPhase() == VariantPhase.Building);
      v.setPhase(builtHere ? VariantPhase.Succeeded : VariantPhase.Cached);
      v.setReason(builtHere ? Reasons.BUILT : Reasons.CACHED);
      v.setMessage(builtHere ? "image built and pushed" : "image already in the registry; nothing to build");
      if (builtHere) {
        v.setJobName(before.getJobName());
        v.setStartTime(before.getStartTime());
        v.setCompletionTime(before.getCompletionTime());
      }
      return new Report(v, null, !builtHere && !(samePlan && before.getPhase() == VariantPhase.Cached));
    }
    if (check.isUnknown()) {
      return new Report(registryUnknown(v, before, samePlan, check), registryProblem(check, s.image()), false);
    }
    return new StartBuild(v, false);
  }

  private static Report afterSuccessfulBuild(VariantStatus v, ExistingBuild job, ImageReference image,
      ManifestCheck check) {
    v.setJobName(job.jobRef());
    v.setStartTime(job.startTime());
    v.setCompletionTime(job.completionTime());
    String pushed = job.outcome().digest();
    if (check.isPresent()) {
      v.setImage(image + "@" + check.digest());
      v.setPhase(VariantPhase.Succeeded);
      v.setReason(Reasons.BUILT);
      v.setMessage(pushed != null && !pushed.equals(check.digest())
          ? "image built; the registry now serves " + check.digest() + " for the tag (the build pushed "
              + pushed + ")"
          : "image built and pushed");
      return report(v);
    }
    if (check.isUnknown()) {
      Problem problem = registryProblem(check, image);
      v.setPhase(VariantPhase.Checking);
      v.setReason(problem.reason());
      v.setMessage("the build finished; waiting for the registry to answer");
      return new Report(v, problem, false);
    }
    v.setPhase(VariantPhase.Checking);
    v.setReason(Reasons.CHECKING_REGISTRY);
    v.setMessage("the build finished but the registry does not show " + image + " yet");
    return report(v);
  }

  /** The variant's status with what the plan says; the decision adds the phase. */
  private static VariantStatus fromPlan(VariantPlan plan, long generation, String rebuildToken) {
    VariantStatus v = new VariantStatus(plan.variant());
    v.setHash(plan.hash().hex());
    v.setTag(plan.hash().tag());
    v.setPackages(plan.plan().packages().size());
    v.setRequestedPackages(plan.plan().marksRequested() ? plan.plan().requestedCount() : null);
    v.setPython(plan.recipe().python());
    v.setGeneration(generation);
    v.setRebuildToken(rebuildToken);
    return v;
  }

  private static VariantStatus building(VariantStatus v, ExistingBuild job) {
    v.setPhase(VariantPhase.Building);
    v.setReason(job.outcome().state() == BuildOutcome.State.RUNNING ? Reasons.BUILD_RUNNING
        : job.outcome().reason() != null ? job.outcome().reason() : Reasons.BUILD_PENDING);
    v.setJobName(job.jobRef());
    v.setStartTime(job.startTime());
    v.setMessage(job.outcome().message());
    return v;
  }

  private static VariantStatus failed(VariantStatus v, ExistingBuild job) {
    v.setPhase(VariantPhase.Failed);
    v.setReason(job.outcome().reason());
    v.setMessage(job.outcome().message());
    v.setJobName(job.jobRef());
    v.setStartTime(job.startTime());
    v.setCompletionTime(job.completionTime());
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

  private static VariantStatus registryUnknown(VariantStatus v, VariantStatus before, boolean samePlan,
      ManifestCheck check) {
    v.setPhase(VariantPhase.Checking);
    if (samePlan && before.getImage() != null) {
      // the image was there before; keep pointing at it while the registry cannot be asked
      v.setImage(before.getImage());
    }
    v.setReason(Reasons.CHECKING_REGISTRY);
    v.setMessage("cannot tell whether the image exists: " + check.reason() + "; retrying");
    return v;
  }

  /** A build of the image is claimed, by another resource or an earlier reconcile, but not yet running. */
  static VariantStatus waitingFor(VariantStatus v, String jobRef) {
    return buildPending(v, jobRef, "waiting for build " + jobRef + " to start");
  }

  /** This reconcile created the build Job: the variant now carries the token it was built under. */
  static VariantStatus buildCreated(VariantStatus v, String jobName, String rebuildToken, String startTime) {
    v.setRebuildToken(rebuildToken);
    v.setStartTime(startTime);
    return buildPending(v, jobName, "build Job " + jobName + " created");
  }

  /** The build Job was there already (created meanwhile, not yet in the cache): follow it. */
  static VariantStatus buildExists(VariantStatus v, String jobName) {
    return buildPending(v, jobName, "build Job " + jobName + " already exists; following it");
  }

  private static VariantStatus buildPending(VariantStatus v, String jobRef, String message) {
    v.setPhase(VariantPhase.Building);
    v.setReason(Reasons.BUILD_PENDING);
    v.setJobName(jobRef);
    v.setMessage(message);
    return v;
  }

  static Problem registryProblem(ManifestCheck check, ImageReference image) {
    String reason = switch (check.kind()) {
      case UNAUTHORIZED -> Reasons.REGISTRY_UNAUTHORIZED;
      case TIMEOUT -> Reasons.REGISTRY_TIMEOUT;
      default -> Reasons.REGISTRY_ERROR;
    };
    return new Problem(reason, "registry " + image.registry() + " did not say whether " + image + " exists: "
        + check.reason() + "; retrying with backoff (nothing is built meanwhile)");
  }

  /** "namespace/name" of a Job, as just "name" when it is in the resource's own namespace. */
  static String relativeJobRef(String namespacedRef, String namespace) {
    return namespacedRef.startsWith(namespace + "/") ? namespacedRef.substring(namespace.length() + 1)
        : namespacedRef;
  }

  private static Report report(VariantStatus v) {
    return new Report(v, null, false);
  }
}
