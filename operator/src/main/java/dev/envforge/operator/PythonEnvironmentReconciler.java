package dev.envforge.operator;

import dev.envforge.api.v1alpha1.EnvforgeApi.Reasons;
import dev.envforge.api.v1alpha1.PythonEnvironment;
import dev.envforge.api.v1alpha1.PythonEnvironmentSpec;
import dev.envforge.api.v1alpha1.PythonEnvironmentStatus;
import dev.envforge.api.v1alpha1.Variant;
import dev.envforge.api.v1alpha1.VariantPhase;
import dev.envforge.api.v1alpha1.VariantStatus;
import dev.envforge.core.lock.LockInputException;
import dev.envforge.core.plan.Selection;
import dev.envforge.core.plan.Target;
import dev.envforge.core.planner.PlanningRequest;
import dev.envforge.core.planner.VariantPlan;
import dev.envforge.core.planner.VariantRequest;
import dev.envforge.core.recipe.BuildContext;
import dev.envforge.core.recipe.Installer;
import dev.envforge.core.registry.ImageReference;
import dev.envforge.core.registry.ManifestCheck;
import dev.envforge.operator.ProjectSourceLoader.LoadedProject;
import dev.envforge.operator.StatusAggregator.Problem;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one reconciler of envforge. For each variant it asks the core for the plan and its tag, asks the registry
 * whether the image exists, follows or starts the one build Job of that image, and writes the status. Everything
 * it creates is named from content, so a retry or a second replica converges on the same objects.
 */
@ControllerConfiguration(name = PythonEnvironmentReconciler.NAME,
    maxReconciliationInterval = @io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval(
        interval = 10, timeUnit = java.util.concurrent.TimeUnit.MINUTES))
public class PythonEnvironmentReconciler implements Reconciler<PythonEnvironment>, Cleaner<PythonEnvironment> {
  public static final String NAME = "pythonenvironment";
  static final String JOB_INDEX = "envforge-image-key";
  static final String PRIMARY_IMAGE_INDEX = "envforge-variant-image-keys";
  static final String PRIMARY_UID_INDEX = "envforge-uid";
  static final String POD_JOB_INDEX = "envforge-job";
  static final String DOCKER_CONFIG_KEY = ".dockerconfigjson";
  /** How often a resource waiting on a build or on missing inputs looks again without an event. */
  static final Duration BUILD_POLL = Duration.ofSeconds(15);
  static final Duration MISSING_INPUT_POLL = Duration.ofSeconds(60);

  private static final Logger LOG = LoggerFactory.getLogger(PythonEnvironmentReconciler.class);

  private final KubernetesClient client;
  private final BuilderDefaults builderDefaults;
  private final ImageRegistry registry;
  private final PlanCache plans;
  private final OperatorMetrics metrics;
  private final Clock clock;
  private final EventRecorder events;
  private final BuildObjects buildObjects;
  private final Map<ResourceID, Integer> registryFailures = new ConcurrentHashMap<>();
  private volatile BuildCoordinator coordinator;
  private volatile InformerEventSource<Pod, PythonEnvironment> pods;

  public PythonEnvironmentReconciler(KubernetesClient client, BuilderDefaults builderDefaults,
      ImageRegistry registry, PlanCache plans, OperatorMetrics metrics, Clock clock) {
    this.client = client;
    this.builderDefaults = builderDefaults;
    this.registry = registry;
    this.plans = plans;
    this.metrics = metrics;
    this.clock = clock;
    this.events = new EventRecorder(client, clock);
    this.buildObjects = new BuildObjects(client);
  }

