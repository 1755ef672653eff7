package dev.envforge.operator;

import dev.envforge.api.v1alpha1.Reason;
import dev.envforge.api.v1alpha1.PythonEnvironment;
import dev.envforge.api.v1alpha1.PythonEnvironmentStatus;
import dev.envforge.api.v1alpha1.VariantPhase;
import dev.envforge.api.v1alpha1.VariantStatus;
import dev.envforge.core.planner.PlanOutcome.Planned;
import dev.envforge.core.planner.VariantPlan;
import dev.envforge.core.runtime.RuntimePlan;
import dev.envforge.operator.ResourceInputs.Inputs;
import dev.envforge.operator.StatusAggregator.Problem;
import dev.envforge.operator.VariantReconciler.VariantResult;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one reconciler of envforge. It reads the resource's inputs and plans its variants ({@link ResourceInputs}),
 * settles each variant against the registry and its one build Job ({@link VariantReconciler}), and writes the
 * status ({@link StatusAggregator}). Everything it creates is named from content, so a retry or a second replica
 * converges on the same objects.
 */
@ControllerConfiguration(name = PythonEnvironmentReconciler.NAME,
    maxReconciliationInterval = @MaxReconciliationInterval(interval = 10, timeUnit = TimeUnit.MINUTES))
public class PythonEnvironmentReconciler implements Reconciler<PythonEnvironment>, Cleaner<PythonEnvironment> {
  public static final String NAME = "pythonenvironment";
  /** How often a resource waiting on a build looks again without an event. */
  static final Duration BUILD_POLL = Duration.ofSeconds(15);

  private static final Logger LOG = LoggerFactory.getLogger(PythonEnvironmentReconciler.class);

  private final Clock clock;
  private final ResourceInputs resourceInputs;
  private final BuildObjects buildObjects;
  private final TransitionEvents transitions;
  private final OperatorMetrics metrics;
  private final VariantReconciler variants;
  private final StatusWriter statusWriter;
  private final RegistryBackoff registryBackoff = new RegistryBackoff();
  private final PolicyGate policyGate = new PolicyGate();
  private final PlanMemory planMemory = new PlanMemory(4096);
  private final RuntimeRequirementsSync runtimeRequirements;
  /** The build caches; they exist once JOSDK asked for the event sources, before the first reconcile. */
  private volatile BuildInformers informers;
  /** The caches of referenced ConfigMaps and Secrets, made at the same time. */
  private volatile InputInformers inputInformers;

  public PythonEnvironmentReconciler(KubernetesClient client, BuilderDefaults builderDefaults,
      ImageRegistry registry, BuildLogStore logStore, PlanCache plans, OperatorMetrics metrics, Clock clock) {
    this.clock = clock;
    this.resourceInputs = new ResourceInputs(new ResourceInputs.ReferencedObjects() {
      @Override
      public io.fabric8.kubernetes.api.model.ConfigMap configMap(String namespace, String name) {
        return inputInformers.configMap(namespace, name);
      }

      @Override
      public io.fabric8.kubernetes.api.model.Secret secret(String namespace, String name) {
        return inputInformers.secret(namespace, name);
      }
    }, plans);
    this.buildObjects = new BuildObjects(client);
    this.statusWriter = new StatusWriter(client);
    this.runtimeRequirements = new RuntimeRequirementsSync(client);
    this.transitions = new TransitionEvents(new EventRecorder(client, clock), metrics, planMemory);
    this.metrics = metrics;
    this.variants = new VariantReconciler(new BuildCoordinator(key -> informers.jobsFor(key), clock),
        job -> informers.podsOf(job), registry, buildObjects, builderDefaults, metrics, transitions, clock,
        new BuildLogKeeper(client, logStore), resourceInputs::secretValues);
  }

  @Override
  public List<EventSource<?, PythonEnvironment>> prepareEventSources(EventSourceContext<PythonEnvironment> context) {
    informers = new BuildInformers(context);
    inputInformers = new InputInformers(context);
    List<EventSource<?, PythonEnvironment>> sources = new ArrayList<>(informers.eventSources());
    sources.addAll(inputInformers.eventSources());
    sources.addAll(policyGate.eventSources(context));
    sources.addAll(runtimeRequirements.eventSources(context));
    return sources;
  }

