package dev.envforge.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.api.v1alpha1.Reason;
import dev.envforge.api.v1alpha1.VariantPhase;
import dev.envforge.api.v1alpha1.VariantStatus;
import dev.envforge.core.hash.PlanHash;
import dev.envforge.core.lock.ProjectFiles;
import dev.envforge.core.plan.Selection;
import dev.envforge.core.plan.Target;
import dev.envforge.core.planner.EnvironmentPlanner;
import dev.envforge.core.planner.PlanningRequest;
import dev.envforge.core.planner.VariantPlan;
import dev.envforge.core.planner.VariantRequest;
import dev.envforge.core.recipe.Installer;
import dev.envforge.core.registry.ImageReference;
import dev.envforge.core.registry.ManifestCheck;
import dev.envforge.core.registry.ManifestCheck.UnknownKind;
import dev.envforge.operator.VariantDecision.Adopt;
import dev.envforge.operator.VariantDecision.AskRegistry;
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
import dev.envforge.operator.VariantProjection.Created;
import dev.envforge.operator.VariantProjection.Projection;
import java.time.Instant;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The per-variant state machine, decided without an API server, a registry or a clock: the decision's intent, and
 * the status the projection makes of it.
 */
class VariantDecisionTest {
  static final String DIGEST = "sha256:" + "ab".repeat(32);
  static final String OLD_DIGEST = "sha256:" + "cd".repeat(32);
  static VariantPlan plan;
  static ImageReference image;

  @BeforeAll
  static void planARealLock() {
    String pyproject = OperatorHarness.resource("corpus/uv-langchain-ai-langgraph/pyproject.toml");
    String lock = OperatorHarness.resource("corpus/uv-langchain-ai-langgraph/uv.lock");
    plan = EnvironmentPlanner.plan(ProjectFiles.of(Map.of("pyproject.toml", pyproject, "uv.lock", lock),
            "corpus/uv-langchain-ai-langgraph/"),
        new PlanningRequest(null, Target.DEFAULT, null, Installer.UV),
        new VariantRequest("default", new Selection(List.of(), List.of())));
    image = ImageReference.parse("registry.example/team/app").withTag(plan.hash().tag());
  }

  @Test
  void imageInTheRegistryIsACacheHitWithoutABuild() {
    Situation situation = new Situation(null, plan, image, 1, "t1", null, null, null);

    assertThat(VariantDecision.decide(situation)).isEqualTo(new AskRegistry(null));
    Projection projection = project(situation.withRegistry(ManifestCheck.present(DIGEST)), Cached.class);

    assertThat(projection.cacheHit()).isTrue();
    assertThat(projection.registryProblem()).isNull();
    VariantStatus v = projection.status();
    assertThat(v.getPhase()).isEqualTo(VariantPhase.Cached);
    assertThat(v.getReason()).isEqualTo(Reason.CACHED.wire());
    assertThat(v.getImage()).isEqualTo(image + "@" + DIGEST);
    assertThat(v.getHash()).isEqualTo(plan.hash().hex());
    assertThat(v.getTag()).isEqualTo(plan.hash().tag());
    assertThat(v.getPackages()).isEqualTo(plan.plan().packages().size());
    // the project asks for langchain-core itself; its other packages are dependencies
    assertThat(v.getRequestedPackages()).isEqualTo(1).isLessThan(v.getPackages());
    assertThat(v.getGeneration()).isEqualTo(1L);
    assertThat(v.getRebuildToken()).as("a new resource adopts its token without building").isEqualTo("t1");
  }

  @Test
  void imageStillCachedIsNotCountedAgain() {
    VariantStatus before = cached();

    Projection again = project(new Situation(before, plan, image, 2, null, null, null, ManifestCheck.present(DIGEST)),
        Cached.class);

    assertThat(again.status().getPhase()).isEqualTo(VariantPhase.Cached);
    assertThat(again.cacheHit()).isFalse();
  }