  @Override
  public List<EventSource<?, PythonEnvironment>> prepareEventSources(EventSourceContext<PythonEnvironment> context) {
    // resources are found from a build object by the image keys in their status (followers in other namespaces
    // too) and by the UID of the resource that created it
    context.getPrimaryCache().addIndexer(PRIMARY_IMAGE_INDEX, PythonEnvironmentReconciler::imageKeysOf);
    context.getPrimaryCache().addIndexer(PRIMARY_UID_INDEX, p -> p.getMetadata().getUid() == null ? List.of()
        : List.of(p.getMetadata().getUid()));
    InformerEventSourceConfiguration<Job> jobConfig = InformerEventSourceConfiguration
        .from(Job.class, PythonEnvironment.class)
        .withName("build-jobs")
        .withLabelSelector(Labels.BUILD_SELECTOR)
        .withNamespacesInheritedFromController()
        .withSecondaryToPrimaryMapper(job -> interestedIn(job, context))
        .build();
    InformerEventSource<Job, PythonEnvironment> jobs = new InformerEventSource<>(jobConfig, context);
    jobs.addIndexers(Map.of(JOB_INDEX, job -> label(job, Labels.IMAGE_KEY) == null ? List.of()
        : List.of(label(job, Labels.IMAGE_KEY))));
    // the build Pods carry the Job's labels: their states (an image that cannot be pulled, the termination
    // message) come from this cache, without an API request per reconcile
    InformerEventSourceConfiguration<Pod> podConfig = InformerEventSourceConfiguration
        .from(Pod.class, PythonEnvironment.class)
        .withName("build-pods")
        .withLabelSelector(Labels.BUILD_SELECTOR)
        .withNamespacesInheritedFromController()
        .withSecondaryToPrimaryMapper(pod -> interestedIn(pod, context))
        .build();
    InformerEventSource<Pod, PythonEnvironment> buildPods = new InformerEventSource<>(podConfig, context);
    buildPods.addIndexers(Map.of(POD_JOB_INDEX, pod -> jobNameOf(pod) == null ? List.of()
        : List.of(pod.getMetadata().getNamespace() + "/" + jobNameOf(pod))));
    coordinator = new BuildCoordinator(key -> jobs.byIndex(JOB_INDEX, key), clock);
    pods = buildPods;
    return List.of(jobs, buildPods);
  }

  /** The resources a build Job or Pod concerns: its creator and every resource that wants the same image. */
  private static Set<ResourceID> interestedIn(io.fabric8.kubernetes.api.model.HasMetadata buildObject,
      EventSourceContext<PythonEnvironment> context) {
    Set<ResourceID> ids = new HashSet<>();
    String key = label(buildObject, Labels.IMAGE_KEY);
    if (key != null) {
      context.getPrimaryCache().byIndex(PRIMARY_IMAGE_INDEX, key).forEach(p -> ids.add(ResourceID.fromResource(p)));
    }
    String ownerUid = label(buildObject, Labels.OWNER_UID);
    if (ownerUid != null) {
      context.getPrimaryCache().byIndex(PRIMARY_UID_INDEX, ownerUid)
          .forEach(p -> ids.add(ResourceID.fromResource(p)));
    }
    return ids;
  }

  private static String label(io.fabric8.kubernetes.api.model.HasMetadata object, String key) {
    return object.getMetadata().getLabels() == null ? null : object.getMetadata().getLabels().get(key);
  }

  /** The Job a Pod belongs to, from the labels the Job controller sets (the older label as a fallback). */
  private static String jobNameOf(Pod pod) {
    String name = label(pod, "batch.kubernetes.io/job-name");
    return name != null ? name : label(pod, "job-name");
  }

