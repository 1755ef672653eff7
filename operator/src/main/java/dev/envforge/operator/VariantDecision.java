package dev.envforge.operator;

import dev.envforge.api.v1alpha1.VariantPhase;
import dev.envforge.api.v1alpha1.VariantStatus;
import dev.envforge.core.planner.VariantPlan;
import dev.envforge.core.registry.ImageReference;
import dev.envforge.core.registry.ManifestCheck;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * The state machine of one variant, as a pure function: from the variant's previous status, its plan, the image's
 * build Job (if any) and the registry's answer it decides what to do, as an {@link Intent}. It says nothing about
 * the status: {@link VariantProjection} turns the intent and what carrying it out gave into the variant's status.
 * {@link VariantReconciler} gathers the facts and carries the intent out.
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

    /**
     * The earliest time a registry answer may be from to describe the image after this build: the completion
     * time's second ends after it (API times have whole seconds). Null while the build runs or when unknown.
     */
    Instant answersNotBefore() {
      if (completionTime == null) {
        return null;
      }
      try {
        return Instant.parse(completionTime).plusSeconds(1);
      } catch (DateTimeParseException e) {
        return null;
      }
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

    /** Whether the previous status is of the same plan (same hash, so the same tag). */
    boolean samePlan() {
      return before != null && plan.hash().hex().equals(before.getHash());
    }

    /** A new token forces one build; a new resource (or variant) adopts its token without building. */
    boolean forced() {
      return rebuildToken != null && before != null && !rebuildToken.equals(before.getRebuildToken());
    }

    /** Whether the existing build answers this request: it was made under the current token, or none is forced. */
    boolean buildHasToken() {
      return !forced() || rebuildToken.equals(existingBuild.rebuildToken());
    }

    /**
     * The image the previous status showed as existing, when it is this very repository and tag; else null.
     * While it is there, the variant is Ready, whatever builds run for the tag.
     */
    String knownImage() {
      if (before == null || before.getImage() == null || !before.getImage().startsWith(image + "@")) {
        return null;
      }
      VariantPhase phase = before.getPhase();
      return phase == VariantPhase.Cached || phase == VariantPhase.Succeeded || phase == VariantPhase.Building
          ? before.getImage() : null;
    }

    /** Whether the variant follows the given build: it waited for it or started it, and then adopted it. */
    boolean following(ExistingBuild build) {
      return before != null && build.jobRef().equals(before.getJobName())
          && (before.getPhase() == VariantPhase.Building || before.getPhase() == VariantPhase.Checking
              || before.getPhase() == VariantPhase.Succeeded);
    }

    /** Whether the image existed for this variant, outside any build of its own. */
    boolean settledWithImage() {
      return !forced() && knownImage() != null
          && (before.getPhase() == VariantPhase.Cached || before.getPhase() == VariantPhase.Succeeded);
    }
  }

  /** What to do for a variant. */
  sealed interface Intent permits AskRegistry, WaitForClaim, Follow, KeepImage, Adopt, KeepFailure, Cached,
      WaitForRegistry, StartBuild {}

  /**
   * The registry must be asked whether the image exists; decide again with its answer.
   *
   * @param notBefore an answer from before this time (a cached one) does not count, or null for any
   */
  record AskRegistry(Instant notBefore) implements Intent {}

  /** A build of the image is claimed by another reconcile and its Job is not visible yet: wait for it. */
  record WaitForClaim(String jobRef) implements Intent {}

  /** Follow the image's build, which is pending or running. */
  record Follow(ExistingBuild build) implements Intent {}

  /**
   * The image exists and someone else builds its tag again: nothing changes for this variant until it is done.
   *
   * @param build the running build, or null while it is only claimed
   */
  record KeepImage(ExistingBuild build) implements Intent {}

  /** The build this variant followed finished; the registry's answer says whether its image is there. */
  record Adopt(ExistingBuild build, ManifestCheck registry) implements Intent {}

  /** The build failed and is not tried again until the spec or the rebuild token changes. */
  record KeepFailure(ExistingBuild build) implements Intent {}

  /** The image exists in the registry; no build of this variant made it (or it was reported already). */
  record Cached(ManifestCheck registry) implements Intent {}

  /** The registry could not say whether the image exists: nothing is built, the question is asked again. */
  record WaitForRegistry(ManifestCheck registry) implements Intent {}

  /**
   * Start a build of the image.
   *
   * @param replaceExisting whether the existing, finished Job must be deleted first (it has the new Job's name)
   */
  record StartBuild(boolean replaceExisting) implements Intent {}

  static Intent decide(Situation s) {
    VariantStatus before = s.before();
    if (s.existingBuild() != null) {
      return withExistingBuild(s);
    }
    if (s.claimedBy() != null) {
      return s.settledWithImage() ? new KeepImage(null) : new WaitForClaim(s.claimedBy());
    }
    if (!s.forced() && s.samePlan() && before.getPhase() == VariantPhase.Failed
        && Objects.equals(before.getGeneration(), s.generation())
        && Objects.equals(before.getRebuildToken(), s.rebuildToken())) {
      // no retry storm: a failed build is tried again only after a spec change or a new rebuild token
      return new KeepFailure(null);
    }
    if (s.forced()) {
      return new StartBuild(false);
    }
    if (s.registry() == null) {
      return new AskRegistry(null);
    }
    return fromRegistry(s.registry(), false);
  }

  private static Intent withExistingBuild(Situation s) {
    ExistingBuild build = s.existingBuild();
    VariantStatus before = s.before();
    BuildOutcome outcome = build.outcome();
    if (!outcome.finished()) {
      return s.settledWithImage() ? new KeepImage(build) : new Follow(build);
    }
    if (outcome.state() == BuildOutcome.State.SUCCEEDED && s.buildHasToken()) {
      // the build may have pushed a new digest: an answer from before it finished is stale
      if (s.registry() == null) {
        return new AskRegistry(build.answersNotBefore());
      }
      if (s.following(build) || !s.registry().isPresent()) {
        return new Adopt(build, s.registry());
      }
      return new Cached(s.registry());
    }
    if (outcome.state() == BuildOutcome.State.FAILED && s.settledWithImage()) {
      // someone else's rebuild failed; this variant's image is still the one it had
      if (s.registry() == null) {
        return new AskRegistry(null);
      }
      return fromRegistry(s.registry(), build.inOwnNamespace());
    }
    if (outcome.state() == BuildOutcome.State.FAILED) {
      boolean retry = (s.samePlan() && before.getPhase() == VariantPhase.Failed && before.getGeneration() != null
          && before.getGeneration() < s.generation()) || !s.buildHasToken();
      if (!retry) {
        return new KeepFailure(build);
      }
    }
    // a finished build that does not answer this request: remove it so the new one can take its name
    return new StartBuild(build.inOwnNamespace());
  }

  private static Intent fromRegistry(ManifestCheck check, boolean replaceExisting) {
    if (check.isPresent()) {
      return new Cached(check);
    }
    if (check.isUnknown()) {
      return new WaitForRegistry(check);
    }
    return new StartBuild(replaceExisting);
  }

  /** "namespace/name" of a Job, as just "name" when it is in the resource's own namespace. */
  static String relativeJobRef(String namespacedRef, String namespace) {
    return namespacedRef.startsWith(namespace + "/") ? namespacedRef.substring(namespace.length() + 1)
        : namespacedRef;
  }
}
