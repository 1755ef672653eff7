package dev.envforge.operator;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Keeps builds unique per image across the whole cluster: one active Job per (repository, tag), however many
 * resources in however many namespaces want that image. The Job informer's cache shows Jobs that exist; claims cover
 * the moment between deciding to create a Job and seeing it in the cache. Only the leader reconciles, so one
 * process's claims are enough.
 */
public final class BuildCoordinator {
  /** A claim older than this is forgotten: its Job was created and then deleted before the cache saw it. */
  static final Duration CLAIM_LIFETIME = Duration.ofMinutes(2);

  private record Claim(String jobRef, Instant at) {}

  private final ConcurrentHashMap<String, Claim> claims = new ConcurrentHashMap<>();
  /** UIDs of Jobs this operator deleted, so a cache that has not yet seen the deletion does not bring them back. */
  private final ConcurrentHashMap<String, Instant> deletedJobs = new ConcurrentHashMap<>();
  private final Function<String, List<Job>> jobsByImageKey;
  private final Clock clock;

  public BuildCoordinator(Function<String, List<Job>> jobsByImageKey, Clock clock) {
    this.jobsByImageKey = jobsByImageKey;
    this.clock = clock;
  }

  /** The newest Job for an image, in any watched namespace. */
  public Optional<Job> existingJob(String imageKey) {
    return jobsByImageKey.apply(imageKey).stream()
        .filter(j -> j.getMetadata().getDeletionTimestamp() == null && !deletedJobs.containsKey(uid(j)))
        .max(Comparator.comparing(j -> j.getMetadata().getCreationTimestamp() == null ? ""
            : j.getMetadata().getCreationTimestamp()));
  }

  /**
   * Claims the right to create the Job of an image. Returns empty when the caller now holds the claim, or the
   * holder's "namespace/name" otherwise.
   */
  public Optional<String> claim(String imageKey, String jobRef) {
    Instant now = Instant.now(clock);
    Claim held = claims.compute(imageKey, (key, current) ->
        current == null || current.at().plus(CLAIM_LIFETIME).isBefore(now) ? new Claim(jobRef, now) : current);
    return held.jobRef().equals(jobRef) ? Optional.empty() : Optional.of(held.jobRef());
  }

  /** Drops a claim once its Job is visible in the cache, or when its creation failed. */
  public void release(String imageKey) {
    claims.remove(imageKey);
  }

  /**
   * Records that the operator deleted a Job (to replace it with a new build). Until the cache shows the deletion,
   * {@link #existingJob} skips it: otherwise the old Job's outcome would be read as the new build's.
   */
  public void deleted(Job job) {
    Instant now = Instant.now(clock);
    deletedJobs.values().removeIf(at -> at.plus(CLAIM_LIFETIME).isBefore(now));
    deletedJobs.put(uid(job), now);
  }

  private static String uid(Job job) {
    return job.getMetadata().getUid() == null ? "" : job.getMetadata().getUid();
  }

  /** The holder of a claim whose Job is not yet in the cache. */
  public Optional<String> pendingClaim(String imageKey) {
    Claim claim = claims.get(imageKey);
    return claim == null || claim.at().plus(CLAIM_LIFETIME).isBefore(Instant.now(clock)) ? Optional.empty()
        : Optional.of(claim.jobRef());
  }
}