  @Override
  public UpdateControl<PythonEnvironment> reconcile(PythonEnvironment resource, Context<PythonEnvironment> context) {
    long started = System.nanoTime();
    ResourceID id = ResourceID.fromResource(resource);
    PythonEnvironmentSpec spec = resource.getSpec();
    long generation = resource.getMetadata().getGeneration() == null ? 0 : resource.getMetadata().getGeneration();
    PythonEnvironmentStatus previous = resource.getStatus();

    Inputs inputs;
    try {
      inputs = inputs(resource);
    } catch (SpecProblemException problem) {
      LOG.info("resource={} reason={} message=\"{}\"", id, problem.reason(), problem.getMessage());
      List<VariantStatus> kept = previous == null ? List.of() : previous.getVariants();
      PythonEnvironmentStatus status = StatusAggregator.aggregate(generation, previous, kept,
          new Problem(problem.reason(), problem.getMessage()), null, clock);
      if (previous == null || !Reasons.INVALID_SPEC.equals(specReason(previous))
          || !problem.getMessage().equals(previous.condition("InvalidSpec").map(c -> c.getMessage()).orElse(""))) {
        events.warning(resource, problem.reason(), "spec-" + generation, problem.getMessage());
      }
      // a missing ConfigMap or Secret may appear; a bad lock only changes with the spec
      boolean mayAppear = Reasons.CONFIG_MAP_NOT_FOUND.equals(problem.reason())
          || Reasons.SECRET_NOT_FOUND.equals(problem.reason()) || Reasons.KEY_NOT_FOUND.equals(problem.reason());
      return finish(resource, previous, status, mayAppear ? MISSING_INPUT_POLL : null);
    }

    List<VariantStatus> variants = new ArrayList<>();
    Problem registryProblem = null;
    boolean building = false;
    for (int i = 0; i < inputs.plans().size(); i++) {
      VariantPlan plan = inputs.plans().get(i);
      VariantStatus before = previousVariant(previous, plan.variant());
      VariantResult result = reconcileVariant(resource, inputs, plan, before, generation);
      variants.add(result.status());
      if (result.registryProblem() != null && registryProblem == null) {
        registryProblem = result.registryProblem();
      }
      building |= result.status().getPhase() == VariantPhase.Building;
      recordTransition(resource, before, result.status());
    }
    PythonEnvironmentStatus status = StatusAggregator.aggregate(generation, previous, variants, null,
        registryProblem, clock);
    // nothing announces a registry that answers again, or one that shows a pushed image late: ask it again,
    // backing off (5 s, 10 s, ... 5 min) while it does not
    boolean checking = variants.stream().anyMatch(v -> v.getPhase() == VariantPhase.Checking);
    Duration next = building ? BUILD_POLL : null;
    if (registryProblem != null || checking) {
      int failures = registryFailures.merge(id, 1, Integer::sum);
      Duration backoff = Duration.ofSeconds(Math.min(300, 5L << Math.min(failures - 1, 6)));
      next = next == null || backoff.compareTo(next) < 0 ? backoff : next;
    } else {
      registryFailures.remove(id);
    }
    LOG.debug("resource={} reconciled in {} ms", id, (System.nanoTime() - started) / 1_000_000);
    return finish(resource, previous, status, next);
  }

  /** Says on the resource what failed while JOSDK retries it with backoff. */
  @Override
  public ErrorStatusUpdateControl<PythonEnvironment> updateErrorStatus(PythonEnvironment resource,
      Context<PythonEnvironment> context, Exception e) {
    String what = describe(e);
    long generation = resource.getMetadata().getGeneration() == null ? 0 : resource.getMetadata().getGeneration();
    PythonEnvironmentStatus status = StatusAggregator.withReconcileError(resource.getStatus(), generation,
        "reconciling failed, retrying with backoff: " + what, clock);
    LOG.warn("resource={}/{} reason={} message=\"{}\"", resource.getMetadata().getNamespace(),
        resource.getMetadata().getName(), Reasons.RECONCILE_ERROR, what);
    if (status.equals(resource.getStatus())) {
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    resource.setStatus(status);
    return ErrorStatusUpdateControl.patchStatus(resource);
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
    // owner references let the cluster do this too; deleting explicitly also stops a running build at once
    client.batch().v1().jobs().inNamespace(namespace).withLabel(Labels.OWNER_UID, uid)
        .withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND).delete();
    client.configMaps().inNamespace(namespace).withLabel(Labels.OWNER_UID, uid).delete();
    registryFailures.remove(ResourceID.fromResource(resource));
    LOG.info("resource={}/{} deleted; its build objects were removed", namespace, resource.getMetadata().getName());
    return DeleteControl.defaultDelete();
  }

  /** What a resource's spec and the objects it references give, before any variant is looked at. */
  record Inputs(List<VariantPlan> plans, ImageReference repository, RegistryAccess access) {}