  @Test
  void absentImageStartsABuild() {
    Situation situation = new Situation(null, plan, image, 1, null, null, null, ManifestCheck.absent());
    assertThat(VariantDecision.decide(situation)).isEqualTo(new StartBuild(false));

    VariantStatus v = VariantProjection.project(situation, new StartBuild(false),
        new Created("envforge-build-1", null, "2030-01-01T00:00:00Z")).status();

    assertThat(v.getPhase()).isEqualTo(VariantPhase.Building);
    assertThat(v.getReason()).isEqualTo(Reason.BUILD_PENDING.wire());
    assertThat(v.getJobName()).isEqualTo("envforge-build-1");
    assertThat(v.getStartTime()).isEqualTo("2030-01-01T00:00:00Z");
    assertThat(v.getHash()).isEqualTo(plan.hash().hex());
    assertThat(v.getImage()).isNull();
  }

  @Test
  void runningBuildInAnotherNamespaceIsFollowedNotDuplicated() {
    Job job = job("team-b", "envforge-build-1", null);
    ExistingBuild theirs = ExistingBuild.of(job, "team-a", BuildOutcome.running("installing 42 packages"));

    VariantStatus v = project(new Situation(null, plan, image, 1, null, theirs, null, null), Follow.class).status();

    assertThat(v.getPhase()).isEqualTo(VariantPhase.Building);
    assertThat(v.getReason()).isEqualTo(Reason.BUILD_RUNNING.wire());
    assertThat(v.getJobName()).isEqualTo("team-b/envforge-build-1");
    assertThat(v.getStartTime()).isEqualTo("2030-01-01T00:00:00Z");
    assertThat(v.getMessage()).isEqualTo("installing 42 packages");
  }

  @Test
  void finishedBuildThisVariantWaitedForIsAdopted() {
    VariantStatus before = building("team-b/envforge-build-1", null, 1);
    ExistingBuild theirs = ExistingBuild.of(finished(job("team-b", "envforge-build-1", null)), "team-a",
        BuildOutcome.succeeded(DIGEST));
    Situation situation = new Situation(before, plan, image, 1, null, theirs, null, null);

    assertThat(VariantDecision.decide(situation)).as("a fresh answer, from after the build finished")
        .isEqualTo(new AskRegistry(Instant.parse("2030-01-01T00:05:01Z")));
    Projection projection = project(situation.withRegistry(ManifestCheck.present(DIGEST)), Adopt.class);

    assertThat(projection.status().getPhase()).isEqualTo(VariantPhase.Succeeded);
    assertThat(projection.status().getImage()).isEqualTo(image + "@" + DIGEST);
    assertThat(projection.status().getJobName()).isEqualTo("team-b/envforge-build-1");
    assertThat(projection.status().getMessage()).isEqualTo("image built and pushed");
    assertThat(projection.cacheHit()).isFalse();
  }

  @Test
  void finishedBuildOfAnotherResourceIsACacheHitNotABuild() {
    ExistingBuild theirs = ExistingBuild.of(finished(job("team-b", "envforge-build-1", null)), "team-a",
        BuildOutcome.succeeded(DIGEST));
    Situation situation = new Situation(null, plan, image, 1, null, theirs, null, null);

    assertThat(VariantDecision.decide(situation)).isInstanceOf(AskRegistry.class);
    Projection projection = project(situation.withRegistry(ManifestCheck.present(DIGEST)), Cached.class);

    assertThat(projection.status().getPhase()).isEqualTo(VariantPhase.Cached);
    assertThat(projection.status().getReason()).isEqualTo(Reason.CACHED.wire());
    assertThat(projection.status().getJobName()).as("no build of this resource").isNull();
    assertThat(projection.cacheHit()).isTrue();
  }

  @Test
  void buildClaimedElsewhereIsWaitedFor() {
    VariantStatus v = project(new Situation(null, plan, image, 1, null, null, "team-b/envforge-build-1", null),
        WaitForClaim.class).status();

    assertThat(v.getPhase()).isEqualTo(VariantPhase.Building);
    assertThat(v.getReason()).isEqualTo(Reason.BUILD_PENDING.wire());
    assertThat(v.getMessage()).isEqualTo("waiting for build team-b/envforge-build-1 to start");
  }

