package dev.envforge.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.api.v1alpha1.EnvforgeApi.Conditions;
import dev.envforge.api.v1alpha1.Reason;
import dev.envforge.api.v1alpha1.PythonEnvironment;
import dev.envforge.api.v1alpha1.VariantPhase;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Faults the operator survives, against the mock API server and a real registry: a restart mid-build, API errors on
 * status writes, objects changed from outside. In each, no build is started twice for one image and the final
 * status is right.
 */
class FaultsTest extends OperatorWithRegistry {
  static final String PYPROJECT = BuildFlowTest.PYPROJECT;
  static final String LOCK = BuildFlowTest.LOCK;
  static final String NS = "team-a";

  @Test
  void operatorRestartedMidBuildAdoptsTheJob() {
    String repo = registry.hostPort() + "/restart/env";
    k8s.apply(OperatorHarness.environment(NS, "env", PYPROJECT, LOCK, repo));
    Job job = k8s.awaitJob();
    k8s.markJobRunning(job);
    k8s.awaitCondition(NS, "env", Conditions.BUILDING, "True", Reason.BUILD_RUNNING.wire());

    k8s.restartOperator();
    String digest = registry.pushRandomImage("restart/env", BuildFlowTest.tagOf(LOCK, List.of()));
    k8s.podFinished(job, 0, "Completed", digest);
    k8s.finishJob(job, true, null);

    PythonEnvironment ready = k8s.awaitCondition(NS, "env", Conditions.READY, "True", Reason.BUILT.wire());
    assertThat(ready.getStatus().getImage()).endsWith("@" + digest);
    assertThat(ready.getStatus().getVariants().get(0).getJobName()).isEqualTo(job.getMetadata().getName());
    assertThat(k8s.jobs()).singleElement().satisfies(j ->
        assertThat(j.getMetadata().getUid()).isEqualTo(job.getMetadata().getUid()));
    assertThat(k8s.events(NS)).filteredOn(e -> "BuildStarted".equals(e.getReason())).hasSize(1);
  }

  @Test
  void statusWritesRefusedWithConflictsAndServerErrorsEndInTheRightStatus() {
    String repo = registry.hostPort() + "/flaky/env";
    String digest = registry.pushRandomImage("flaky/env", BuildFlowTest.tagOf(LOCK, List.of()));
    String statusPath = "/apis/envforge.dev/v1alpha1/namespaces/" + NS + "/pythonenvironments/env/status";
    k8s.server.expect().put().withPath(statusPath).andReturn(409, new StatusBuilder().withCode(409)
        .withReason("Conflict").build()).times(4);
    k8s.server.expect().put().withPath(statusPath).andReturn(500, new StatusBuilder().withCode(500).build())
        .times(4);

    k8s.apply(OperatorHarness.environment(NS, "env", PYPROJECT, LOCK, repo));

    PythonEnvironment ready = k8s.awaitCondition(NS, "env", Conditions.READY, "True", Reason.CACHED.wire());
    assertThat(ready.getStatus().getImage()).endsWith("@" + digest);
    assertThat(ready.getStatus().getObservedGeneration()).isEqualTo(ready.getMetadata().getGeneration());
    assertThat(k8s.jobs()).isEmpty();
  }

  @Test
  void buildJobDeletedMidBuildIsStartedAgainOnce() {
    String repo = registry.hostPort() + "/deleted-job/env";
    k8s.apply(OperatorHarness.environment(NS, "env", PYPROJECT, LOCK, repo));
    Job first = k8s.awaitJob();
    k8s.awaitCondition(NS, "env", Conditions.BUILDING, "True", null);

    k8s.client.resource(first).delete();

    k8s.awaitOrDescribe("a new build Job", () -> k8s.jobs().stream()
        .anyMatch(j -> !j.getMetadata().getUid().equals(first.getMetadata().getUid())));
    Job second = k8s.jobs().get(0);
    String digest = registry.pushRandomImage("deleted-job/env", BuildFlowTest.tagOf(LOCK, List.of()));
    k8s.podFinished(second, 0, "Completed", digest);
    k8s.finishJob(second, true, null);
    PythonEnvironment ready = k8s.awaitCondition(NS, "env", Conditions.READY, "True", Reason.BUILT.wire());
    assertThat(ready.getStatus().getImage()).endsWith("@" + digest);
    assertThat(k8s.jobs()).singleElement();
  }