  private Inputs inputs(PythonEnvironment resource) {
    PythonEnvironmentSpec spec = resource.getSpec();
    String namespace = resource.getMetadata().getNamespace();
    if (spec == null || spec.getImage() == null || spec.getImage().getRepository() == null) {
      throw new SpecProblemException(Reasons.INVALID_SPEC, "spec.image.repository: required");
    }
    ImageReference repository = repository(spec.getImage().getRepository());
    RegistryAccess access = registryAccess(namespace, spec);
    if (spec.getIndexCredentialsSecretRef() != null) {
      String name = spec.getIndexCredentialsSecretRef().getName();
      String key = spec.getIndexCredentialsSecretRef().getKey();
      Secret secret = secret(namespace, name);
      if (secret == null) {
        throw new SpecProblemException(Reasons.SECRET_NOT_FOUND, "spec.indexCredentialsSecretRef.name: Secret "
            + namespace + "/" + name + " does not exist");
      }
      if (secret.getData() == null || !secret.getData().containsKey(key)) {
        throw new SpecProblemException(Reasons.KEY_NOT_FOUND, "spec.indexCredentialsSecretRef.key: Secret "
            + namespace + "/" + name + " has no key " + key);
      }
    }
    LoadedProject project = ProjectSourceLoader.load(namespace, resource.getMetadata().getName(), spec.getSource(),
        (ns, name) -> client.configMaps().inNamespace(ns).withName(name).get());
    PlanningRequest request = new PlanningRequest(project.format(),
        new Target(spec.getPython() == null ? null : fullPython(spec.getPython()),
            spec.getPlatform() == null ? Target.DEFAULT_PLATFORM : spec.getPlatform().value()),
        spec.getBaseImage(),
        spec.getInstaller() == null ? Installer.UV : Installer.fromId(spec.getInstaller().value()));
    List<Variant> variants = spec.getVariants() == null || spec.getVariants().isEmpty()
        ? PythonEnvironmentSpec.defaultVariants() : spec.getVariants();
    List<VariantPlan> variantPlans = new ArrayList<>();
    for (int i = 0; i < variants.size(); i++) {
      Variant v = variants.get(i);
      VariantRequest request1 = new VariantRequest(v.getName(), new Selection(
          v.getGroups() == null ? List.of() : v.getGroups(), v.getExtras() == null ? List.of() : v.getExtras()));
      try {
        variantPlans.add(plans.plan(project.contents(), project.files(), project.format(), request, request1));
      } catch (LockInputException e) {
        throw new SpecProblemException(Reasons.INVALID_LOCK, "spec.variants[" + i + "] (" + v.getName() + "): "
            + e.getMessage());
      } catch (IllegalArgumentException e) {
        throw new SpecProblemException(Reasons.INVALID_SPEC, "spec.variants[" + i + "] (" + v.getName() + "): "
            + e.getMessage());
      }
    }
    return new Inputs(variantPlans, repository, access);
  }

  /** A two-part version ("3.12") means the newest patch envforge knows of as a target; the image decides. */
  static String fullPython(String python) {
    return python.split("\\.").length == 2 ? python + ".0" : python;
  }

  private static ImageReference repository(String text) {
    String lastPart = text.substring(text.lastIndexOf('/') + 1);
    if (text.contains("@") || lastPart.contains(":")) {
      throw new SpecProblemException(Reasons.INVALID_SPEC, "spec.image.repository: give the repository without a"
          + " tag or digest; envforge tags images itself");
    }
    try {
      return ImageReference.parse(text);
    } catch (IllegalArgumentException e) {
      throw new SpecProblemException(Reasons.INVALID_SPEC, "spec.image.repository: " + e.getMessage());
    }
  }

