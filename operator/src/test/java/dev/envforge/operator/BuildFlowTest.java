package dev.envforge.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.envforge.api.v1alpha1.EnvforgeApi.Conditions;
import dev.envforge.api.v1alpha1.Reason;
import dev.envforge.api.v1alpha1.PythonEnvironment;
import dev.envforge.api.v1alpha1.Variant;
import dev.envforge.api.v1alpha1.VariantPhase;
import dev.envforge.core.lock.ProjectFiles;
import dev.envforge.core.plan.Selection;
import dev.envforge.core.planner.EnvironmentPlanner;
import dev.envforge.core.planner.PlanningRequest;
import dev.envforge.core.planner.VariantRequest;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The main flows against the mock API server and a real registry on loopback. */
class BuildFlowTest extends OperatorWithRegistry {
  static final String PYPROJECT = OperatorHarness.resource("corpus/uv-langchain-ai-langgraph/pyproject.toml");
  static final String LOCK = OperatorHarness.resource("corpus/uv-langchain-ai-langgraph/uv.lock");
  static final String NS = "team-a";



  static String repository(String name) {
    return registry.hostPort() + "/" + name;
  }

  static String tagOf(String lock, List<String> groups) {
    return EnvironmentPlanner.plan(ProjectFiles.of(Map.of("pyproject.toml", PYPROJECT, "uv.lock", lock), ""),
        PlanningRequest.DEFAULTS, new VariantRequest("x", new Selection(groups, List.of()))).hash().tag();
  }

  @Test
  void imageAlreadyInRegistryIsReadyWithItsDigestAndNoJob() {
    String repo = "cache-hit/env";
    String digest = registry.pushRandomImage(repo, tagOf(LOCK, List.of()));

    k8s.apply(OperatorHarness.environment(NS, "hit", PYPROJECT, LOCK, repository(repo)));

    PythonEnvironment pe = k8s.awaitCondition(NS, "hit", Conditions.READY, "True", Reason.CACHED.wire());
    assertThat(pe.getStatus().getVariants()).singleElement().satisfies(v -> {
      assertThat(v.getPhase()).isEqualTo(VariantPhase.Cached);
      assertThat(v.getImage()).isEqualTo(repository(repo) + ":" + tagOf(LOCK, List.of()) + "@" + digest);
    });
    assertThat(pe.getStatus().getImage()).endsWith("@" + digest);
    assertThat(pe.getStatus().getVariantsReady()).isEqualTo("1/1");
    assertThat(pe.getStatus().getObservedGeneration()).isEqualTo(pe.getMetadata().getGeneration());
    assertThat(k8s.jobs()).isEmpty();
  }

  @Test
  void missingImageIsBuiltOnceThenReadyWithThePushedDigest() {
    String repo = "miss/env";
    k8s.apply(OperatorHarness.environment(NS, "miss", PYPROJECT, LOCK, repository(repo)));

    Job job = k8s.awaitJob();
    PythonEnvironment building = k8s.awaitCondition(NS, "miss", Conditions.BUILDING, "True", null);
    assertThat(building.getStatus().getVariants().get(0).getJobName()).isEqualTo(job.getMetadata().getName());
    assertThat(k8s.client.configMaps().inNamespace(NS).withName(job.getMetadata().getName()).get()).isNotNull();

    String tag = tagOf(LOCK, List.of());
    String digest = registry.pushRandomImage(repo, tag);
    k8s.podFinished(job, 0, "Completed", digest);
    k8s.finishJob(job, true, null);

    PythonEnvironment ready = k8s.awaitCondition(NS, "miss", Conditions.READY, "True", Reason.BUILT.wire());
    assertThat(ready.getStatus().getVariants().get(0).getImage()).isEqualTo(repository(repo) + ":" + tag + "@"
        + digest);
    assertThat(ready.getStatus().getVariants().get(0).getPhase()).isEqualTo(VariantPhase.Succeeded);
    assertThat(k8s.jobs()).hasSize(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> k8s.events(NS).stream()
        .anyMatch(e -> "BuildSucceeded".equals(e.getReason())));
    assertThat(k8s.events(NS)).anyMatch(e -> "BuildStarted".equals(e.getReason()));
  }

  @Test
  void finishedBuildIsCheckedAgainUntilTheRegistryShowsItsImage() {
    String repo = "late/env";
    k8s.apply(OperatorHarness.environment(NS, "late", PYPROJECT, LOCK, repository(repo)));
    Job job = k8s.awaitJob();
    String reportedDigest = "sha256:" + "0".repeat(64);
    k8s.podFinished(job, 0, "Completed", reportedDigest);
    k8s.finishJob(job, true, null);

    PythonEnvironment checking = k8s.awaitCondition(NS, "late", Conditions.READY, "Unknown", Reason.CHECKING_REGISTRY.wire());
    assertThat(checking.getStatus().getVariants().get(0).getPhase()).isEqualTo(VariantPhase.Checking);
    // the registry shows the image later (replication, a slow mirror): no event tells the operator
    String digest = registry.pushRandomImage(repo, tagOf(LOCK, List.of()));

    PythonEnvironment ready = k8s.awaitCondition(NS, "late", Conditions.READY, "True", Reason.BUILT.wire());
    assertThat(ready.getStatus().getImage()).endsWith("@" + digest);
    assertThat(ready.getStatus().getVariants().get(0).getMessage()).contains(digest, reportedDigest);
    assertThat(k8s.jobs()).hasSize(1);
  }
}
