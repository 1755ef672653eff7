package dev.envforge.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.api.v1alpha1.EnvforgeApi.Reasons;
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
import dev.envforge.operator.VariantDecision.AskRegistry;
import dev.envforge.operator.VariantDecision.Decision;
import dev.envforge.operator.VariantDecision.ExistingBuild;
import dev.envforge.operator.VariantDecision.Report;
import dev.envforge.operator.VariantDecision.Situation;
import dev.envforge.operator.VariantDecision.StartBuild;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The per-variant state machine, decided without an API server, a registry or a clock. */
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

    assertThat(VariantDecision.decide(situation)).isInstanceOf(AskRegistry.class);
    Report report = report(VariantDecision.decide(situation.withRegistry(ManifestCheck.present(DIGEST))));

    assertThat(report.cacheHit()).isTrue();
    assertThat(report.registryProblem()).isNull();
    VariantStatus v = report.status();
    assertThat(v.getPhase()).isEqualTo(VariantPhase.Cached);
    assertThat(v.getReason()).isEqualTo(Reasons.CACHED);
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
    VariantStatus before = report(VariantDecision.decide(
        new Situation(null, plan, image, 1, null, null, null, ManifestCheck.present(DIGEST)))).status();

    Report again = report(VariantDecision.decide(
        new Situation(before, plan, image, 2, null, null, null, ManifestCheck.present(DIGEST))));

    assertThat(again.status().getPhase()).isEqualTo(VariantPhase.Cached);
    assertThat(again.cacheHit()).isFalse();
  }

  @Test
  void absentImageStartsABuild() {
    Decision decision = VariantDecision.decide(
        new Situation(null, plan, image, 1, null, null, null, ManifestCheck.absent()));

    StartBuild start = (StartBuild) decision;
    assertThat(start.replaceExisting()).isFalse();
    VariantStatus v = VariantDecision.buildCreated(start.status(), "envforge-build-1", null, "2030-01-01T00:00:00Z");
    assertThat(v.getPhase()).isEqualTo(VariantPhase.Building);
    assertThat(v.getReason()).isEqualTo(Reasons.BUILD_PENDING);
    assertThat(v.getJobName()).isEqualTo("envforge-build-1");
    assertThat(v.getStartTime()).isEqualTo("2030-01-01T00:00:00Z");
    assertThat(v.getHash()).isEqualTo(plan.hash().hex());
  }

  @Test
  void runningBuildInAnotherNamespaceIsFollowedNotDuplicated() {
    Job job = job("team-b", "envforge-build-1", null);
    ExistingBuild theirs = ExistingBuild.of(job, "team-a", BuildOutcome.running("installing 42 packages"));

    Report report = report(VariantDecision.decide(new Situation(null, plan, image, 1, null, theirs, null, null)));

    VariantStatus v = report.status();
    assertThat(v.getPhase()).isEqualTo(VariantPhase.Building);
    assertThat(v.getReason()).isEqualTo(Reasons.BUILD_RUNNING);
    assertThat(v.getJobName()).isEqualTo("team-b/envforge-build-1");
    assertThat(v.getStartTime()).isEqualTo("2030-01-01T00:00:00Z");
    assertThat(v.getMessage()).isEqualTo("installing 42 packages");
  }

  @Test
  void finishedBuildOfAnotherNamespaceIsAdopted() {
    VariantStatus before = building("team-b/envforge-build-1", null, 1);
    ExistingBuild theirs = ExistingBuild.of(job("team-b", "envforge-build-1", null), "team-a",
        BuildOutcome.succeeded(DIGEST));
    Situation situation = new Situation(before, plan, image, 1, null, theirs, null, null);

    assertThat(VariantDecision.decide(situation)).isInstanceOf(AskRegistry.class);
    Report report = report(VariantDecision.decide(situation.withRegistry(ManifestCheck.present(DIGEST))));

    assertThat(report.status().getPhase()).isEqualTo(VariantPhase.Succeeded);
    assertThat(report.status().getImage()).isEqualTo(image + "@" + DIGEST);
    assertThat(report.status().getJobName()).isEqualTo("team-b/envforge-build-1");
    assertThat(report.status().getMessage()).isEqualTo("image built and pushed");
  }

  @Test
  void buildClaimedElsewhereIsWaitedFor() {
    Report report = report(VariantDecision.decide(
        new Situation(null, plan, image, 1, null, null, "team-b/envforge-build-1", null)));

    assertThat(report.status().getPhase()).isEqualTo(VariantPhase.Building);
    assertThat(report.status().getReason()).isEqualTo(Reasons.BUILD_PENDING);
    assertThat(report.status().getMessage()).isEqualTo("waiting for build team-b/envforge-build-1 to start");
  }

  @Test
  void failureIsKeptAtTheSameGenerationWithoutAskingTheRegistry() {
    VariantStatus before = failed(3);

    Report report = report(VariantDecision.decide(new Situation(before, plan, image, 3, null, null, null, null)));

    assertThat(report.status().getPhase()).isEqualTo(VariantPhase.Failed);
    assertThat(report.status().getReason()).isEqualTo(Reasons.BUILD_FAILED);
    assertThat(report.status().getMessage()).isEqualTo("pip exited 1");
    assertThat(report.status().getGeneration()).isEqualTo(3L);
  }

  @Test
  void failedJobStillThereIsNotRetriedAtTheSameGeneration() {
    ExistingBuild ours = new ExistingBuild("envforge-build-1", true, null, "2030-01-01T00:00:00Z",
        "2030-01-01T00:05:00Z", BuildOutcome.failed(Reasons.BUILD_FAILED, "pip exited 1"));

    Report report = report(VariantDecision.decide(new Situation(failed(3), plan, image, 3, null, ours, null, null)));

    assertThat(report.status().getPhase()).isEqualTo(VariantPhase.Failed);
    assertThat(report.status().getCompletionTime()).isEqualTo("2030-01-01T00:05:00Z");
    assertThat(report.status().getGeneration()).as("the generation the failure was reached at").isEqualTo(3L);
  }

  @Test
  void failureIsRetriedAtANewerGeneration() {
    ExistingBuild ours = new ExistingBuild("envforge-build-1", true, null, "2030-01-01T00:00:00Z",
        "2030-01-01T00:05:00Z", BuildOutcome.failed(Reasons.BUILD_FAILED, "pip exited 1"));

    StartBuild start = (StartBuild) VariantDecision.decide(new Situation(failed(3), plan, image, 4, null, ours, null,
        null));

    assertThat(start.replaceExisting()).as("the failed Job has the new build's name").isTrue();
    assertThat(start.status().getGeneration()).isEqualTo(4L);
  }

  @Test
  void failureWithoutItsJobIsRetriedAtANewerGenerationAfterAskingTheRegistry() {
    Situation situation = new Situation(failed(3), plan, image, 4, null, null, null, null);

    assertThat(VariantDecision.decide(situation)).isInstanceOf(AskRegistry.class);
    Decision decision = VariantDecision.decide(situation.withRegistry(ManifestCheck.absent()));

    assertThat(decision).isInstanceOf(StartBuild.class);
    assertThat(((StartBuild) decision).replaceExisting()).as("there is no Job to replace").isFalse();
    assertThat(((StartBuild) decision).status().getGeneration()).isEqualTo(4L);
  }

  @Test
  void newRebuildTokenForcesOneBuildAndIsThenRecorded() {
    VariantStatus cached = report(VariantDecision.decide(
        new Situation(null, plan, image, 1, "t1", null, null, ManifestCheck.present(DIGEST)))).status();

    // the image exists, yet the registry is not even asked: the new token asks for a build
    Decision forced = VariantDecision.decide(new Situation(cached, plan, image, 2, "t2", null, null, null));
    StartBuild start = (StartBuild) forced;
    assertThat(start.status().getRebuildToken()).as("not recorded before a build exists").isEqualTo("t1");
    VariantStatus started = VariantDecision.buildCreated(start.status(), "envforge-build-1", "t2",
        "2030-01-01T00:00:00Z");
    assertThat(started.getRebuildToken()).isEqualTo("t2");

    // the build with the token succeeded: adopted, and nothing is built again
    ExistingBuild built = new ExistingBuild("envforge-build-1", true, "t2", "2030-01-01T00:00:00Z",
        "2030-01-01T00:05:00Z", BuildOutcome.succeeded(DIGEST));
    Situation after = new Situation(started, plan, image, 2, "t2", built, null, ManifestCheck.present(DIGEST));
    Report report = report(VariantDecision.decide(after));
    assertThat(report.status().getPhase()).isEqualTo(VariantPhase.Succeeded);
    assertThat(report.status().getRebuildToken()).isEqualTo("t2");

    // once the Job is gone (TTL), the recorded token no longer forces anything
    Report later = report(VariantDecision.decide(
        new Situation(report.status(), plan, image, 2, "t2", null, null, ManifestCheck.present(DIGEST))));
    assertThat(later.status().getPhase()).isEqualTo(VariantPhase.Succeeded);
    assertThat(later.status().getRebuildToken()).isEqualTo("t2");
  }

  @Test
  void newRebuildTokenReplacesAFinishedBuildMadeWithoutIt() {
    VariantStatus before = building("envforge-build-1", "t1", 1);
    ExistingBuild old = new ExistingBuild("envforge-build-1", true, "t1", "2030-01-01T00:00:00Z",
        "2030-01-01T00:05:00Z", BuildOutcome.succeeded(OLD_DIGEST));

    StartBuild start = (StartBuild) VariantDecision.decide(new Situation(before, plan, image, 2, "t2", old, null,
        null));

    assertThat(start.replaceExisting()).isTrue();
  }

  @Test
  void registryThatCannotAnswerKeepsThePreviousImage() {
    VariantStatus before = report(VariantDecision.decide(
        new Situation(null, plan, image, 1, null, null, null, ManifestCheck.present(DIGEST)))).status();

    Report report = report(VariantDecision.decide(new Situation(before, plan, image, 1, null, null, null,
        ManifestCheck.unknown(UnknownKind.TIMEOUT, "no answer within 5s"))));

    assertThat(report.status().getPhase()).isEqualTo(VariantPhase.Checking);
    assertThat(report.status().getImage()).isEqualTo(image + "@" + DIGEST);
    assertThat(report.status().getMessage()).contains("no answer within 5s");
    assertThat(report.registryProblem().reason()).isEqualTo(Reasons.REGISTRY_TIMEOUT);
    assertThat(report.cacheHit()).isFalse();
  }

  @Test
  void registryThatCannotAnswerForANewPlanShowsNoImage() {
    VariantStatus before = report(VariantDecision.decide(
        new Situation(null, plan, image, 1, null, null, null, ManifestCheck.present(DIGEST)))).status();
    VariantPlan changed = new VariantPlan(plan.variant(), plan.plan(), plan.recipe(),
        new PlanHash("0".repeat(64), "ef-" + "0".repeat(32), "{}"), plan.lockDigest());

    Report report = report(VariantDecision.decide(new Situation(before, changed, image.withTag(changed.hash().tag()),
        2, null, null, null, ManifestCheck.unknown(UnknownKind.UNAUTHORIZED, "401"))));

    assertThat(report.status().getImage()).as("the old image is another plan's").isNull();
    assertThat(report.registryProblem().reason()).isEqualTo(Reasons.REGISTRY_UNAUTHORIZED);
  }

  @Test
  void existingBuildReadsItsJob() {
    Job job = new JobBuilder(job("team-a", "envforge-build-1", "t1")).editStatus().addNewCondition()
        .withType("Failed").withStatus("True").withLastTransitionTime("2030-01-01T00:09:00Z").endCondition()
        .endStatus().build();

    ExistingBuild build = ExistingBuild.of(job, "team-a", BuildOutcome.failed(Reasons.BUILD_FAILED, "x"));

    assertThat(build).isEqualTo(new ExistingBuild("envforge-build-1", true, "t1", "2030-01-01T00:00:00Z",
        "2030-01-01T00:09:00Z", BuildOutcome.failed(Reasons.BUILD_FAILED, "x")));
  }

  static Report report(Decision decision) {
    assertThat(decision).isInstanceOf(Report.class);
    return (Report) decision;
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
    v.setReason(Reasons.BUILD_RUNNING);
    v.setJobName(jobName);
    v.setRebuildToken(rebuildToken);
    v.setGeneration(generation);
    return v;
  }

  static VariantStatus failed(long generation) {
    VariantStatus v = building("envforge-build-1", null, generation);
    v.setPhase(VariantPhase.Failed);
    v.setReason(Reasons.BUILD_FAILED);
    v.setMessage("pip exited 1");
    v.setCompletionTime("2030-01-01T00:05:00Z");
    return v;
  }
}