  private RegistryAccess registryAccess(String namespace, PythonEnvironmentSpec spec) {
    String dockerConfig = null;
    if (spec.getImage().getPushSecretRef() != null) {
      String name = spec.getImage().getPushSecretRef().getName();
      Secret secret = secret(namespace, name);
      if (secret == null) {
        throw new SpecProblemException(Reasons.SECRET_NOT_FOUND, "spec.image.pushSecretRef.name: Secret "
            + namespace + "/" + name + " does not exist");
      }
      String encoded = secret.getData() == null ? null : secret.getData().get(DOCKER_CONFIG_KEY);
      if (encoded == null) {
        throw new SpecProblemException(Reasons.KEY_NOT_FOUND, "spec.image.pushSecretRef.name: Secret " + namespace
            + "/" + name + " has no key " + DOCKER_CONFIG_KEY + " (use a Secret of type"
            + " kubernetes.io/dockerconfigjson)");
      }
      try {
        dockerConfig = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new SpecProblemException(Reasons.INVALID_SPEC, "spec.image.pushSecretRef.name: Secret " + namespace
            + "/" + name + " key " + DOCKER_CONFIG_KEY + " is not valid base64");
      }
    }
    String ca = null;
    if (spec.getImage().getCaConfigMapRef() != null) {
      String name = spec.getImage().getCaConfigMapRef().getName();
      String key = spec.getImage().getCaConfigMapRef().getKey();
      ConfigMap cm = client.configMaps().inNamespace(namespace).withName(name).get();
      if (cm == null) {
        throw new SpecProblemException(Reasons.CONFIG_MAP_NOT_FOUND, "spec.image.caConfigMapRef.name: ConfigMap "
            + namespace + "/" + name + " does not exist");
      }
      ca = cm.getData() == null ? null : cm.getData().get(key);
      if (ca == null) {
        throw new SpecProblemException(Reasons.KEY_NOT_FOUND, "spec.image.caConfigMapRef.key: ConfigMap "
            + namespace + "/" + name + " has no key " + key);
      }
    }
    return new RegistryAccess(dockerConfig, ca, Boolean.TRUE.equals(spec.getImage().getInsecure()));
  }

  private Secret secret(String namespace, String name) {
    return client.secrets().inNamespace(namespace).withName(name).get();
  }

  /** The status of one variant, and a registry problem when the registry could not answer. */
  record VariantResult(VariantStatus status, Problem registryProblem) {}

  private VariantResult reconcileVariant(PythonEnvironment resource, Inputs inputs, VariantPlan plan,
      VariantStatus before, long generation) {
    String token = resource.getSpec().getRebuildToken();
    ImageReference image = inputs.repository().withTag(plan.hash().tag());
    String repository = image.registry() + "/" + image.repository();
    String imageKey = BuildNames.imageKey(repository, image.tag());
    boolean samePlan = before != null && plan.hash().hex().equals(before.getHash());
    // a new token forces one build; a new resource (or variant) adopts its token without building
    boolean forced = token != null && before != null && !token.equals(before.getRebuildToken());

    VariantStatus v = new VariantStatus(plan.variant());
    v.setHash(plan.hash().hex());
    v.setTag(plan.hash().tag());
    v.setPackages(plan.plan().packages().size());
    v.setPython(plan.recipe().python());
    v.setGeneration(generation);
    v.setRebuildToken(before == null ? token : before.getRebuildToken());

    Optional<Job> existing = coordinator.existingJob(imageKey);
    if (existing.isPresent()) {
      coordinator.release(imageKey);
      Job job = existing.get();
      boolean jobHasToken = !forced || token.equals(annotation(job, Labels.REBUILD_TOKEN_ANNOTATION));
      BuildOutcome outcome = BuildFailureAnalyzer.analyze(job, podsOf(job));
      if (!outcome.finished()) {
        return new VariantResult(building(v, job, outcome, resource), null);
      }
      if (outcome.state() == BuildOutcome.State.SUCCEEDED && jobHasToken) {
        v.setRebuildToken(token);
        return afterSuccessfulBuild(v, job, outcome, image, inputs.access(), resource);
      }
      if (outcome.state() == BuildOutcome.State.FAILED) {
        boolean retry = (samePlan && before.getPhase() == VariantPhase.Failed && before.getGeneration() != null
            && before.getGeneration() < generation) || (forced && !jobHasToken);
        if (!retry) {
          if (jobHasToken) {
            v.setRebuildToken(token);
          }
          if (samePlan && before.getPhase() == VariantPhase.Failed) {
            v.setGeneration(before.getGeneration());
          }
          return new VariantResult(failed(v, job, outcome, resource), null);
        }
      }
      // a finished build that does not answer this request: remove it so the new one can take its name
      if (job.getMetadata().getNamespace().equals(resource.getMetadata().getNamespace())) {
        deleteBuild(job);
      }
      return new VariantResult(startBuild(resource, inputs, plan, v, image, imageKey, token), null);
    }

    Optional<String> claimedBy = coordinator.pendingClaim(imageKey)
        .map(ref -> relativeJobRef(ref, resource.getMetadata().getNamespace()));
    if (claimedBy.isPresent()) {
      v.setPhase(VariantPhase.Building);
      v.setReason(Reasons.BUILD_PENDING);
      v.setJobName(claimedBy.get());
      v.setMessage("waiting for build " + claimedBy.get() + " to start");
      return new VariantResult(v, null);
    }
    if (!forced && samePlan && before.getPhase() == VariantPhase.Failed
        && Objects.equals(before.getGeneration(), generation) && Objects.equals(before.getRebuildToken(), token)) {
      // no retry storm: a failed build is tried again only after a spec change or a new rebuild token
      return new VariantResult(copyFailure(v, before), null);
    }
    if (!forced) {
      ManifestCheck check = registry.check(image, inputs.access());
      if (check.isPresent()) {
        v.setRebuildToken(token);
        v.setImage(image + "@" + check.digest());
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
        if (!builtHere && !(samePlan && before.getPhase() == VariantPhase.Cached)) {
          metrics.cacheHit();
        }
        return new VariantResult(v, null);
      }
      if (check.isUnknown()) {
        return new VariantResult(registryUnknown(v, before, samePlan, check), registryProblem(check, image));
      }
    }
    return new VariantResult(startBuild(resource, inputs, plan, v, image, imageKey, token), null);
  }