  @Override
  public UpdateControl<PythonEnvironment> reconcile(PythonEnvironment resource, Context<PythonEnvironment> context) {
    if (resource.getSpec() == null) {
      // a spec this build cannot read (ReadProblemReporter told people); reached only through a timer or a Job
      return UpdateControl.noUpdate();
    }
    long started = System.nanoTime();
    long generation = generationOf(resource);
    PythonEnvironmentStatus previous = resource.getStatus();
    if (resource.getSpec() != null && resource.getSpec().suspended()) {
      return finish(resource, context, previous, ProgressConditions.suspended(previous, generation, clock), null);
    }
    Inputs inputs;
    try {
      inputs = resourceInputs.read(resource);
    } catch (SpecProblemException problem) {
      return reportSpecProblem(resource, context, previous, generation, problem);
    }
    inputs.plans().forEach(p -> planMemory.remember(p.plan().hash().hex(), p.plan().plan()));
    PolicyGate.Verdict verdict = policyGate.evaluate(resource, inputs);
    if (verdict.violated()) {
      LOG.info("resource={} reason={} violations={}", ResourceID.fromResource(resource), Reason.POLICY_VIOLATED,
          verdict.violations().size());
      transitions.policyViolated(resource, previous, verdict.message());
    }

    List<VariantStatus> variantStatuses = new ArrayList<>();
    Map<String, RuntimePlan> runtimeWanted = new LinkedHashMap<>();
    Problem registryProblem = null;
    for (Planned planned : inputs.plans()) {
      VariantPlan plan = planned.plan();
      VariantStatus before = previousVariant(previous, plan.variant());
      if (verdict.blocks(plan.variant())) {
        // a blocked variant's runtime requirements are not offered either (its ConfigMap is deleted below)
        variantStatuses.add(RuntimeRequirementsSync.withRuntime(PolicyGate.blocked(before, plan, verdict,
            generation, resource.getSpec().getRebuildToken()), null, null));
        continue;
      }
      VariantStatus rolledBack = VariantHistory.rollback(before, plan, generation,
          resource.getSpec().getRebuildToken());
      VariantResult result = rolledBack != null ? new VariantResult(rolledBack, null)
          : variants.reconcile(resource, inputs, planned, before, generation);
      VariantStatus variantStatus = result.status();
      if (planned.runtime().present()) {
        runtimeWanted.put(plan.variant(), planned.runtime());
        variantStatus = RuntimeRequirementsSync.withRuntime(variantStatus, RuntimeConfigMaps.name(
            resource.getMetadata().getName(), plan.variant(), planned.runtime()), planned.runtime().packages().size());
      } else {
        variantStatus = RuntimeRequirementsSync.withRuntime(variantStatus, null, null);
      }
      VariantHistory.record(before, variantStatus, plan, VariantHistory.limit(resource.getSpec()), planMemory,
          clock);
      variantStatuses.add(variantStatus);
      registryProblem = registryProblem != null ? registryProblem : result.registryProblem();
      transitions.variantChanged(resource, before, variantStatus);
    }
    // before the status names them, so that a Pod following the status finds its ConfigMap
    runtimeRequirements.sync(resource, runtimeWanted);
    PythonEnvironmentStatus status = PolicyGate.apply(StatusAggregator.aggregate(generation, previous,
        variantStatuses, null, registryProblem, clock), previous, verdict, generation, clock);
    boolean building = variantStatuses.stream().anyMatch(v -> v.getPhase() == VariantPhase.Building);
    boolean checking = variantStatuses.stream().anyMatch(v -> v.getPhase() == VariantPhase.Checking);
    ResourceID id = ResourceID.fromResource(resource);
    Duration next = registryBackoff.next(id, registryProblem != null || checking, building ? BUILD_POLL : null);
    LOG.debug("resource={} reconciled in {} ms", id, (System.nanoTime() - started) / 1_000_000);
    return finish(resource, context, previous, status, next);
  }

  /** A bad spec is reported, not retried: the resource shows it until the spec or a referenced object changes. */
  private UpdateControl<PythonEnvironment> reportSpecProblem(PythonEnvironment resource,
      Context<PythonEnvironment> context, PythonEnvironmentStatus previous, long generation,
      SpecProblemException problem) {
    LOG.info("resource={} reason={} message=\"{}\"", ResourceID.fromResource(resource), problem.reason(),
        problem.getMessage());
    List<VariantStatus> kept = previous == null || previous.getVariants() == null ? List.of()
        : previous.getVariants();
    PythonEnvironmentStatus status = PolicyGate.keep(StatusAggregator.aggregate(generation, previous, kept,
        new Problem(problem.reason(), problem.getMessage()), null, clock), previous);
    transitions.specProblem(resource, previous, problem, generation);
    // a referenced ConfigMap or Secret that appears or changes reconciles the resource (InputInformers)
    return finish(resource, context, previous, status, null);
  }