  @Test
  void failureIsKeptAtTheSameGenerationWithoutAskingTheRegistry() {
    VariantStatus v = project(new Situation(failed(3), plan, image, 3, null, null, null, null), KeepFailure.class)
        .status();

    assertThat(v.getPhase()).isEqualTo(VariantPhase.Failed);
    assertThat(v.getReason()).isEqualTo(Reason.BUILD_FAILED.wire());
    assertThat(v.getMessage()).isEqualTo("pip exited 1");
    assertThat(v.getGeneration()).isEqualTo(3L);
  }

  @Test
  void failedJobStillThereIsNotRetriedAtTheSameGeneration() {
    ExistingBuild ours = new ExistingBuild("envforge-build-1", true, null, "2030-01-01T00:00:00Z",
        "2030-01-01T00:05:00Z", BuildOutcome.failed(Reason.BUILD_FAILED, "pip exited 1"));

    VariantStatus v = project(new Situation(failed(3), plan, image, 3, null, ours, null, null), KeepFailure.class)
        .status();

    assertThat(v.getPhase()).isEqualTo(VariantPhase.Failed);
    assertThat(v.getCompletionTime()).isEqualTo("2030-01-01T00:05:00Z");
    assertThat(v.getGeneration()).as("the generation the failure was reached at").isEqualTo(3L);
  }

  @Test
  void failureIsRetriedAtANewerGeneration() {
    ExistingBuild ours = new ExistingBuild("envforge-build-1", true, null, "2030-01-01T00:00:00Z",
        "2030-01-01T00:05:00Z", BuildOutcome.failed(Reason.BUILD_FAILED, "pip exited 1"));
    Situation situation = new Situation(failed(3), plan, image, 4, null, ours, null, null);

    assertThat(VariantDecision.decide(situation)).as("the failed Job has the new build's name")
        .isEqualTo(new StartBuild(true));
    VariantStatus v = VariantProjection.project(situation, new StartBuild(true),
        new Created("envforge-build-1", null, "2030-01-02T00:00:00Z")).status();
    assertThat(v.getGeneration()).isEqualTo(4L);
  }

  @Test
  void failureWithoutItsJobIsRetriedAtANewerGenerationAfterAskingTheRegistry() {
    Situation situation = new Situation(failed(3), plan, image, 4, null, null, null, null);

    assertThat(VariantDecision.decide(situation)).isInstanceOf(AskRegistry.class);
    assertThat(VariantDecision.decide(situation.withRegistry(ManifestCheck.absent())))
        .as("there is no Job to replace").isEqualTo(new StartBuild(false));
  }

  @Test
  void newRebuildTokenForcesOneBuildAndIsThenRecorded() {
    VariantStatus cached = project(new Situation(null, plan, image, 1, "t1", null, null,
        ManifestCheck.present(DIGEST)), Cached.class).status();

    // the image exists, yet the registry is not even asked: the new token asks for a build
    Situation forced = new Situation(cached, plan, image, 2, "t2", null, null, null);
    assertThat(VariantDecision.decide(forced)).isEqualTo(new StartBuild(false));
    VariantStatus started = VariantProjection.project(forced, new StartBuild(false),
        new Created("envforge-build-1", "t2", "2030-01-01T00:00:00Z")).status();
    assertThat(started.getRebuildToken()).isEqualTo("t2");
    assertThat(started.getImage()).as("the image exists while it is built again").isEqualTo(image + "@" + DIGEST);

    // the build with the token pushed a new digest: the status shows it, not the one seen before the build
    ExistingBuild built = new ExistingBuild("envforge-build-1", true, "t2", "2030-01-01T00:00:00Z",
        "2030-01-01T00:05:00Z", BuildOutcome.succeeded(OLD_DIGEST));
    Situation after = new Situation(started, plan, image, 2, "t2", built, null, null);
    assertThat(VariantDecision.decide(after)).isEqualTo(new AskRegistry(Instant.parse("2030-01-01T00:05:01Z")));
    VariantStatus rebuilt = project(after.withRegistry(ManifestCheck.present(OLD_DIGEST)), Adopt.class).status();
    assertThat(rebuilt.getPhase()).isEqualTo(VariantPhase.Succeeded);
    assertThat(rebuilt.getImage()).isEqualTo(image + "@" + OLD_DIGEST);
    assertThat(rebuilt.getRebuildToken()).isEqualTo("t2");

    // once the Job is gone (TTL), the recorded token no longer forces anything
    VariantStatus later = project(new Situation(rebuilt, plan, image, 2, "t2", null, null,
        ManifestCheck.present(OLD_DIGEST)), Cached.class).status();
    assertThat(later.getPhase()).isEqualTo(VariantPhase.Succeeded);
    assertThat(later.getRebuildToken()).isEqualTo("t2");
  }

