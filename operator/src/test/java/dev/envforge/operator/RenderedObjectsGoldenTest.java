package dev.envforge.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.api.v1alpha1.PythonEnvironment;
import dev.envforge.core.lock.ProjectFiles;
import dev.envforge.core.plan.Selection;
import dev.envforge.core.plan.Target;
import dev.envforge.core.planner.EnvironmentPlanner;
import dev.envforge.core.planner.PlanningRequest;
import dev.envforge.core.planner.VariantPlan;
import dev.envforge.core.planner.VariantRequest;
import dev.envforge.core.recipe.BuildContext;
import dev.envforge.core.recipe.BuilderMode;
import dev.envforge.core.recipe.Installer;
import dev.envforge.core.registry.ManifestCheck;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the operator creates for a fixed resource, compared with reviewed golden files: the build Job and the
 * ConfigMap holding its context (golden/job-*), and the Dockerfile and requirements of one real lock with each
 * installer (golden/recipe-*). Each test also states the properties a reviewer checks, so a careless
 * {@code -Denvforge.updateGolden=true} cannot hide a broken Job.
 */
class RenderedObjectsGoldenTest {
  /** Every image is absent, so every resource gets a build Job. */
  static final ImageRegistry NOTHING_EXISTS = (image, access, notBefore) -> ManifestCheck.absent();

  @RegisterExtension
  static final OperatorExtension OPERATOR = OperatorExtension.withImageRegistry(NOTHING_EXISTS);

  OperatorHarness k8s;