  private VariantResult afterSuccessfulBuild(VariantStatus v, Job job, BuildOutcome outcome, ImageReference image,
      RegistryAccess access, PythonEnvironment resource) {
    ManifestCheck check = registry.check(image, access);
    v.setJobName(jobRef(job, resource));
    v.setStartTime(startTime(job));
    v.setCompletionTime(completionTime(job));
    if (check.isPresent()) {
      v.setImage(image + "@" + check.digest());
      v.setPhase(VariantPhase.Succeeded);
      v.setReason(Reasons.BUILT);
      v.setMessage(outcome.digest() != null && !outcome.digest().equals(check.digest())
          ? "image built; the registry now serves " + check.digest() + " for the tag (the build pushed "
              + outcome.digest() + ")"
          : "image built and pushed");
      return new VariantResult(v, null);
    }
    if (check.isUnknown()) {
      v.setPhase(VariantPhase.Checking);
      v.setReason(registryProblem(check, image).reason());
      v.setMessage("the build finished; waiting for the registry to answer");
      return new VariantResult(v, registryProblem(check, image));
    }
    v.setPhase(VariantPhase.Checking);
    v.setReason(Reasons.CHECKING_REGISTRY);
    v.setMessage("the build finished but the registry does not show " + image + " yet");
    return new VariantResult(v, null);
  }

  private VariantStatus startBuild(PythonEnvironment resource, Inputs inputs, VariantPlan plan, VariantStatus v,
      ImageReference image, String imageKey, String token) {
    String namespace = resource.getMetadata().getNamespace();
    String repository = image.registry() + "/" + image.repository();
    String jobName = BuildNames.jobName(repository, image.tag());
    Optional<String> holder = coordinator.claim(imageKey, namespace + "/" + jobName)
        .map(ref -> relativeJobRef(ref, namespace));
    v.setPhase(VariantPhase.Building);
    v.setReason(Reasons.BUILD_PENDING);
    if (holder.isPresent()) {
      v.setJobName(holder.get());
      v.setMessage("waiting for build " + holder.get() + " to start");
      return v;
    }
    BuildContext buildContext = plan.render();
    BuildJobSpec spec = buildJobSpec(resource, inputs, plan, image, imageKey, jobName, token,
        List.copyOf(buildContext.files().keySet()));
    try {
      Job created = buildObjects.create(spec, buildContext);
      metrics.buildStarted();
      v.setRebuildToken(token);
      events.normal(resource, "BuildStarted", plan.variant() + "/" + created.getMetadata().getUid(),
          "variant " + plan.variant() + ": building " + image + " (" + plan.plan().packages().size()
              + " packages) in Job " + jobName);
      LOG.info("resource={}/{} variant={} image={} job={} build started", namespace,
          resource.getMetadata().getName(), plan.variant(), image, jobName);
      v.setJobName(jobName);
      v.setStartTime(now());
      v.setMessage("build Job " + jobName + " created");
    } catch (KubernetesClientException e) {
      coordinator.release(imageKey);
      if (e.getCode() != 409) {
        throw e;
      }
      v.setJobName(jobName);
      v.setMessage("build Job " + jobName + " already exists; following it");
    }
    return v;
  }