  @Test
  void newRebuildTokenReplacesAFinishedBuildMadeWithoutIt() {
    VariantStatus before = building("envforge-build-1", "t1", 1);
    ExistingBuild old = new ExistingBuild("envforge-build-1", true, "t1", "2030-01-01T00:00:00Z",
        "2030-01-01T00:05:00Z", BuildOutcome.succeeded(OLD_DIGEST));

    assertThat(VariantDecision.decide(new Situation(before, plan, image, 2, "t2", old, null, null)))
        .isEqualTo(new StartBuild(true));
  }

  @Test
  void someoneElsesRebuildOfTheTagKeepsTheImageAndThenShowsTheNewDigest() {
    VariantStatus before = cached();
    ExistingBuild running = new ExistingBuild("team-b/envforge-build-1", false, "forced", "2030-01-01T00:00:00Z",
        null, BuildOutcome.running("installing"));

    Projection during = project(new Situation(before, plan, image, 1, null, running, null, null), KeepImage.class);
    assertThat(during.status()).isEqualTo(before);
    assertThat(StatusAggregator.hasImage(during.status())).isTrue();

    ExistingBuild done = new ExistingBuild("team-b/envforge-build-1", false, "forced", "2030-01-01T00:00:00Z",
        "2030-01-01T00:05:00Z", BuildOutcome.succeeded(OLD_DIGEST));
    Situation after = new Situation(before, plan, image, 1, null, done, null, null);
    assertThat(VariantDecision.decide(after)).isEqualTo(new AskRegistry(Instant.parse("2030-01-01T00:05:01Z")));
    Projection projection = project(after.withRegistry(ManifestCheck.present(OLD_DIGEST)), Cached.class);
    assertThat(projection.status().getImage()).isEqualTo(image + "@" + OLD_DIGEST);
    assertThat(projection.status().getPhase()).isEqualTo(VariantPhase.Cached);
    assertThat(projection.cacheHit()).isFalse();
  }

  @Test
  void someoneElsesClaimOnTheTagKeepsTheImage() {
    VariantStatus before = cached();

    Projection projection = project(new Situation(before, plan, image, 1, null, null, "team-b/envforge-build-1",
        null), KeepImage.class);

    assertThat(projection.status()).isEqualTo(before);
  }

  @Test
  void someoneElsesFailedRebuildIsNotThisVariantsFailure() {
    ExistingBuild failedRebuild = new ExistingBuild("team-b/envforge-build-1", false, "forced",
        "2030-01-01T00:00:00Z", "2030-01-01T00:05:00Z", BuildOutcome.failed(Reason.OOM_KILLED, "out of memory"));
    Situation situation = new Situation(cached(), plan, image, 1, null, failedRebuild, null, null);

    assertThat(VariantDecision.decide(situation)).isEqualTo(new AskRegistry(null));
    VariantStatus v = project(situation.withRegistry(ManifestCheck.present(DIGEST)), Cached.class).status();
    assertThat(v.getPhase()).isEqualTo(VariantPhase.Cached);
    assertThat(v.getImage()).isEqualTo(image + "@" + DIGEST);
  }