  @Test
  void everyOptionGivesTheGoldenJobAndContext() {
    String ns = "team-a";
    k8s.client.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName("registry-push")
        .endMetadata().withType("kubernetes.io/dockerconfigjson")
        .withData(base64(Map.of(".dockerconfigjson", "{\"auths\":{}}"))).build()).create();
    k8s.client.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName("private-index")
        .endMetadata().withData(base64(Map.of(".netrc", "machine pypi.example.com login u password p\n"))).build())
        .create();
    k8s.client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("registry-ca")
        .endMetadata().withData(Map.of("ca-bundle.pem", "-----BEGIN CERTIFICATE-----\n")).build()).create();

    Rendered rendered = render("job-full");

    Container build = rendered.job().getSpec().getTemplate().getSpec().getContainers().get(0);
    String destination = "registry.example.com:5443/team/app-env:" + rendered.resource().getStatus().getVariants()
        .get(0).getTag();
    assertThat(build.getCommand()).as("Kaniko's entrypoint is kept; arguments in exec form").isNullOrEmpty();
    assertThat(build.getArgs()).contains("--destination=" + destination, "--digest-file=/dev/termination-log",
        "--cache=true", "--cache-repo=registry.example.com:5443/team/app-env-cache",
        "--custom-platform=linux/arm64",
        "--registry-certificate=registry.example.com:5443=/etc/envforge/registry-ca/ca.crt");
    assertThat(build.getArgs()).noneMatch(a -> a.startsWith("--insecure"));
    assertThat(build.getImage()).isEqualTo("ghcr.io/osscontainertools/kaniko:v1.28.3");
    assertThat(mountPath(rendered.job(), build, "registry-push", ".dockerconfigjson"))
        .isEqualTo("/kaniko/.docker/config.json");
    assertThat(mountPath(rendered.job(), build, "private-index", ".netrc"))
        .isEqualTo("/run/secrets/envforge/netrc");
    assertThat(rendered.job().getSpec().getActiveDeadlineSeconds()).isEqualTo(1800);
    assertThat(rendered.job().getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("envforge-builder");
    assertThat(rendered.job().getMetadata().getAnnotations()).containsEntry("envforge.dev/rebuild-token", "2025-01-15");
    assertThat(rendered.context().getData().get(BuildContext.DOCKERFILE))
        .contains("python3 -m venv --without-pip /opt/venv", "python3 -m pip --python /opt/venv/bin/python install")
        .doesNotContain("uv pip install");
    assertCommonShape(rendered);
  }

  @Test
  void defaultsGiveTheGoldenJobAndContext() {
    Rendered rendered = render("job-minimal");

    Container build = rendered.job().getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(build.getArgs()).contains("--destination=localhost:5000/minimal:"
            + rendered.resource().getStatus().getVariants().get(0).getTag(),
        "--insecure-registry=localhost:5000", "--custom-platform=linux/amd64");
    assertThat(build.getArgs()).as("no cache repository, no cache flags").noneMatch(a -> a.startsWith("--cache"));
    assertThat(build.getImage()).isEqualTo(BuilderDefaults.DEFAULT_IMAGE);
    assertThat(build.getVolumeMounts()).as("only the build context").allMatch(m -> m.getName().equals("build-context"));
    assertThat(rendered.job().getSpec().getActiveDeadlineSeconds())
        .isEqualTo(BuilderDefaults.DEFAULT_DEADLINE_SECONDS);
    assertThat(rendered.context().getData().get(BuildContext.DOCKERFILE)).contains("uv pip install");
    assertCommonShape(rendered);
  }

  @ParameterizedTest
  @EnumSource(Installer.class)
  void recipeOfARealLockMatchesItsGoldenFiles(Installer installer) {
    String pyproject = OperatorHarness.resource("corpus/uv-langchain-ai-langgraph/pyproject.toml");
    String lock = OperatorHarness.resource("corpus/uv-langchain-ai-langgraph/uv.lock");
    VariantPlan plan = EnvironmentPlanner.plan(ProjectFiles.of(Map.of("pyproject.toml", pyproject, "uv.lock", lock),
            "corpus/uv-langchain-ai-langgraph/"),
        new PlanningRequest(null, Target.DEFAULT, null, installer, BuilderMode.KANIKO),
        new VariantRequest("default", new Selection(List.of(), List.of())));

    BuildContext context = plan.render();

    assertThat(context.files()).containsOnlyKeys(BuildContext.DOCKERFILE, BuildContext.HASHED_REQUIREMENTS,
        BuildContext.DIRECT_REQUIREMENTS, BuildContext.PACKAGE_LIST, BuildContext.COMPILE_SCRIPT,
        BuildContext.LAUNCHER);
    context.files().forEach((name, text) ->
        Golden.assertMatches("recipe-" + installer.id() + "-uv-langchain-ai-langgraph/" + name, text));
    assertThat(context.files().get(BuildContext.HASHED_REQUIREMENTS)).contains("--hash=sha256:");
    assertThat(context.dockerfile()).contains("--require-hashes", "--no-deps", "USER 65532:65532",
        "PYTHONDONTWRITEBYTECODE=1", "/opt/venv/bin/python /usr/share/envforge/compile-bytecode.py");
    assertThat(context.files().get(BuildContext.COMPILE_SCRIPT)).contains("PycInvalidationMode.CHECKED_HASH");
  }

  /** Secret data as the API server returns it (it turns stringData into data; the mock server does not). */
  static Map<String, String> base64(Map<String, String> plain) {
    Map<String, String> encoded = new java.util.TreeMap<>();
    plain.forEach((k, v) -> encoded.put(k, java.util.Base64.getEncoder().encodeToString(
        v.getBytes(StandardCharsets.UTF_8))));
    return encoded;
  }

  /** A resource from golden/NAME/pythonenvironment.yaml, and the Job and ConfigMap the operator made for it. */
  record Rendered(PythonEnvironment resource, Job job, ConfigMap context) {}

  private Rendered render(String name) {
    PythonEnvironment input = k8s.client.getKubernetesSerialization().unmarshal(new ByteArrayInputStream(
        OperatorHarness.resource("golden/" + name + "/pythonenvironment.yaml").getBytes(StandardCharsets.UTF_8)),
        PythonEnvironment.class);
    String ns = input.getMetadata().getNamespace();
    k8s.apply(input);
    Job job = k8s.awaitJob();
    PythonEnvironment resource = k8s.awaitCondition(ns, input.getMetadata().getName(), "Building", "True", null);
    ConfigMap context = k8s.awaitBuildContext(ns, job.getMetadata().getName());
    Map<String, String> placeholders = Map.of(
        resource.getMetadata().getUid(), "<uid of PythonEnvironment>",
        job.getMetadata().getUid(), "<uid of Job>");
    Golden.assertMatches(name + "/job.yaml",
        Golden.normalizedYaml(k8s.client.getKubernetesSerialization(), job, placeholders));
    Golden.assertMatches(name + "/configmap.yaml",
        Golden.normalizedYaml(k8s.client.getKubernetesSerialization(), context, placeholders));
    return new Rendered(resource, job, context);
  }

  /** What every build Job must have, whatever the options. */
  private static void assertCommonShape(Rendered rendered) {
    Job job = rendered.job();
    PythonEnvironment resource = rendered.resource();
    Container build = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(build.getArgs()).filteredOn(a -> a.startsWith("--destination=")).singleElement()
        .satisfies(d -> assertThat(d).matches("--destination=[^@\\s]+/[^@\\s]+:[a-z0-9][-a-z0-9._]*"));
    assertThat(build.getArgs()).contains("--digest-file=/dev/termination-log", "--dockerfile=Dockerfile",
        "--context=dir:///workspace");
    assertThat(build.getArgs()).allMatch(a -> a.startsWith("--") && !a.contains(" "));
    assertThat(build.getTerminationMessagePolicy()).isEqualTo("FallbackToLogsOnError");
    // every context file is a regular file in /workspace (a subPath mount), not a symlink into ..data
    assertThat(build.getVolumeMounts()).filteredOn(m -> m.getName().equals("build-context"))
        .extracting(VolumeMount::getMountPath, VolumeMount::getSubPath)
        .containsExactlyInAnyOrderElementsOf(rendered.context().getData().keySet().stream()
            .map(file -> org.assertj.core.groups.Tuple.tuple("/workspace/" + file, file)).toList());
    assertThat(job.getSpec().getBackoffLimit()).isEqualTo(1);
    assertThat(job.getSpec().getTtlSecondsAfterFinished()).isEqualTo(BuilderDefaults.DEFAULT_TTL_SECONDS);
    assertThat(job.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Never");
    assertThat(job.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken()).isFalse();
    assertThat(job.getMetadata().getLabels())
        .containsEntry(Labels.MANAGED_BY, "envforge")
        .containsEntry(Labels.COMPONENT, Labels.COMPONENT_BUILD)
        .containsEntry(Labels.OWNER_UID, resource.getMetadata().getUid())
        .containsEntry(Labels.VARIANT, "default")
        .containsKey(Labels.IMAGE_KEY);
    assertThat(job.getSpec().getTemplate().getMetadata().getLabels()).isEqualTo(job.getMetadata().getLabels());
    assertThat(job.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
      assertThat(owner.getKind()).isEqualTo("PythonEnvironment");
      assertThat(owner.getApiVersion()).isEqualTo("envforge.dev/v1alpha1");
      assertThat(owner.getName()).isEqualTo(resource.getMetadata().getName());
      assertThat(owner.getUid()).isEqualTo(resource.getMetadata().getUid());
      assertThat(owner.getController()).isTrue();
    });
    ConfigMap context = rendered.context();
    assertThat(context.getImmutable()).isTrue();
    assertThat(context.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
      assertThat(owner.getKind()).isEqualTo("Job");
      assertThat(owner.getApiVersion()).isEqualTo("batch/v1");
      assertThat(owner.getName()).isEqualTo(job.getMetadata().getName());
      assertThat(owner.getUid()).isEqualTo(job.getMetadata().getUid());
    });
    assertThat(context.getData()).containsOnlyKeys(BuildContext.DOCKERFILE, BuildContext.HASHED_REQUIREMENTS,
        BuildContext.DIRECT_REQUIREMENTS, BuildContext.PACKAGE_LIST, BuildContext.COMPILE_SCRIPT,
        BuildContext.LAUNCHER);
  }

  /**
   * Where a key of a Secret or ConfigMap (or the whole volume, for a null key) appears in the container's file
   * system.
   */
  private static String mountPath(Job job, Container container, String sourceName, String key) {
    Volume volume = job.getSpec().getTemplate().getSpec().getVolumes().stream()
        .filter(v -> v.getSecret() != null ? sourceName.equals(v.getSecret().getSecretName())
            : v.getConfigMap() != null && sourceName.equals(v.getConfigMap().getName()))
        .findFirst().orElseThrow(() -> new AssertionError("no volume from " + sourceName));
    String directory = container.getVolumeMounts().stream().filter(m -> m.getName().equals(volume.getName()))
        .findFirst().orElseThrow(() -> new AssertionError("volume " + volume.getName() + " is not mounted"))
        .getMountPath();
    if (key == null) {
      return directory;
    }
    var items = volume.getSecret() != null ? volume.getSecret().getItems() : volume.getConfigMap().getItems();
    return items.stream().filter(i -> key.equals(i.getKey())).map(i -> directory + "/" + i.getPath()).findFirst()
        .orElseThrow(() -> new AssertionError("key " + key + " of " + sourceName + " is not mounted"));
  }
}
