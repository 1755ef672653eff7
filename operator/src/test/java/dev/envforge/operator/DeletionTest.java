package dev.envforge.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.api.v1alpha1.EnvforgeApi.Conditions;
import dev.envforge.api.v1alpha1.PythonEnvironment;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Deleting a resource removes its build objects. The operator deletes them itself (a finalizer holds the resource
 * until it has): the owner references would let the cluster's garbage collector do it too, but only after the
 * resource is gone, and a running build should stop at once.
 */
class DeletionTest {
  static final String LOCK = BuildFailureTest.LOCK;
  static final String REPO = "registry.example.com/team/env";

  @RegisterExtension
  static final OperatorExtension OPERATOR = OperatorExtension.withImageRegistry(RenderedObjectsGoldenTest.NOTHING_EXISTS);

  OperatorHarness k8s;

  @Test
  void deletingAResourceMidBuildRemovesItsJobAndContext() {
    k8s.apply(OperatorHarness.environment("team-a", "env", null, LOCK, REPO));
    Job job = k8s.awaitJob();
    ConfigMap context = k8s.awaitBuildContext("team-a", job.getMetadata().getName());
    k8s.markJobRunning(job);
    PythonEnvironment building = k8s.awaitCondition("team-a", "env", Conditions.BUILDING, "True", "BuildRunning");
    assertThat(building.getMetadata().getFinalizers()).isNotEmpty();
    assertThat(job.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
      assertThat(owner.getKind()).isEqualTo("PythonEnvironment");
      assertThat(owner.getUid()).isEqualTo(building.getMetadata().getUid());
      assertThat(owner.getController()).isTrue();
    });
    assertThat(context.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
      assertThat(owner.getKind()).isEqualTo("Job");
      assertThat(owner.getUid()).isEqualTo(job.getMetadata().getUid());
      assertThat(owner.getController()).isTrue();
    });

    k8s.client.resource(building).delete();

    k8s.awaitOrDescribe("the resource, its Job and its ConfigMap gone", () -> k8s.get("team-a", "env") == null
        && k8s.jobs().isEmpty() && buildConfigMaps().isEmpty());
  }

  @Test
  void deletingAResourceThatFollowsAnotherOnesBuildLeavesTheBuild() {
    k8s.apply(OperatorHarness.environment("team-a", "first", null, LOCK, REPO));
    Job job = k8s.awaitJob();
    k8s.apply(OperatorHarness.environment("team-b", "follower", null, LOCK, REPO));
    k8s.awaitCondition("team-b", "follower", Conditions.BUILDING, "True", null);
    assertThat(k8s.get("team-b", "follower").getStatus().getVariants().get(0).getJobName())
        .isEqualTo("team-a/" + job.getMetadata().getName());

    k8s.client.resource(k8s.get("team-b", "follower")).delete();
    k8s.awaitOrDescribe("the follower gone", () -> k8s.get("team-b", "follower") == null);
    k8s.restartOperator();

    assertThat(k8s.jobs()).singleElement()
        .satisfies(j -> assertThat(j.getMetadata().getUid()).isEqualTo(job.getMetadata().getUid()));
    assertThat(buildConfigMaps()).singleElement();
    assertThat(k8s.condition("team-a", "first", Conditions.BUILDING).get().getStatus()).isEqualTo("True");
  }

  private List<ConfigMap> buildConfigMaps() {
    return k8s.client.configMaps().inAnyNamespace().withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE).list()
        .getItems();
  }
}