  @Test
  void registryThatCannotAnswerKeepsThePreviousImage() {
    Projection projection = project(new Situation(cached(), plan, image, 1, null, null, null,
        ManifestCheck.unknown(UnknownKind.TIMEOUT, "no answer within 5s")), WaitForRegistry.class);

    assertThat(projection.status().getPhase()).isEqualTo(VariantPhase.Checking);
    assertThat(projection.status().getImage()).isEqualTo(image + "@" + DIGEST);
    assertThat(projection.status().getMessage()).contains("no answer within 5s");
    assertThat(projection.registryProblem().reason()).isEqualTo(Reason.REGISTRY_TIMEOUT);
    assertThat(projection.cacheHit()).isFalse();
  }

  @Test
  void registryThatCannotAnswerForANewPlanShowsNoImage() {
    VariantPlan changed = new VariantPlan(plan.variant(), plan.plan(), plan.recipe(),
        new PlanHash("0".repeat(64), "ef-" + "0".repeat(32), "{}"), plan.lockDigest());

    Projection projection = project(new Situation(cached(), changed, image.withTag(changed.hash().tag()), 2, null,
        null, null, ManifestCheck.unknown(UnknownKind.UNAUTHORIZED, "401")), WaitForRegistry.class);

    assertThat(projection.status().getImage()).as("the old image is another plan's").isNull();
    assertThat(projection.registryProblem().reason()).isEqualTo(Reason.REGISTRY_UNAUTHORIZED);
  }

  @Test
  void existingBuildReadsItsJob() {
    Job job = new JobBuilder(job("team-a", "envforge-build-1", "t1")).editStatus().addNewCondition()
        .withType("Failed").withStatus("True").withLastTransitionTime("2030-01-01T00:09:00Z").endCondition()
        .endStatus().build();

    ExistingBuild build = ExistingBuild.of(job, "team-a", BuildOutcome.failed(Reason.BUILD_FAILED, "x"));

    assertThat(build).isEqualTo(new ExistingBuild("envforge-build-1", true, "t1", "2030-01-01T00:00:00Z",
        "2030-01-01T00:09:00Z", BuildOutcome.failed(Reason.BUILD_FAILED, "x")));
  }

  /** Decides, checks the intent's kind and projects it (intents that need no build start). */
  static Projection project(Situation situation, Class<? extends Intent> expected) {
    Intent intent = VariantDecision.decide(situation);
    assertThat(intent).isInstanceOf(expected);
    return VariantProjection.project(situation, intent, null);
  }

  static VariantStatus cached() {
    return project(new Situation(null, plan, image, 1, null, null, null, ManifestCheck.present(DIGEST)),
        Cached.class).status();
  }

  static Job finished(Job job) {
    return new JobBuilder(job).editStatus().withCompletionTime("2030-01-01T00:05:00Z").endStatus().build();
  }

  static Job job(String namespace, String name, String rebuildToken) {
    return new JobBuilder().withNewMetadata().withNamespace(namespace).withName(name)
        .withCreationTimestamp("2029-12-31T23:59:00Z")
        .withAnnotations(rebuildToken == null ? Map.of() : Map.of(Labels.REBUILD_TOKEN_ANNOTATION, rebuildToken))
        .endMetadata()
        .withNewStatus().withStartTime("2030-01-01T00:00:00Z").endStatus()
        .build();
  }

  static VariantStatus building(String jobName, String rebuildToken, long generation) {
    VariantStatus v = new VariantStatus(plan.variant());
    v.setHash(plan.hash().hex());
    v.setTag(plan.hash().tag());
    v.setPhase(VariantPhase.Building);
    v.setReason(Reason.BUILD_RUNNING.wire());
    v.setJobName(jobName);
    v.setRebuildToken(rebuildToken);
    v.setGeneration(generation);
    return v;
  }

  static VariantStatus failed(long generation) {
    VariantStatus v = building("envforge-build-1", null, generation);
    v.setPhase(VariantPhase.Failed);
    v.setReason(Reason.BUILD_FAILED.wire());
    v.setMessage("pip exited 1");
    v.setCompletionTime("2030-01-01T00:05:00Z");
    return v;
  }
}
