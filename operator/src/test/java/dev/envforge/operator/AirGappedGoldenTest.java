package dev.envforge.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.api.v1alpha1.EnvforgeApi.Conditions;
import dev.envforge.api.v1alpha1.Reason;
import dev.envforge.api.v1alpha1.IndexMirror;
import dev.envforge.api.v1alpha1.PythonEnvironment;
import dev.envforge.core.recipe.BuildContext;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An air-gapped cluster (golden/job-air-gapped): the builder and uv images pinned by digest, base images and
 * package indexes through mirrors, operator-wide and per resource. The Job and its context are compared with
 * reviewed golden files; the assertions say what a reviewer checks: the mirrors are used, every hash is still
 * checked, nothing secret appears, and the tag is the one without mirrors.
 */
class AirGappedGoldenTest {
  static final String CASE = "job-air-gapped";

  OperatorHarness k8s;

  @AfterEach
  void stopOperator() {
    if (k8s != null) {
      k8s.close();
    }
  }

  private void start() {
    Path settingsFile = OperatorHarness.repoRoot()
        .resolve("operator/src/test/resources/golden/" + CASE + "/operator-builder-settings.yaml");
    OperatorSettings defaults = OperatorSettings.defaults();
    OperatorSettings settings = new OperatorSettings(defaults.namespaces(),
        defaults.builder().withSettings(BuilderSettingsFile.read(settingsFile)), defaults.registryCacheTtl(),
        defaults.registryTimeout(), defaults.reconcileThreads(), false, defaults.leaseName(), null);
    k8s = new OperatorHarness().start(settings, RenderedObjectsGoldenTest.NOTHING_EXISTS);
  }

  private PythonEnvironment input() {
    return k8s.client.getKubernetesSerialization().unmarshal(new ByteArrayInputStream(
        OperatorHarness.resource("golden/" + CASE + "/pythonenvironment.yaml").getBytes(StandardCharsets.UTF_8)),
        PythonEnvironment.class);
  }

  @Test
  void buildsFetchThroughMirrorsAndPinnedImagesUnderTheSameTag() {
    start();
    PythonEnvironment input = input();
    k8s.apply(input);
    Job job = k8s.awaitJob();
    PythonEnvironment resource = k8s.awaitCondition("team-d", "offline", "Building", "True", null);
    ConfigMap context = k8s.awaitBuildContext("team-d", job.getMetadata().getName());
    Map<String, String> placeholders = Map.of(resource.getMetadata().getUid(), "<uid of PythonEnvironment>",
        job.getMetadata().getUid(), "<uid of Job>");
    Golden.assertMatches(CASE + "/job.yaml", Golden.normalizedYaml(k8s.client.getKubernetesSerialization(), job,
        placeholders));
    Golden.assertMatches(CASE + "/configmap.yaml", Golden.normalizedYaml(k8s.client.getKubernetesSerialization(),
        context, placeholders));

    Container build = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(build.getImage()).isEqualTo(input.getSpec().getBuilder().getImage());
    assertThat(build.getArgs()).contains("--registry-mirror=registry.corp.example/dockerhub");
    String dockerfile = context.getData().get(BuildContext.DOCKERFILE);
    assertThat(dockerfile).contains("FROM registry.corp.example/astral-sh/uv@sha256:fedcba9876543210fedcba98765432"
        + "10fedcba9876543210fedcba9876543210 AS uv", "--require-hashes").doesNotContain("ghcr.io/astral-sh");
    String hashed = context.getData().get(BuildContext.HASHED_REQUIREMENTS);
    assertThat(hashed).contains("--index-url https://nexus.corp.example/repository/pypi/simple\n",
        "--extra-index-url https://nexus.corp.example/repository/team-d/simple\n",
        "--hash=sha256:" + "1".repeat(64), "--hash=sha256:" + "2".repeat(64))
        .doesNotContain("pypi.org", "pypi.team-d.example", "operator-wide");
    // the mirror is where a build fetches, not what it installs: the tag is the one without mirrors
    String tagWithoutMirrors = OperatorHarness.tagOf(Map.of("requirements.txt",
        input.getSpec().getSource().getInline().getLock()), List.of());
    assertThat(resource.getStatus().getVariants().get(0).getTag()).isEqualTo(tagWithoutMirrors);
  }

  @Test
  void aMirrorWithCredentialsIsInvalidSpecThatDoesNotRepeatThem() {
    start();
    PythonEnvironment input = input();
    input.getSpec().getBuilder().setIndexMirrors(List.of(new IndexMirror("https://pypi.org/simple",
        "https://builder:s3cr3t-token@nexus.corp.example/simple")));
    k8s.apply(input);
    PythonEnvironment invalid = k8s.awaitCondition("team-d", "offline", Conditions.INVALID_SPEC, "True",
        Reason.INVALID_SPEC.wire());
    String message = invalid.getStatus().condition(Conditions.INVALID_SPEC).get().getMessage();
    assertThat(message).startsWith("spec.builder.indexMirrors[0]: ").contains("must not hold credentials")
        .doesNotContain("s3cr3t");
    assertThat(k8s.events("team-d")).allSatisfy(e -> assertThat(e.getMessage()).doesNotContain("s3cr3t"));
    assertThat(k8s.jobs()).isEmpty();
  }

  @Test
  void aDigestNotInThePinnedFormIsInvalidSpec() {
    start();
    PythonEnvironment input = input();
    input.getSpec().getBuilder().setUvImage("registry.corp.example/astral-sh/uv@sha256:abc");
    k8s.apply(input);
    PythonEnvironment invalid = k8s.awaitCondition("team-d", "offline", Conditions.INVALID_SPEC, "True",
        Reason.INVALID_SPEC.wire());
    assertThat(invalid.getStatus().condition(Conditions.INVALID_SPEC).get().getMessage())
        .startsWith("spec.builder.uvImage: ");
    assertThat(k8s.jobs()).isEmpty();
  }
}
