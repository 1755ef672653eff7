package dev.envforge.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.api.v1alpha1.PythonEnvironment;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The build Job of a resource with its own pod settings over operator-wide ones read from a settings file
 * (golden/job-pod-settings), compared with its reviewed golden file; the assertions say what a reviewer checks.
 */
class BuildPodSettingsGoldenTest {
  static final String CASE = "job-pod-settings";

  OperatorHarness k8s;

  @AfterEach
  void stopOperator() {
    if (k8s != null) {
      k8s.close();
    }
  }

  @Test
  void resourceSettingsOverrideOnlyThemselves() {
    Path settingsFile = OperatorHarness.repoRoot()
        .resolve("operator/src/test/resources/golden/" + CASE + "/operator-builder-settings.yaml");
    OperatorSettings defaults = OperatorSettings.defaults();
    OperatorSettings settings = new OperatorSettings(defaults.namespaces(),
        defaults.builder().withSettings(BuilderSettingsFile.read(settingsFile)), defaults.registryCacheTtl(),
        defaults.registryTimeout(), defaults.reconcileThreads(), false, defaults.leaseName(), null);
    k8s = new OperatorHarness().start(settings, RenderedObjectsGoldenTest.NOTHING_EXISTS);
    PythonEnvironment input = k8s.client.getKubernetesSerialization().unmarshal(new ByteArrayInputStream(
        OperatorHarness.resource("golden/" + CASE + "/pythonenvironment.yaml").getBytes(StandardCharsets.UTF_8)),
        PythonEnvironment.class);
    k8s.apply(input);
    Job job = k8s.awaitJob();
    PythonEnvironment resource = k8s.awaitCondition("team-c", "pods", "Building", "True", null);
    Golden.assertMatches(CASE + "/job.yaml", Golden.normalizedYaml(k8s.client.getKubernetesSerialization(), job,
        Map.of(resource.getMetadata().getUid(), "<uid of PythonEnvironment>")));

    PodSpec pod = job.getSpec().getTemplate().getSpec();
    Container build = pod.getContainers().get(0);
    assertThat(job.getSpec().getActiveDeadlineSeconds()).as("the operator's deadline: the resource sets none")
        .isEqualTo(1200);
    assertThat(build.getResources().getRequests()).as("the operator's requests are kept")
        .containsEntry("cpu", new Quantity("1")).containsEntry("memory", new Quantity("3Gi"))
        .containsEntry("ephemeral-storage", new Quantity("10Gi"));
    assertThat(build.getResources().getLimits()).containsEntry("memory", new Quantity("12Gi"))
        .containsEntry("ephemeral-storage", new Quantity("20Gi"));
    assertThat(build.getArgs()).contains("--registry-mirror=mirror.corp.example/dockerhub");
    assertThat(pod.getServiceAccountName()).isEqualTo("envforge-builder");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getNodeSelector()).as("the platform's arch wins over any setting").containsExactlyInAnyOrderEntriesOf(
        Map.of("node-pool", "builds", "gpu", "false", "kubernetes.io/os", "linux", "kubernetes.io/arch", "amd64"));
    assertThat(pod.getTolerations()).extracting(Toleration::getKey).containsExactly("dedicated", "team-c");
    assertThat(pod.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
        .getNodeSelectorTerms().get(0).getMatchExpressions().get(0).getValues()).containsExactly("zone-b");
    assertThat(pod.getAffinity().getPodAntiAffinity()).as("the operator's part the resource leaves alone")
        .isNotNull();
    assertThat(pod.getPriorityClassName()).isEqualTo("batch-low");
    assertThat(pod.getRuntimeClassName()).isEqualTo("gvisor");
    assertThat(pod.getImagePullSecrets()).extracting(LocalObjectReference::getName)
        .containsExactly("mirror-pull", "team-c-pull");
    assertThat(build.getEnv()).extracting(EnvVar::getName, EnvVar::getValue).containsExactly(
        org.assertj.core.groups.Tuple.tuple("HTTPS_PROXY", "http://proxy.team-c.example:3128"),
        org.assertj.core.groups.Tuple.tuple("NO_PROXY", ".svc,.cluster.local,10.0.0.0/8"),
        org.assertj.core.groups.Tuple.tuple("PIP_DEFAULT_TIMEOUT", "60"));
    Map<String, String> labels = job.getSpec().getTemplate().getMetadata().getLabels();
    assertThat(labels).containsEntry("cost-center", "platform").containsEntry("team", "c")
        .containsEntry(Labels.MANAGED_BY, "envforge").containsAllEntriesOf(job.getMetadata().getLabels());
    assertThat(job.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsExactlyInAnyOrderEntriesOf(Map.of("sidecar.istio.io/inject", "false",
            "cluster-autoscaler.kubernetes.io/safe-to-evict", "false"));
  }
}
