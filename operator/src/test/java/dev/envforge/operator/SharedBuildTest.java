package dev.envforge.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.api.v1alpha1.EnvforgeApi.Conditions;
import dev.envforge.api.v1alpha1.PythonEnvironment;
import dev.envforge.api.v1alpha1.VariantPhase;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Many resources that want the same image, in several namespaces, share one build. */
class SharedBuildTest extends OperatorWithRegistry {
  static final List<String> NAMESPACES = List.of("team-a", "team-b", "team-c");
  static final int RESOURCES = 20;


  @Test
  void twentyIdenticalResourcesInThreeNamespacesBuildOnce() {
    String repo = registry.hostPort() + "/shared/env";
    List<PythonEnvironment> resources = new ArrayList<>();
    for (int i = 0; i < RESOURCES; i++) {
      resources.add(OperatorHarness.environment(NAMESPACES.get(i % NAMESPACES.size()), "env-" + i,
          LockChangeTest.PYPROJECT, LockChangeTest.LOCK, repo));
    }
    resources.parallelStream().forEach(k8s::apply);

    k8s.awaitOrDescribe("every resource building", () -> resources.stream().allMatch(pe ->
        k8s.condition(pe.getMetadata().getNamespace(), pe.getMetadata().getName(), Conditions.BUILDING)
            .filter(c -> "True".equals(c.getStatus())).isPresent()));
    assertThat(k8s.jobs()).singleElement();
    Job job = k8s.jobs().get(0);
    String jobRef = job.getMetadata().getNamespace() + "/" + job.getMetadata().getName();
    for (PythonEnvironment pe : resources) {
      String jobName = k8s.get(pe.getMetadata().getNamespace(), pe.getMetadata().getName()).getStatus()
          .getVariants().get(0).getJobName();
      assertThat(jobName.contains("/") ? jobName : pe.getMetadata().getNamespace() + "/" + jobName)
          .as("the build %s follows", pe.getMetadata().getName()).isEqualTo(jobRef);
    }

    String tag = LockChangeTest.tagOf(LockChangeTest.LOCK, List.of());
    String digest = registry.pushRandomImage("shared/env", tag);
    k8s.podFinished(job, 0, "Completed", digest);
    k8s.finishJob(job, true, null);

    k8s.awaitOrDescribe("every resource ready", () -> resources.stream().allMatch(pe ->
        k8s.condition(pe.getMetadata().getNamespace(), pe.getMetadata().getName(), Conditions.READY)
            .filter(c -> "True".equals(c.getStatus())).isPresent()));
    for (PythonEnvironment pe : resources) {
      PythonEnvironment ready = k8s.get(pe.getMetadata().getNamespace(), pe.getMetadata().getName());
      assertThat(ready.getStatus().getImage()).isEqualTo(repo + ":" + tag + "@" + digest);
      assertThat(ready.getStatus().getVariants().get(0).getPhase()).isEqualTo(VariantPhase.Succeeded);
    }
    assertThat(k8s.jobs()).singleElement();
    assertThat(k8s.meters.counter("envforge.builds.started").count()).isEqualTo(1.0);
    Map<String, Long> eventsByReason = new java.util.TreeMap<>();
    NAMESPACES.forEach(ns -> k8s.events(ns).forEach(e -> eventsByReason.merge(e.getReason(), 1L, Long::sum)));
    assertThat(eventsByReason).containsEntry("BuildStarted", 1L);
  }
}
