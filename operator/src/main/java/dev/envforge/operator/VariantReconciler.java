package dev.envforge.operator;

import dev.envforge.api.v1alpha1.PythonEnvironment;
import dev.envforge.api.v1alpha1.VariantPhase;
import dev.envforge.api.v1alpha1.VariantStatus;
import dev.envforge.core.planner.VariantPlan;
import dev.envforge.core.recipe.BuildContext;
import dev.envforge.core.registry.ImageReference;
import dev.envforge.operator.ResourceInputs.Inputs;
import dev.envforge.operator.StatusAggregator.Problem;
import dev.envforge.operator.VariantDecision.AskRegistry;
import dev.envforge.operator.VariantDecision.Decision;
import dev.envforge.operator.VariantDecision.ExistingBuild;
import dev.envforge.operator.VariantDecision.Report;
import dev.envforge.operator.VariantDecision.Situation;
import dev.envforge.operator.VariantDecision.StartBuild;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out {@link VariantDecision} for one variant: gathers the facts (the build caches, the registry when the
 * decision needs it) and starts or replaces the image's one build Job.
 */
final class VariantReconciler {
  private static final Logger LOG = LoggerFactory.getLogger(VariantReconciler.class);

  /** The status of one variant, and a registry problem when the registry could not answer. */
  record VariantResult(VariantStatus status, Problem registryProblem) {}

  private final BuildCoordinator coordinator;
  private final Function<Job, List<Pod>> podsOf;
  private final ImageRegistry registry;
  private final BuildObjects buildObjects;
  private final BuilderDefaults builderDefaults;
  private final OperatorMetrics metrics;
  private final TransitionEvents transitions;
  private final Clock clock;

  VariantReconciler(BuildCoordinator coordinator, Function<Job, List<Pod>> podsOf, ImageRegistry registry,
      BuildObjects buildObjects, BuilderDefaults builderDefaults, OperatorMetrics metrics,
      TransitionEvents transitions, Clock clock) {
    this.coordinator = coordinator;
    this.podsOf = podsOf;
    this.registry = registry;
    this.buildObjects = buildObjects;
    this.builderDefaults = builderDefaults;
    this.metrics = metrics;
    this.transitions = transitions;
    this.clock = clock;
  }

  VariantResult reconcile(PythonEnvironment resource, Inputs inputs, VariantPlan plan, VariantStatus before,
      long generation) {
    String namespace = resource.getMetadata().getNamespace();
    ImageReference image = inputs.repository().withTag(plan.hash().tag());
    String imageKey = BuildNames.imageKey(image.registry() + "/" + image.repository(), image.tag());
    Optional<Job> job = coordinator.existingJob(imageKey);
    // a Job in the cache needs no claim any more
    job.ifPresent(j -> coordinator.release(imageKey));
    Situation situation = new Situation(before, plan, image, generation, resource.getSpec().getRebuildToken(),
        job.map(j -> ExistingBuild.of(j, namespace, analyze(j))).orElse(null),
        job.isPresent() ? null : coordinator.pendingClaim(imageKey)
            .map(ref -> VariantDecision.relativeJobRef(ref, namespace)).orElse(null),
        null);
    Decision decision = VariantDecision.decide(situation);
    if (decision instanceof AskRegistry) {
      decision = VariantDecision.decide(situation.withRegistry(registry.check(image, inputs.access())));
    }
    if (decision instanceof StartBuild start) {
      if (start.replaceExisting()) {
        coordinator.deleted(job.orElseThrow());
        buildObjects.delete(job.orElseThrow());
      }
      return new VariantResult(startBuild(resource, inputs, plan, start.status(), image, imageKey), null);
    }
    Report report = (Report) decision;
    if (job.isPresent() && stuckOnItsBuilderImage(report, job.get(), namespace)) {
      // its Pod would retry the pull until the deadline; the failure is reported and kept without it
      coordinator.deleted(job.get());
      buildObjects.delete(job.get());
    }
    if (report.cacheHit()) {
      metrics.cacheHit();
    }
    return new VariantResult(report.status(), report.registryProblem());
  }

  /** The build's outcome; the Job's FailedCreate events are read only while it has no Pod. */
  private BuildOutcome analyze(Job job) {
    List<Pod> pods = podsOf.apply(job);
    return BuildFailureAnalyzer.analyze(job, pods, BuildFailureAnalyzer.mayHaveCreationFailures(job, pods)
        ? buildObjects.creationFailures(job) : List.of());
  }

  /**
   * A build of this namespace that failed before it could start (builder image not pullable, rejected by Pod
   * Security) and still runs.
   */
  private static boolean stuckOnItsBuilderImage(Report report, Job job, String namespace) {
    VariantStatus status = report.status();
    boolean finished = job.getStatus() != null && job.getStatus().getConditions() != null
        && job.getStatus().getConditions().stream().anyMatch(c -> "True".equals(c.getStatus())
            && ("Complete".equals(c.getType()) || "Failed".equals(c.getType())));
    return status.getPhase() == VariantPhase.Failed
        && BuildFailureAnalyzer.NEVER_STARTS.contains(status.getReason())
        && namespace.equals(job.getMetadata().getNamespace()) && !finished;
  }

  /** Claims the image's build and creates its Job, unless another reconcile holds the claim. */
  private VariantStatus startBuild(PythonEnvironment resource, Inputs inputs, VariantPlan plan, VariantStatus v,
      ImageReference image, String imageKey) {
    String namespace = resource.getMetadata().getNamespace();
    String token = resource.getSpec().getRebuildToken();
    String jobName = BuildNames.jobName(image.registry() + "/" + image.repository(), image.tag());
    Optional<String> holder = coordinator.claim(imageKey, namespace + "/" + jobName)
        .map(ref -> VariantDecision.relativeJobRef(ref, namespace));
    if (holder.isPresent()) {
      return VariantDecision.waitingFor(v, holder.get());
    }
    BuildContext buildContext = plan.render();
    BuildJobSpec spec = BuildJobSpec.of(resource, builderDefaults, inputs.access(), plan, image, imageKey, jobName,
        token, List.copyOf(buildContext.files().keySet()));
    try {
      Job created = buildObjects.create(spec, buildContext);
      transitions.buildStarted(resource, plan, image, created);
      LOG.info("resource={}/{} variant={} image={} job={} build started", namespace,
          resource.getMetadata().getName(), plan.variant(), image, jobName);
      return VariantDecision.buildCreated(v, jobName, token,
          Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString());
    } catch (KubernetesClientException e) {
      coordinator.release(imageKey);
      if (e.getCode() != 409) {
        throw e;
      }
      return VariantDecision.buildExists(v, jobName);
    }
  }
}
