package dev.envforge.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.api.v1alpha1.EnvforgeApi.Conditions;
import dev.envforge.api.v1alpha1.Reason;
import dev.envforge.api.v1alpha1.PythonEnvironment;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An API server that refuses a request: the resource says so (ReconcileError) and the operator tries again. */
class ApiServerErrorTest {
  static final String NS = "team-a";
  static final String NAME = "env";

  @RegisterExtension
  static final OperatorExtension OPERATOR = OperatorExtension.withImageRegistry(RenderedObjectsGoldenTest.NOTHING_EXISTS);

  OperatorHarness k8s;

  @Test
  void refusedJobCreationIsReportedAndRetriedUntilTheBuildStarts() {
    // what a namespace without the operator's RoleBinding answers, until someone adds it (the client itself
    // retries 5xx answers, so a 4xx is what reaches the reconciler)
    String forbidden = "jobs.batch is forbidden: User \"system:serviceaccount:envforge:envforge\" cannot create"
        + " resource \"jobs\" in API group \"batch\" in the namespace \"" + NS + "\"";
    k8s.server.expect().post().withPath("/apis/batch/v1/namespaces/" + NS + "/jobs")
        .andReturn(403, new StatusBuilder().withCode(403).withReason("Forbidden").withMessage(forbidden).build())
        .times(2);

    k8s.apply(OperatorHarness.environment(NS, NAME, null, BuildFailureTest.LOCK, "registry.example.com/team/env"));

    PythonEnvironment failing = k8s.awaitCondition(NS, NAME, Conditions.READY, "False", Reason.RECONCILE_ERROR.wire());
    assertThat(failing.getStatus().condition(Conditions.READY).get().getMessage())
        .contains("HTTP 403", forbidden, "retrying");
    Job job = k8s.awaitJob();
    PythonEnvironment building = k8s.awaitCondition(NS, NAME, Conditions.BUILDING, "True", null);
    assertThat(building.getStatus().condition(Conditions.READY).get().getReason()).isEqualTo(Reason.BUILD_PENDING.wire());
    assertThat(k8s.jobs()).singleElement();
    // the context made before the failed attempts is the one the Job uses, and the Job owns it
    assertThat(k8s.awaitBuildContext(NS, job.getMetadata().getName()).getMetadata().getOwnerReferences())
        .singleElement().satisfies(owner -> assertThat(owner.getUid()).isEqualTo(job.getMetadata().getUid()));
    assertThat(k8s.events(NS)).filteredOn(e -> "BuildStarted".equals(e.getReason())).hasSize(1);
  }
}