  /** Says on the resource what failed while JOSDK retries it with backoff. */
  @Override
  public ErrorStatusUpdateControl<PythonEnvironment> updateErrorStatus(PythonEnvironment resource,
      Context<PythonEnvironment> context, Exception e) {
    String what = describe(e);
    metrics.reconcileFailed();
    PythonEnvironmentStatus status = StatusAggregator.withReconcileError(resource.getStatus(), generationOf(resource),
        "reconciling failed, retrying with backoff: " + what, clock);
    LOG.warn("resource={}/{} reason={} message=\"{}\"", resource.getMetadata().getNamespace(),
        resource.getMetadata().getName(), Reason.RECONCILE_ERROR, what);
    transitions.statusComputed(resource, status);
    if (!status.equals(resource.getStatus())) {
      try {
        statusWriter.replaceStatus(resource, status, context);
      } catch (RuntimeException writeFailed) {
        // the API server fails as the reconcile did; the retry writes the status later
        LOG.warn("resource={}/{} status not written: {}", resource.getMetadata().getNamespace(),
            resource.getMetadata().getName(), describe(writeFailed));
      }
    }
    return ErrorStatusUpdateControl.noStatusUpdate();
  }

  /** What went wrong, for people: the API server's answer when there is one (JOSDK wraps it). */
  static String describe(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof KubernetesClientException k && k.getCode() > 0) {
        return "the API server answered HTTP " + k.getCode() + (k.getStatus() == null
            || k.getStatus().getMessage() == null ? "" : ": " + k.getStatus().getMessage());
      }
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
  }

  @Override
  public DeleteControl cleanup(PythonEnvironment resource, Context<PythonEnvironment> context) {
    String namespace = resource.getMetadata().getNamespace();
    String uid = resource.getMetadata().getUid();
    for (Job job : informers.jobsCreatedBy(namespace, uid)) {
      if (!finished(job) && BuildInformers.wantedByOthers(context, job, uid)) {
        // others follow this build: stopping it would make one of them start a second build of the same image
        buildObjects.handOver(job);
        LOG.info("resource={}/{} deleted; its build {} continues for the resources that wait on it", namespace,
            resource.getMetadata().getName(), job.getMetadata().getName());
      }
    }
    buildObjects.deleteAllOwnedBy(namespace, uid);
    registryBackoff.forget(ResourceID.fromResource(resource));
    LOG.info("resource={}/{} deleted; its build objects were removed", resource.getMetadata().getNamespace(),
        resource.getMetadata().getName());
    return DeleteControl.defaultDelete();
  }

  /**
   * Writes the status only when it changed (JOSDK does not filter the events of our own status writes), as a whole
   * ({@link StatusWriter}).
   */
  private UpdateControl<PythonEnvironment> finish(PythonEnvironment resource, Context<PythonEnvironment> context,
      PythonEnvironmentStatus previous, PythonEnvironmentStatus status, Duration next) {
    transitions.statusComputed(resource, status);
    if (!status.equals(previous)) {
      statusWriter.replaceStatus(resource, status, context);
    }
    UpdateControl<PythonEnvironment> control = UpdateControl.noUpdate();
    return next == null ? control : control.rescheduleAfter(next);
  }

  private static boolean finished(Job job) {
    return job.getStatus() != null && job.getStatus().getConditions() != null && job.getStatus().getConditions()
        .stream().anyMatch(c -> "True".equals(c.getStatus())
            && ("Complete".equals(c.getType()) || "Failed".equals(c.getType())));
  }

  private static VariantStatus previousVariant(PythonEnvironmentStatus previous, String name) {
    if (previous == null || previous.getVariants() == null) {
      return null;
    }
    return previous.getVariants().stream().filter(v -> name.equals(v.getName())).findFirst().orElse(null);
  }

  private static long generationOf(PythonEnvironment resource) {
    return resource.getMetadata().getGeneration() == null ? 0 : resource.getMetadata().getGeneration();
  }
}
