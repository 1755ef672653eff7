package dev.envforge.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.envforge.api.v1alpha1.BuilderMode;
import dev.envforge.api.v1alpha1.BuilderSpec;
import dev.envforge.api.v1alpha1.EnvforgeApi.Conditions;
import dev.envforge.api.v1alpha1.Reason;
import dev.envforge.api.v1alpha1.PythonEnvironment;
import dev.envforge.api.v1alpha1.Variant;
import dev.envforge.api.v1alpha1.VariantPhase;
import dev.envforge.api.v1alpha1.VariantStatus;
import dev.envforge.core.recipe.BuildContext;
import dev.envforge.testing.WheelProject;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * spec.builder.mode on the mock API server: auto assembles a plan whose packages all have wheels and builds any
 * other with Kaniko, explicit modes are followed or refused, and each variant's status says which builder and why.
 */
class BuilderModeTest {
  static final String NS = "team-a";

  @RegisterExtension
  static final OperatorExtension OPERATOR =
      OperatorExtension.withImageRegistry(RenderedObjectsGoldenTest.NOTHING_EXISTS);

  OperatorHarness k8s;

  static PythonEnvironment environment(String name, BuilderMode mode, Variant variant) {
    PythonEnvironment pe = OperatorHarness.environment(NS, name, WheelProject.PYPROJECT, WheelProject.LOCK,
        "localhost:5000/" + name, variant);
    if (mode != null) {
      BuilderSpec builder = new BuilderSpec();
      builder.setMode(mode);
      pe.getSpec().setBuilder(builder);
    }
    return pe;
  }

  static Variant variant(String name, List<String> groups, List<String> extras) {
    Variant v = new Variant(name);
    v.setGroups(groups);
    v.setExtras(extras);
    return v;
  }

  private VariantStatus awaitVariant(String name) {
    PythonEnvironment pe = k8s.awaitCondition(NS, name, Conditions.BUILDING, "True", null);
    return pe.getStatus().getVariants().get(0);
  }

