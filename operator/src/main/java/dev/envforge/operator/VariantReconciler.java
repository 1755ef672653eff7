package dev.envforge.operator;

import dev.envforge.api.v1alpha1.PythonEnvironment;
import dev.envforge.api.v1alpha1.VariantStatus;
import dev.envforge.core.buildlog.BuildLogText;
import dev.envforge.core.planner.VariantPlan;
import dev.envforge.core.recipe.BuildContext;
import dev.envforge.core.recipe.BuildContextRenderer;
import dev.envforge.core.recipe.Builder;
import dev.envforge.core.recipe.RenderOptions;
import dev.envforge.core.registry.ImageReference;
import dev.envforge.core.text.Texts;
import dev.envforge.operator.ResourceInputs.Inputs;
import dev.envforge.operator.StatusAggregator.Problem;
import dev.envforge.core.planner.PlanOutcome.Planned;
import dev.envforge.operator.VariantDecision.AskRegistry;
import dev.envforge.operator.VariantDecision.ExistingBuild;
import dev.envforge.operator.VariantDecision.Intent;
import dev.envforge.operator.VariantDecision.KeepFailure;
import dev.envforge.operator.VariantDecision.Situation;
import dev.envforge.operator.VariantDecision.StartBuild;
import dev.envforge.operator.VariantProjection.AlreadyExists;
import dev.envforge.operator.VariantProjection.BuildStart;
import dev.envforge.operator.VariantProjection.ClaimedElsewhere;
import dev.envforge.operator.VariantProjection.Created;
import dev.envforge.operator.VariantProjection.Projection;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
  private final BuildLogKeeper logs;
  private final Function<PythonEnvironment, Set<String>> secretValues;

  /**
   * @param secretValues the values of the Secrets a resource's builds are given, which its build logs must not show
   */
  VariantReconciler(BuildCoordinator coordinator, Function<Job, List<Pod>> podsOf, ImageRegistry registry,
      BuildObjects buildObjects, BuilderDefaults builderDefaults, OperatorMetrics metrics,
      TransitionEvents transitions, Clock clock, BuildLogKeeper logs,
      Function<PythonEnvironment, Set<String>> secretValues) {
    this.logs = logs;
    this.secretValues = secretValues;
    this.coordinator = coordinator;
    this.podsOf = podsOf;
    this.registry = registry;
    this.buildObjects = buildObjects;
    this.builderDefaults = builderDefaults;
    this.metrics = metrics;
    this.transitions = transitions;
    this.clock = clock;
  }

  VariantResult reconcile(PythonEnvironment resource, Inputs inputs, Planned planned, VariantStatus before,
      long generation) {
    String namespace = resource.getMetadata().getNamespace();
    VariantPlan plan = planned.plan();
    ImageReference image = inputs.repository().withTag(plan.hash().tag());
    String imageKey = BuildNames.imageKey(image.registry() + "/" + image.repository(), image.tag());
    Optional<Job> job = coordinator.existingJob(imageKey);
    // a Job in the cache needs no claim any more
    job.ifPresent(j -> coordinator.release(imageKey));
    Situation situation = new Situation(before, plan, image, generation, resource.getSpec().getRebuildToken(),
        job.map(j -> ExistingBuild.of(j, namespace, analyze(j, resource))).orElse(null),
        job.isPresent() ? null : coordinator.pendingClaim(imageKey)
            .map(ref -> VariantDecision.relativeJobRef(ref, namespace)).orElse(null),
        null);
    Intent intent = VariantDecision.decide(situation);
    if (intent instanceof AskRegistry ask) {
      situation = situation.withRegistry(registry.check(image, inputs.access(), ask.notBefore()));
      intent = VariantDecision.decide(situation);
    }
    BuildStart started = null;
    if (intent instanceof StartBuild start) {
      if (start.replaceExisting()) {
        coordinator.deleted(job.orElseThrow());
        buildObjects.delete(job.orElseThrow());
      }
      started = startBuild(resource, inputs, planned, image, imageKey);
    }
    if (intent instanceof KeepFailure keep && keep.build() != null && job.isPresent()
        && stuckOnItsBuilderImage(keep.build(), job.get())) {
      // its Pod would retry the pull until the deadline; the failure is reported and kept without it
      coordinator.deleted(job.get());
      buildObjects.delete(job.get());
    }
    Projection projection = VariantProjection.project(situation, intent, started);
    if (projection.cacheHit()) {
      metrics.cacheHit();
    }
    logs.attach(before, projection.status(), situation.existingBuild(), job.orElse(null),
        job.map(podsOf).orElse(List.of()), image, inputs.access(), () -> secretValues.apply(resource));
    return new VariantResult(projection.status(), projection.registryProblem());
  }

  /**
   * The build's outcome; the Job's FailedCreate events are read only while it has no Pod. A failure's message
   * quotes the end of the build log, which may print a credential the build was given: those values are removed.
   */
  private BuildOutcome analyze(Job job, PythonEnvironment resource) {
    List<Pod> pods = podsOf.apply(job);
    BuildOutcome outcome = BuildFailureAnalyzer.analyze(job, pods,
        BuildFailureAnalyzer.mayHaveCreationFailures(job, pods) ? buildObjects.creationFailures(job) : List.of());
    if (outcome.reason() == null || outcome.message() == null) {
      return outcome;
    }
    String message = BuildLogText.redact(outcome.message(), secretValues.apply(resource));
    return message.equals(outcome.message()) ? outcome
        : new BuildOutcome(outcome.state(), outcome.reason(), message, outcome.digest());
  }

  private static BuildContext projectWithoutCredentials(Inputs inputs) {
    java.util.Map<String, String> files = new java.util.TreeMap<>();
    inputs.project().contents().forEach((path, text) -> files.put(path, Texts.withoutUrlCredentials(text)));
    return new BuildContext(files);
  }

  /**
   * What {@code envforge assemble} needs to plan the variant as the operator did: the full Python version the
   * markers were evaluated for (the recipe keeps only its minor version).
   */
  static BuildJobSpec.AssembleInputs assembleInputs(Inputs inputs, VariantPlan plan, RenderOptions fetch) {
    var format = inputs.project().format();
    // the assembler takes one mirror: the one of the plan's main index, as the Kaniko recipe's --index-url
    String mainIndex = BuildContextRenderer.mainIndex(plan.plan());
    String mirror = fetch.indexUrl(mainIndex);
    return new BuildJobSpec.AssembleInputs(format.lockFile(), format.id(), plan.plan().selection().groups(),
        plan.plan().selection().extras(), plan.plan().environment().pythonFullVersion(), plan.recipe().baseImage(),
        plan.variant(), mirror.equals(mainIndex) ? null : mirror);
  }

  /**
   * A build of this namespace that failed before it could start (builder image not pullable, rejected by Pod
   * Security) and still runs.
   */
  private static boolean stuckOnItsBuilderImage(ExistingBuild build, Job job) {
    boolean finished = job.getStatus() != null && job.getStatus().getConditions() != null
        && job.getStatus().getConditions().stream().anyMatch(c -> "True".equals(c.getStatus())
            && ("Complete".equals(c.getType()) || "Failed".equals(c.getType())));
    return BuildFailureAnalyzer.NEVER_STARTS.contains(build.outcome().reason()) && build.inOwnNamespace()
        && !finished;
  }

  /**
   * Claims the image's build and creates its Job, unless another reconcile holds the claim. The claim is released
   * on every path that does not leave a Job behind.
   */
  private BuildStart startBuild(PythonEnvironment resource, Inputs inputs, Planned planned, ImageReference image,
      String imageKey) {
    String namespace = resource.getMetadata().getNamespace();
    String token = resource.getSpec().getRebuildToken();
    String jobName = BuildNames.jobName(image.registry() + "/" + image.repository(), image.tag());
    Optional<String> holder = coordinator.claim(imageKey, namespace + "/" + jobName)
        .map(ref -> VariantDecision.relativeJobRef(ref, namespace));
    if (holder.isPresent()) {
      return new ClaimedElsewhere(holder.get());
    }
    VariantPlan plan = planned.plan();
    boolean assemble = plan.recipe().builder() == Builder.ASSEMBLE;
    // Kaniko builds the rendered context, fetched through the mirrors and uv image of the resource and the
    // operator; the assembler plans again from the project's own files, handed on without credentials in URLs
    // (the plan has none either; the build gets them from the index Secret)
    var fetch = FetchSettings.of(builderDefaults.pod(), resource.getSpec().getBuilder());
    BuildContext buildContext = assemble ? projectWithoutCredentials(inputs) : plan.render(fetch);
    Job created;
    try {
      BuildJobSpec spec = BuildJobSpec.of(resource, builderDefaults, inputs.access(), plan, image, imageKey, jobName,
          token, List.copyOf(buildContext.files().keySet()), assemble ? assembleInputs(inputs, plan, fetch) : null);
      created = buildObjects.create(spec, buildContext);
    } catch (KubernetesClientException e) {
      coordinator.release(imageKey);
      if (e.getCode() != 409) {
        throw e;
      }
      return new AlreadyExists(jobName);
    } catch (RuntimeException | Error e) {
      coordinator.release(imageKey);
      throw e;
    }
    transitions.buildStarted(resource, plan, image, created);
    LOG.info("resource={}/{} variant={} image={} job={} builder={} build started", namespace,
        resource.getMetadata().getName(), plan.variant(), image, jobName, plan.recipe().builder().id());
    return new Created(jobName, token, Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString());
  }
}