  @Test
  void resourceThatStartedASharedBuildDeletedWhileOthersWaitStartsNoSecondBuild() {
    String repo = registry.hostPort() + "/orphaned/env";
    k8s.apply(OperatorHarness.environment("team-a", "starter", PYPROJECT, LOCK, repo));
    Job job = k8s.awaitJob();
    k8s.apply(OperatorHarness.environment("team-b", "follower", PYPROJECT, LOCK, repo));
    k8s.awaitCondition("team-b", "follower", Conditions.BUILDING, "True", null);
    k8s.markJobRunning(job);

    k8s.client.resources(PythonEnvironment.class).inNamespace("team-a").withName("starter").delete();
    k8s.awaitOrDescribe("the starter gone", () -> k8s.get("team-a", "starter") == null);

    assertThat(k8s.jobs()).as("the build continues for the follower").singleElement().satisfies(j -> {
      assertThat(j.getMetadata().getUid()).isEqualTo(job.getMetadata().getUid());
      assertThat(j.getMetadata().getOwnerReferences()).isNullOrEmpty();
    });
    assertThat(k8s.client.configMaps().inNamespace("team-a").withName(job.getMetadata().getName()).get())
        .as("its build context too").isNotNull();
    String digest = registry.pushRandomImage("orphaned/env", BuildFlowTest.tagOf(LOCK, List.of()));
    k8s.podFinished(job, 0, "Completed", digest);
    k8s.finishJob(job, true, null);

    PythonEnvironment follower = k8s.awaitCondition("team-b", "follower", Conditions.READY, "True", null);
    assertThat(follower.getStatus().getImage()).endsWith("@" + digest);
    assertThat(follower.getStatus().getVariants().get(0).getPhase()).isEqualTo(VariantPhase.Succeeded);
    assertThat(k8s.jobs()).singleElement();
    assertThat(k8s.meters.counter("envforge.builds.started").count()).isEqualTo(1.0);
  }

  /**
   * The starter is deleted while no operator runs, and a follower that never had a status yet (so nothing names it
   * as waiting on the build) is created meanwhile. Whichever of the two the new operator reconciles first, the
   * running build is kept for the follower and no second build of the image starts.
   */
  @Test
  void starterDeletedBeforeAFollowerEverWroteItsStatusStartsNoSecondBuild() {
    String repo = registry.hostPort() + "/unsettled/env";
    k8s.apply(OperatorHarness.environment("team-a", "starter", PYPROJECT, LOCK, repo));
    Job job = k8s.awaitJob();
    k8s.markJobRunning(job);
    k8s.awaitCondition("team-a", "starter", Conditions.BUILDING, "True", Reason.BUILD_RUNNING.wire());

    k8s.stopOperator();
    k8s.apply(OperatorHarness.environment("team-b", "follower", PYPROJECT, LOCK, repo));
    k8s.client.resources(PythonEnvironment.class).inNamespace("team-a").withName("starter").delete();
    k8s.startOperatorAgain();

    k8s.awaitOrDescribe("the starter gone", () -> k8s.get("team-a", "starter") == null);
    PythonEnvironment following = k8s.awaitCondition("team-b", "follower", Conditions.BUILDING, "True", null);
    assertThat(following.getStatus().getVariants().get(0).getJobName())
        .isEqualTo("team-a/" + job.getMetadata().getName());
    assertThat(k8s.jobs()).singleElement().satisfies(j ->
        assertThat(j.getMetadata().getUid()).isEqualTo(job.getMetadata().getUid()));

    String digest = registry.pushRandomImage("unsettled/env", BuildFlowTest.tagOf(LOCK, List.of()));
    k8s.podFinished(job, 0, "Completed", digest);
    k8s.finishJob(job, true, null);
    PythonEnvironment follower = k8s.awaitCondition("team-b", "follower", Conditions.READY, "True", null);
    assertThat(follower.getStatus().getImage()).endsWith("@" + digest);
    assertThat(k8s.jobs()).singleElement();
    assertThat(k8s.meters.counter("envforge.builds.started").count()).isEqualTo(1.0);
  }

  @Test
  void missingPushSecretIsReportedAndTheResourceRecoversWhenItAppears() {
    String repo = registry.hostPort() + "/secret-later/env";
    String digest = registry.pushRandomImage("secret-later/env", BuildFlowTest.tagOf(LOCK, List.of()));
    PythonEnvironment pe = OperatorHarness.environment(NS, "env", PYPROJECT, LOCK, repo);
    pe.getSpec().getImage().setPushSecretRef(OperatorHarness.secretRef("push"));
    k8s.apply(pe);
    PythonEnvironment invalid = k8s.awaitCondition(NS, "env", Conditions.INVALID_SPEC, "True",
        Reason.SECRET_NOT_FOUND.wire());
    assertThat(invalid.getStatus().condition(Conditions.INVALID_SPEC).get().getMessage())
        .contains("spec.image.pushSecretRef.name", NS + "/push");

    k8s.createPushSecret(NS, "push", "{\"auths\":{}}");

    PythonEnvironment ready = k8s.awaitCondition(NS, "env", Conditions.READY, "True", Reason.CACHED.wire());
    assertThat(ready.getStatus().getImage()).endsWith("@" + digest);
  }
}