  private static Container container(Job job) {
    return job.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  @Test
  void autoAssemblesAPlanWhosePackagesAllHaveWheels() {
    k8s.apply(environment("wheels", null, new Variant("default")));

    Job job = k8s.awaitJob();
    VariantStatus v = awaitVariant("wheels");
    assertThat(v.getBuilder()).isEqualTo("assemble");
    assertThat(v.getBuilderReason()).isEqualTo("every package has a wheel for CPython 3.12.7 on x86_64 with glibc"
        + " 2.36");
    assertThat(job.getMetadata().getLabels()).containsEntry(Labels.BUILDER, "assemble");
    Container build = container(job);
    assertThat(build.getImage()).isEqualTo(BuilderDefaults.DEFAULT_ASSEMBLER_IMAGE);
    assertThat(build.getArgs()).startsWith("assemble", "/workspace")
        .contains("--to=localhost:5000/wheels:" + v.getTag(), "--insecure", "--lock=uv.lock", "--format=uv",
            "--python=3.12.7", "--platform=linux/amd64", "--variant=default",
            "--base-image=docker.io/library/python:3.12-slim-bookworm")
        .noneMatch(a -> a.startsWith("--groups") || a.startsWith("--extras") || a.startsWith("--cache")
            || a.startsWith("--index-url"));
    assertThat(job.getSpec().getTemplate().getSpec().getNodeSelector()).as("any Linux node writes any platform")
        .isEqualTo(Map.of("kubernetes.io/os", "linux"));
    ConfigMap context = k8s.awaitBuildContext(NS, job.getMetadata().getName());
    assertThat(context.getData()).as("the project files, not a Dockerfile")
        .isEqualTo(Map.of("pyproject.toml", WheelProject.PYPROJECT, "uv.lock", WheelProject.LOCK));
    await().atMost(Duration.ofSeconds(10)).until(() -> k8s.events(NS).stream().anyMatch(e ->
        "BuildStarted".equals(e.getReason()) && e.getMessage().contains("with the assembler (every package")));
  }

  /** Credentials in a lock's URLs stay in the resource: the assembler's copy of the lock has none, same plan. */
  @Test
  void theAssemblersProjectFilesCarryNoCredentialsOfTheLocksUrls() {
    String lock = WheelProject.LOCK.replace("https://files.pythonhosted.org/p/certifi",
        "https://__token__:Tok3n-9981@files.pythonhosted.org/p/certifi");
    PythonEnvironment pe = OperatorHarness.environment(NS, "token", WheelProject.PYPROJECT, lock,
        "localhost:5000/token", new Variant("default"));
    k8s.apply(pe);

    Job job = k8s.awaitJob();
    ConfigMap context = k8s.awaitBuildContext(NS, job.getMetadata().getName());
    assertThat(context.getData().get("uv.lock")).doesNotContain("Tok3n", "__token__")
        .contains("https://files.pythonhosted.org/p/certifi")
        .isEqualTo(WheelProject.LOCK);
    assertThat(awaitVariant("token").getTag()).as("the same plan without the credentials")
        .isEqualTo(OperatorHarness.tagOf(WheelProject.FILES, List.of()));
  }

  @Test
  void aPackageWithOnlyAnSdistIsBuiltByKanikoAndTheStatusSaysWhy() {
    k8s.apply(environment("legacy", null, variant("default", null, List.of("legacy"))));

    Job job = k8s.awaitJob();
    VariantStatus v = awaitVariant("legacy");
    assertThat(v.getBuilder()).isEqualTo("kaniko");
    assertThat(v.getBuilderReason()).isEqualTo("package pysocks 1.7.1 has no wheel for CPython 3.12.7 on x86_64 with"
        + " glibc 2.36 (only an sdist, which must be built)");
    assertThat(job.getMetadata().getLabels()).containsEntry(Labels.BUILDER, "kaniko");
    assertThat(container(job).getImage()).isEqualTo(BuilderDefaults.DEFAULT_IMAGE);
    assertThat(container(job).getArgs()).contains("--dockerfile=Dockerfile");
    ConfigMap context = k8s.awaitBuildContext(NS, job.getMetadata().getName());
    assertThat(context.getData()).containsKey(BuildContext.DOCKERFILE);
    await().atMost(Duration.ofSeconds(10)).until(() -> k8s.events(NS).stream().anyMatch(e ->
        "BuildStarted".equals(e.getReason()) && e.getMessage().contains("with Kaniko (package pysocks 1.7.1")));
  }

  @Test
  void explicitKanikoBuildsAnAssemblablePlanWithKaniko() {
    k8s.apply(environment("kaniko", BuilderMode.KANIKO, new Variant("default")));

    Job job = k8s.awaitJob();
    VariantStatus v = awaitVariant("kaniko");
    assertThat(v.getBuilder()).isEqualTo("kaniko");
    assertThat(v.getBuilderReason()).isEqualTo("builder mode kaniko");
    assertThat(container(job).getArgs()).contains("--destination=localhost:5000/kaniko:" + v.getTag());
    assertThat(v.getTag()).as("another builder, another image")
        .isNotEqualTo(OperatorHarness.tagOf(WheelProject.FILES, List.of()));
  }

  @Test
  void explicitAssembleOfAPlanThatCannotBeAssembledIsAnInvalidSpecNamingThePackage() {
    k8s.apply(environment("refused", BuilderMode.ASSEMBLE, variant("default", null, List.of("legacy"))));

    PythonEnvironment pe = k8s.awaitCondition(NS, "refused", Conditions.INVALID_SPEC, "True", Reason.INVALID_SPEC.wire());
    String message = pe.getStatus().condition(Conditions.INVALID_SPEC).orElseThrow().getMessage();
    assertThat(message).startsWith("spec.builder.mode (variant default): builder mode assemble, but package pysocks"
        + " 1.7.1 has no wheel").contains("only an sdist", "use builder mode auto or kaniko");
    assertThat(k8s.jobs()).isEmpty();

    // the same resource with a plan that has wheels assembles
    k8s.edit(NS, "refused", r -> {
      r.getSpec().setVariants(List.of(new Variant("default")));
      return r;
    });
    Job job = k8s.awaitJob();
    assertThat(job.getMetadata().getLabels()).containsEntry(Labels.BUILDER, "assemble");
    PythonEnvironment building = k8s.awaitCondition(NS, "refused", Conditions.INVALID_SPEC, "False", null);
    assertThat(building.getStatus().getVariants().get(0).getBuilderReason())
        .startsWith("builder mode assemble; every package has a wheel");
  }

  @Test
  void anAssembleBuildThatFindsThePlanUnassemblableFailsWithItsOwnReason() {
    k8s.apply(environment("late", BuilderMode.ASSEMBLE, new Variant("default")));
    Job job = k8s.awaitJob();
    k8s.podFinished(job, BuildFailureAnalyzer.ASSEMBLE_EXIT_NOT_ASSEMBLABLE, "Error",
        "package certifi 2026.7.22: no wheel for glibc 2.17 on the base image\n");
    k8s.finishJob(job, false, "BackoffLimitExceeded");

    PythonEnvironment failed = k8s.awaitCondition(NS, "late", Conditions.FAILED, "True", Reason.NOT_ASSEMBLABLE.wire());
    VariantStatus v = failed.getStatus().getVariants().get(0);
    assertThat(v.getPhase()).isEqualTo(VariantPhase.Failed);
    assertThat(v.getMessage()).contains("spec.builder.mode to kaniko", "no wheel for glibc 2.17");
    assertThat(v.getBuilder()).isEqualTo("assemble");
  }

  /**
   * The assemble Job with every option: golden files for the Job and its context, and the properties a reviewer
   * checks (least privilege, credentials only as mounted files).
   */
  @Test
  void everyOptionGivesTheGoldenAssembleJob() {
    k8s.client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("registry-push")
        .endMetadata().withType("kubernetes.io/dockerconfigjson")
        .withData(RenderedObjectsGoldenTest.base64(Map.of(".dockerconfigjson", "{\"auths\":{}}"))).build()).create();
    k8s.client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("private-index")
        .endMetadata().withData(RenderedObjectsGoldenTest.base64(Map.of(".netrc",
            "machine pypi.example.com login u password p\n"))).build()).create();
    k8s.client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("registry-ca")
        .endMetadata().withData(Map.of("ca-bundle.pem", "-----BEGIN CERTIFICATE-----\n")).build()).create();
    PythonEnvironment input = k8s.client.getKubernetesSerialization().unmarshal(new ByteArrayInputStream(
        OperatorHarness.resource("golden/job-assemble/pythonenvironment.yaml").getBytes(StandardCharsets.UTF_8)),
        PythonEnvironment.class);
    k8s.apply(input);
    Job job = k8s.awaitJob();
    PythonEnvironment resource = k8s.awaitCondition(NS, "assembled", Conditions.BUILDING, "True", null);
    ConfigMap context = k8s.awaitBuildContext(NS, job.getMetadata().getName());
    Map<String, String> placeholders = Map.of(resource.getMetadata().getUid(), "<uid of PythonEnvironment>",
        job.getMetadata().getUid(), "<uid of Job>");
    Golden.assertMatches("job-assemble/job.yaml",
        Golden.normalizedYaml(k8s.client.getKubernetesSerialization(), job, placeholders));
    Golden.assertMatches("job-assemble/configmap.yaml",
        Golden.normalizedYaml(k8s.client.getKubernetesSerialization(), context, placeholders));

    VariantStatus v = resource.getStatus().getVariants().get(0);
    assertThat(v.getBuilder()).isEqualTo("assemble");
    PodSpec pod = job.getSpec().getTemplate().getSpec();
    Container build = pod.getContainers().get(0);
    assertThat(build.getImage()).isEqualTo("registry.example.com:5443/mirror/envforge:0.1.0");
    assertThat(build.getArgs()).contains("--to=registry.example.com:5443/team/app-env:" + v.getTag(),
        "--groups=modern", "--python=3.12.8", "--variant=modern",
        "--cache-repo=registry.example.com:5443/team/layers", "--registry-ca=/etc/envforge/registry-ca/ca.crt",
        "--index-url=https://pypi-mirror.example.com/simple")
        .doesNotContain("--insecure");
    assertThat(build.getArgs()).allMatch(a -> !a.contains(" ") && !a.contains("password"));
    // least privilege: no root, no capabilities, nothing writable but the work folder
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(65532L);
    assertThat(pod.getSecurityContext().getFsGroup()).isEqualTo(65532L);
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(build.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(build.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(build.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(build.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(build.getVolumeMounts()).filteredOn(m -> !Boolean.TRUE.equals(m.getReadOnly()))
        .extracting(m -> m.getMountPath()).containsExactly("/tmp");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    // credentials are files; the environment names where they are
    assertThat(build.getEnv()).extracting(EnvVar::getName, EnvVar::getValue).contains(
        org.assertj.core.groups.Tuple.tuple("DOCKER_CONFIG", "/etc/envforge/docker"),
        org.assertj.core.groups.Tuple.tuple("NETRC", "/run/secrets/envforge/netrc"));
    assertThat(build.getEnv()).allMatch(e -> e.getValueFrom() == null);
    assertThat(pod.getVolumes()).filteredOn(vol -> vol.getSecret() != null)
        .allMatch(vol -> vol.getSecret().getDefaultMode() == 0440);
    assertThat(context.getData()).containsOnlyKeys("pyproject.toml", "uv.lock");
    assertThat(context.getImmutable()).isTrue();
  }
}