  private BuildJobSpec buildJobSpec(PythonEnvironment resource, Inputs inputs, VariantPlan plan,
      ImageReference image, String imageKey, String jobName, String token, List<String> contextFiles) {
    PythonEnvironmentSpec spec = resource.getSpec();
    var builder = spec.getBuilder();
    OwnerReference owner = new OwnerReferenceBuilder()
        .withApiVersion(resource.getApiVersion()).withKind(resource.getKind())
        .withName(resource.getMetadata().getName()).withUid(resource.getMetadata().getUid())
        .withController(true).withBlockOwnerDeletion(true)
        .build();
    Map<String, String> annotations = new java.util.TreeMap<>();
    annotations.put(Labels.IMAGE_ANNOTATION, image.toString());
    annotations.put(Labels.HASH_ANNOTATION, plan.hash().hex());
    annotations.put(Labels.OWNER_ANNOTATION, resource.getMetadata().getNamespace() + "/"
        + resource.getMetadata().getName());
    if (token != null) {
      annotations.put(Labels.REBUILD_TOKEN_ANNOTATION, token);
    }
    String cacheRepository = builder != null && builder.getCacheRepository() != null ? builder.getCacheRepository()
        : builderDefaults.cacheRepository();
    return new BuildJobSpec(
        resource.getMetadata().getNamespace(),
        jobName,
        image.registry() + "/" + image.repository(),
        image.tag(),
        image.registry(),
        inputs.access().insecure(),
        plan.recipe().platform(),
        builder != null && builder.getImage() != null ? builder.getImage() : builderDefaults.image(),
        builder != null && builder.getResources() != null ? builder.getResources() : builderDefaults.resources(),
        builder != null && builder.getActiveDeadlineSeconds() != null ? builder.getActiveDeadlineSeconds()
            : builderDefaults.activeDeadlineSeconds(),
        builderDefaults.ttlSecondsAfterFinished(),
        cacheRepository,
        builder == null ? null : builder.getServiceAccountName(),
        spec.getImage().getPushSecretRef() == null ? null : spec.getImage().getPushSecretRef().getName(),
        spec.getIndexCredentialsSecretRef() == null ? null : spec.getIndexCredentialsSecretRef().getName(),
        spec.getIndexCredentialsSecretRef() == null ? null : spec.getIndexCredentialsSecretRef().getKey(),
        spec.getImage().getCaConfigMapRef() == null ? null : spec.getImage().getCaConfigMapRef().getName(),
        spec.getImage().getCaConfigMapRef() == null ? null : spec.getImage().getCaConfigMapRef().getKey(),
        contextFiles,
        Labels.build(imageKey, resource.getMetadata().getUid(), plan.variant()),
        annotations,
        owner);
  }

  private VariantStatus building(VariantStatus v, Job job, BuildOutcome outcome, PythonEnvironment resource) {
    v.setPhase(VariantPhase.Building);
    v.setReason(outcome.state() == BuildOutcome.State.RUNNING ? Reasons.BUILD_RUNNING : Reasons.BUILD_PENDING);
    v.setJobName(jobRef(job, resource));
    v.setStartTime(startTime(job));
    v.setMessage(outcome.message());
    return v;
  }

