package dev.envforge.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.api.v1alpha1.EnvforgeApi.Conditions;
import dev.envforge.api.v1alpha1.Reason;
import dev.envforge.api.v1alpha1.PythonEnvironment;
import dev.envforge.api.v1alpha1.VariantPhase;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Several resources share one image tag: what one of them does to the tag (a build, a forced rebuild) shows in the
 * others' status as it is, with the digest the registry serves after the build, never an answer from before it.
 */
class SharedTagTest extends OperatorWithRegistry {
  static final String PYPROJECT = BuildFlowTest.PYPROJECT;
  static final String LOCK = BuildFlowTest.LOCK;

  @Test
  void forcedRebuildShowsTheNewDigestAndOthersStayReadyMeanwhile() {
    String repo = registry.hostPort() + "/rebuilt/env";
    String tag = BuildFlowTest.tagOf(LOCK, List.of());
    k8s.apply(OperatorHarness.environment("team-a", "starter", PYPROJECT, LOCK, repo));
    Job first = k8s.awaitJob();
    String firstDigest = registry.pushRandomImage("rebuilt/env", tag);
    k8s.podFinished(first, 0, "Completed", firstDigest);
    k8s.finishJob(first, true, null);
    k8s.awaitCondition("team-a", "starter", Conditions.READY, "True", Reason.BUILT.wire());
    // a second resource, in another namespace, uses the image: a cache hit, and the positive answer is cached
    k8s.apply(OperatorHarness.environment("team-b", "user", PYPROJECT, LOCK, repo));
    PythonEnvironment user = k8s.awaitCondition("team-b", "user", Conditions.READY, "True", Reason.CACHED.wire());
    assertThat(user.getStatus().getImage()).endsWith("@" + firstDigest);

    k8s.edit("team-a", "starter", pe -> {
      pe.getSpec().setRebuildToken("again");
      return pe;
    });
    k8s.awaitOrDescribe("the rebuild's Job", () -> k8s.jobs().stream()
        .anyMatch(j -> !j.getMetadata().getUid().equals(first.getMetadata().getUid())));
    Job rebuild = k8s.jobs().get(0);
    PythonEnvironment rebuilding = k8s.awaitCondition("team-a", "starter", Conditions.BUILDING, "True", null);
    assertThat(rebuilding.getStatus().condition(Conditions.READY).get().getStatus())
        .as("the image exists while its tag is built again").isEqualTo("True");
    k8s.reconcileWithoutChange("team-b", "user");
    PythonEnvironment other = k8s.get("team-b", "user");
    assertThat(other.getStatus().condition(Conditions.READY).get().getStatus())
        .as("someone else's rebuild does not take Ready away").isEqualTo("True");
    assertThat(other.getStatus().getVariants().get(0).getPhase()).isEqualTo(VariantPhase.Cached);

    String secondDigest = registry.pushRandomImage("rebuilt/env", tag);
    assertThat(secondDigest).isNotEqualTo(firstDigest);
    k8s.podFinished(rebuild, 0, "Completed", secondDigest);
    k8s.finishJob(rebuild, true, null);

    k8s.awaitOrDescribe("the rebuilt digest on the resource that forced it", () ->
        k8s.get("team-a", "starter").getStatus().getImage().endsWith("@" + secondDigest));
    k8s.awaitOrDescribe("the rebuilt digest on the resource that shares the tag", () ->
        k8s.get("team-b", "user").getStatus().getImage().endsWith("@" + secondDigest));
    k8s.awaitOrDescribe("a BuildSucceeded event naming the new digest (events: " + k8s.events("team-a").stream()
        .map(e -> e.getReason() + ": " + e.getMessage()).toList() + ")", () -> k8s.events("team-a").stream()
        .anyMatch(e -> "BuildSucceeded".equals(e.getReason()) && e.getMessage().contains(secondDigest)));
    assertThat(k8s.events("team-a")).filteredOn(e -> e.getMessage() != null
        && e.getMessage().contains(firstDigest) && e.getMessage().contains("again")).isEmpty();
  }

  @Test
  void resourceCreatedAfterAnotherNamespacesBuildIsACacheHit() {
    String repo = registry.hostPort() + "/shared-later/env";
    String tag = BuildFlowTest.tagOf(LOCK, List.of());
    k8s.apply(OperatorHarness.environment("team-a", "builder", PYPROJECT, LOCK, repo));
    Job job = k8s.awaitJob();
    String digest = registry.pushRandomImage("shared-later/env", tag);
    k8s.podFinished(job, 0, "Completed", digest);
    k8s.finishJob(job, true, null);
    k8s.awaitCondition("team-a", "builder", Conditions.READY, "True", Reason.BUILT.wire());
    double hitsBefore = k8s.meters.counter("envforge.cache.hits").count();

    k8s.apply(OperatorHarness.environment("team-b", "latecomer", PYPROJECT, LOCK, repo));

    PythonEnvironment late = k8s.awaitCondition("team-b", "latecomer", Conditions.READY, "True", Reason.CACHED.wire());
    assertThat(late.getStatus().getVariants()).singleElement().satisfies(v -> {
      assertThat(v.getPhase()).isEqualTo(VariantPhase.Cached);
      assertThat(v.getReason()).isEqualTo(Reason.CACHED.wire());
      assertThat(v.getJobName()).as("another namespace's build is not this resource's").isNull();
      assertThat(v.getImage()).endsWith("@" + digest);
    });
    assertThat(k8s.meters.counter("envforge.cache.hits").count()).isEqualTo(hitsBefore + 1);
    assertThat(k8s.events("team-b")).noneMatch(e -> "BuildSucceeded".equals(e.getReason()));
    assertThat(k8s.jobs()).singleElement();
  }
}