  private VariantStatus failed(VariantStatus v, Job job, BuildOutcome outcome, PythonEnvironment resource) {
    v.setPhase(VariantPhase.Failed);
    v.setReason(outcome.reason());
    v.setMessage(outcome.message());
    v.setJobName(jobRef(job, resource));
    v.setStartTime(startTime(job));
    v.setCompletionTime(completionTime(job));
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

  static Problem registryProblem(ManifestCheck check, ImageReference image) {
    String reason = switch (check.kind()) {
      case UNAUTHORIZED -> Reasons.REGISTRY_UNAUTHORIZED;
      case TIMEOUT -> Reasons.REGISTRY_TIMEOUT;
      default -> Reasons.REGISTRY_ERROR;
    };
    return new Problem(reason, "registry " + image.registry() + " did not say whether " + image + " exists: "
        + check.reason() + "; retrying with backoff (nothing is built meanwhile)");
  }

  private void recordTransition(PythonEnvironment resource, VariantStatus before, VariantStatus after) {
    VariantPhase was = before == null ? null : before.getPhase();
    boolean sameHash = before != null && Objects.equals(before.getHash(), after.getHash());
    if (after.getPhase() == VariantPhase.Succeeded && (was != VariantPhase.Succeeded || !sameHash)) {
      metrics.buildSucceeded();
      events.normal(resource, "BuildSucceeded", after.getName() + "/" + after.getHash() + "/" + after.getJobName(),
          "variant " + after.getName() + ": image " + after.getImage() + " is ready");
    }
    if (after.getPhase() == VariantPhase.Failed && (was != VariantPhase.Failed || !sameHash)) {
      metrics.buildFailed(after.getReason());
      events.warning(resource, "BuildFailed", after.getName() + "/" + after.getHash() + "/" + after.getJobName()
          + "/" + after.getGeneration(), "variant " + after.getName() + ": " + after.getReason() + ": "
          + after.getMessage());
    }
  }

  /** The build's Pods: their states say why a build waits or failed, and their termination message the digest. */
  private List<Pod> podsOf(Job job) {
    return pods.byIndex(POD_JOB_INDEX, job.getMetadata().getNamespace() + "/" + job.getMetadata().getName());
  }

  private void deleteBuild(Job job) {
    coordinator.deleted(job);
    buildObjects.delete(job);
  }

  private UpdateControl<PythonEnvironment> finish(PythonEnvironment resource, PythonEnvironmentStatus previous,
      PythonEnvironmentStatus status, Duration next) {
    UpdateControl<PythonEnvironment> control;
    if (status.equals(previous)) {
      control = UpdateControl.noUpdate();
    } else {
      resource.setStatus(status);
      control = UpdateControl.patchStatus(resource);
    }
    return next == null ? control : control.rescheduleAfter(next);
  }

  private static VariantStatus previousVariant(PythonEnvironmentStatus previous, String name) {
    if (previous == null || previous.getVariants() == null) {
      return null;
    }
    return previous.getVariants().stream().filter(v -> name.equals(v.getName())).findFirst().orElse(null);
  }

  private static String specReason(PythonEnvironmentStatus status) {
    return status.condition("InvalidSpec").filter(c -> "True".equals(c.getStatus())).isPresent()
        ? Reasons.INVALID_SPEC : null;
  }

  static List<String> imageKeysOf(PythonEnvironment resource) {
    if (resource.getStatus() == null || resource.getStatus().getVariants() == null || resource.getSpec() == null
        || resource.getSpec().getImage() == null) {
      return List.of();
    }
    List<String> keys = new ArrayList<>();
    for (VariantStatus v : resource.getStatus().getVariants()) {
      if (v.getTag() == null) {
        continue;
      }
      try {
        ImageReference image = ImageReference.parse(resource.getSpec().getImage().getRepository()).withTag(v.getTag());
        keys.add(BuildNames.imageKey(image.registry() + "/" + image.repository(), v.getTag()));
      } catch (IllegalArgumentException e) {
        // an invalid repository has no builds to follow
      }
    }
    return keys;
  }

  private static String annotation(Job job, String key) {
    return job.getMetadata().getAnnotations() == null ? null : job.getMetadata().getAnnotations().get(key);
  }

  /** "namespace/name" of a claimed Job, as just "name" when it is in the resource's own namespace. */
  private static String relativeJobRef(String namespacedRef, String namespace) {
    return namespacedRef.startsWith(namespace + "/") ? namespacedRef.substring(namespace.length() + 1)
        : namespacedRef;
  }

  private static String jobRef(Job job, PythonEnvironment resource) {
    return job.getMetadata().getNamespace().equals(resource.getMetadata().getNamespace())
        ? job.getMetadata().getName() : job.getMetadata().getNamespace() + "/" + job.getMetadata().getName();
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
    return job.getStatus().getConditions() == null ? null : job.getStatus().getConditions().stream()
        .filter(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus()))
        .map(c -> c.getLastTransitionTime()).findFirst().orElse(null);
  }

  private String now() {
    return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
