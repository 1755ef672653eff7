package dev.envforge.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.envforge.api.v1alpha1.BuilderSpec;
import dev.envforge.api.v1alpha1.IndexMirror;
import dev.envforge.api.v1alpha1.PythonEnvironment;
import dev.envforge.core.lock.ProjectFiles;
import dev.envforge.core.plan.Selection;
import dev.envforge.core.plan.Target;
import dev.envforge.core.planner.EnvironmentPlanner;
import dev.envforge.core.planner.PlanningRequest;
import dev.envforge.core.planner.VariantPlan;
import dev.envforge.core.planner.VariantRequest;
import dev.envforge.core.recipe.BuildContext;
import dev.envforge.core.recipe.Installer;
import dev.envforge.core.registry.ImageReference;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import dev.envforge.testing.WheelProject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A field of spec.builder overrides only itself: for every field, a resource that sets just that field gets the
 * operator's value of every other part of the build Job. The list of fields is checked against BuilderSpec, so a
 * new field cannot skip this test.
 */
class BuilderSettingsMergeTest {

  /** Operator-wide settings with every field set. */
  static BuilderSpec operatorWide() {
    BuilderSpec op = new BuilderSpec();
    op.setImage("mirror.example/kaniko@sha256:" + "a".repeat(64));
    op.setResources(BuilderDefaults.resources("1", "3Gi", null, "6Gi"));
    op.setActiveDeadlineSeconds(1200L);
    op.setCacheRepository("mirror.example/cache");
    op.setServiceAccountName("builder");
    op.setNodeSelector(Map.of("pool", "builds"));
    op.setTolerations(List.of(toleration("dedicated")));
    op.setAffinity(new AffinityBuilder().withNewPodAntiAffinity().endPodAntiAffinity().build());
    op.setPriorityClassName("low");
    op.setRuntimeClassName("kata");
    op.setImagePullSecrets(List.of(new LocalObjectReference("pull")));
    op.setEnv(List.of(new EnvVar("HTTPS_PROXY", "http://proxy:3128", null)));
    op.setPodLabels(Map.of("cost", "platform"));
    op.setPodAnnotations(Map.of("sidecar.istio.io/inject", "false"));
    op.setRegistryMirrors(List.of("mirror.example/dockerhub"));
    op.setUvImage("mirror.example/uv@sha256:" + "b".repeat(64));
    op.setIndexMirrors(List.of(new IndexMirror("https://pypi.org/simple", "https://mirror.example/pypi/simple")));
    return op;
  }

  /** How to set each field on a resource, with a value different from the operator's. */
  static final Map<String, BiConsumer<BuilderSpec, Boolean>> SETTERS = new LinkedHashMap<>();

  static {
    SETTERS.put("image", (b, x) -> b.setImage("other/kaniko:v2"));
    SETTERS.put("resources", (b, x) -> b.setResources(BuilderDefaults.resources(null, null, null, "12Gi")));
    SETTERS.put("activeDeadlineSeconds", (b, x) -> b.setActiveDeadlineSeconds(7200L));
    SETTERS.put("cacheRepository", (b, x) -> b.setCacheRepository("other.example/cache"));
    SETTERS.put("serviceAccountName", (b, x) -> b.setServiceAccountName("team-builder"));
    SETTERS.put("nodeSelector", (b, x) -> b.setNodeSelector(Map.of("team", "c")));
    SETTERS.put("tolerations", (b, x) -> b.setTolerations(List.of(toleration("team-c"))));
    SETTERS.put("affinity", (b, x) -> b.setAffinity(new AffinityBuilder().withNewNodeAffinity().endNodeAffinity()
        .build()));
    SETTERS.put("priorityClassName", (b, x) -> b.setPriorityClassName("high"));
    SETTERS.put("runtimeClassName", (b, x) -> b.setRuntimeClassName("gvisor"));
    SETTERS.put("imagePullSecrets", (b, x) -> b.setImagePullSecrets(List.of(new LocalObjectReference("team"))));
    SETTERS.put("env", (b, x) -> b.setEnv(List.of(new EnvVar("PIP_DEFAULT_TIMEOUT", "60", null))));
    SETTERS.put("podLabels", (b, x) -> b.setPodLabels(Map.of("team", "c")));
    SETTERS.put("podAnnotations", (b, x) -> b.setPodAnnotations(Map.of("safe-to-evict", "false")));
    SETTERS.put("registryMirrors", (b, x) -> b.setRegistryMirrors(List.of("team-mirror.example")));
    SETTERS.put("uvImage", (b, x) -> b.setUvImage("team-mirror.example/uv:0.9.5"));
    SETTERS.put("indexMirrors", (b, x) -> b.setIndexMirrors(List.of(new IndexMirror("https://pypi.org/simple/",
        "https://team-mirror.example/simple"))));
  }

  /** The parts of a rendered Job that each field decides. */
  static final Map<String, Function<Built, Object>> PARTS = new LinkedHashMap<>();

  static {
    PARTS.put("image", b -> container(b.job()).getImage());
    PARTS.put("resources", b -> container(b.job()).getResources());
    PARTS.put("activeDeadlineSeconds", b -> b.job().getSpec().getActiveDeadlineSeconds());
    PARTS.put("cacheRepository", b -> container(b.job()).getArgs().stream().filter(a -> a.startsWith("--cache")).toList());
    PARTS.put("serviceAccountName", b -> b.job().getSpec().getTemplate().getSpec().getServiceAccountName());
    PARTS.put("nodeSelector", b -> b.job().getSpec().getTemplate().getSpec().getNodeSelector());
    PARTS.put("tolerations", b -> b.job().getSpec().getTemplate().getSpec().getTolerations());
    PARTS.put("affinity", b -> b.job().getSpec().getTemplate().getSpec().getAffinity());
    PARTS.put("priorityClassName", b -> b.job().getSpec().getTemplate().getSpec().getPriorityClassName());
    PARTS.put("runtimeClassName", b -> b.job().getSpec().getTemplate().getSpec().getRuntimeClassName());
    PARTS.put("imagePullSecrets", b -> b.job().getSpec().getTemplate().getSpec().getImagePullSecrets());
    PARTS.put("env", b -> container(b.job()).getEnv());
    PARTS.put("podLabels", b -> b.job().getSpec().getTemplate().getMetadata().getLabels());
    PARTS.put("podAnnotations", b -> b.job().getSpec().getTemplate().getMetadata().getAnnotations());
    PARTS.put("registryMirrors", b -> container(b.job()).getArgs().stream().filter(a -> a.startsWith("--registry-mirror"))
        .toList());
    PARTS.put("uvImage", b -> b.context().dockerfile().lines().filter(l -> l.endsWith(" AS uv")).toList());
    PARTS.put("indexMirrors", b -> b.context().files().get(BuildContext.HASHED_REQUIREMENTS).lines()
        .filter(l -> l.startsWith("--")).toList());
  }

  /** Fields that choose the builder rather than shape its Pod: {@link #theBuilderFieldsChooseTheAssembleJob}. */
  static final List<String> BUILDER_CHOICE = List.of("mode", "assemblerImage");

  @Test
  void everyFieldOfBuilderSpecIsCovered() {
    List<String> fields = Arrays.stream(BuilderSpec.class.getDeclaredFields())
        .filter(f -> !Modifier.isStatic(f.getModifiers())).map(Field::getName)
        .filter(f -> !BUILDER_CHOICE.contains(f)).toList();
    assertThat(SETTERS.keySet()).containsExactlyInAnyOrderElementsOf(fields);
    assertThat(PARTS.keySet()).containsExactlyInAnyOrderElementsOf(fields);
  }

  @Test
  void aFieldSetOnTheResourceChangesOnlyItsOwnPart() {
    BuilderDefaults defaults = BuilderDefaults.defaults().withSettings(operatorWide());
    Built operatorOnly = built(defaults, null);
    Built emptyBuilder = built(defaults, new BuilderSpec());
    for (String part : PARTS.keySet()) {
      assertThat(PARTS.get(part).apply(emptyBuilder)).as("an empty spec.builder: " + part)
          .isEqualTo(PARTS.get(part).apply(operatorOnly));
    }
    for (String field : SETTERS.keySet()) {
      BuilderSpec resource = new BuilderSpec();
      SETTERS.get(field).accept(resource, true);
      Built job = built(defaults, resource);
      for (String part : PARTS.keySet()) {
        Object mine = PARTS.get(part).apply(job);
        Object operators = PARTS.get(part).apply(operatorOnly);
        if (part.equals(field)) {
          assertThat(mine).as("setting " + field + " changes it").isNotEqualTo(operators);
        } else {
          assertThat(mine).as("setting " + field + " leaves " + part).isEqualTo(operators);
        }
      }
    }
  }

  @Test
  void resourcesAreMergedKeyByKeyAndOperatorPartsArekept() {
    BuilderDefaults defaults = BuilderDefaults.defaults().withSettings(operatorWide());
    BuilderSpec resource = new BuilderSpec();
    resource.setResources(BuilderDefaults.resources(null, null, null, "12Gi"));
    resource.setEnv(List.of(new EnvVar("HTTPS_PROXY", "http://team-proxy:3128", null)));
    resource.setTolerations(List.of(toleration("dedicated")));
    Job job = job(defaults, resource);
    ResourceRequirements r = container(job).getResources();
    assertThat(r.getRequests()).containsOnlyKeys("cpu", "memory");
    assertThat(r.getRequests().get("memory").toString()).isEqualTo("3Gi");
    assertThat(r.getLimits().get("memory").toString()).isEqualTo("12Gi");
    assertThat(container(job).getEnv()).extracting(EnvVar::getValue).containsExactly("http://team-proxy:3128");
    assertThat(job.getSpec().getTemplate().getSpec().getTolerations()).as("no duplicate").hasSize(1);
  }

  /** The CRD no longer defaults the deadline, so a spec.builder with only an image keeps the operator's. */
  @Test
  void theOperatorsDeadlineHoldsWhenTheResourceSetsAnotherField() {
    BuilderSpec resource = new BuilderSpec();
    resource.setImage("other/kaniko:v2");
    assertThat(resource.getActiveDeadlineSeconds()).isNull();
    BuilderDefaults defaults = new BuilderDefaults("k:1", null, 900, BuilderDefaults.resources("1", null, null,
        null), 60);
    assertThat(job(defaults, resource).getSpec().getActiveDeadlineSeconds()).isEqualTo(900);
  }

  @Test
  void theSettingsFileIsReadWithItsErrorsLocated(@TempDir Path dir) throws Exception {
    Path good = dir.resolve("good.yaml");
    Files.writeString(good, "nodeSelector:\n  pool: builds\nresources:\n  limits:\n    ephemeral-storage: 20Gi\n");
    BuilderSpec read = BuilderSettingsFile.read(good);
    assertThat(read.getNodeSelector()).containsEntry("pool", "builds");
    assertThat(read.getResources().getLimits().get("ephemeral-storage").toString()).isEqualTo("20Gi");

    Path unknown = dir.resolve("unknown.yaml");
    Files.writeString(unknown, "nodeSelector:\n  pool: builds\ntolerationz: []\n");
    assertThatThrownBy(() -> BuilderSettingsFile.read(unknown)).hasMessageStartingWith(unknown + ":3:")
        .hasMessageContaining("tolerationz");
    Path deadline = dir.resolve("deadline.yaml");
    Files.writeString(deadline, "activeDeadlineSeconds: 5\n");
    assertThatThrownBy(() -> BuilderSettingsFile.read(deadline)).hasMessageContaining("from 60 to 86400");
  }

  /** A rendered build: its Job and the build context it gets. */
  record Built(Job job, BuildContext context) {}

  private static Built built(BuilderDefaults defaults, BuilderSpec builder) {
    return new Built(job(defaults, builder), plan().render(FetchSettings.of(defaults.pod(), builder)));
  }

  static final String LOCK =
      "certifi==2026.7.22 \\\n    --hash=sha256:62f22742b58a1a33014a2b6b706588a8d7e2a88ae7bd1a6ebe8c992928483775\n";

  private static VariantPlan plan() {
    return EnvironmentPlanner.plan(ProjectFiles.of(Map.of("requirements.txt", LOCK), "inline/"),
        new PlanningRequest(null, Target.DEFAULT, null, Installer.UV),
        new VariantRequest("default", new Selection(List.of(), List.of())));
  }

  @Test
  void theBuilderFieldsChooseTheAssembleJob(@TempDir Path dir) throws Exception {
    BuilderDefaults defaults = BuilderDefaults.defaults().withSettings(operatorWide());
    assertThat(container(assembleJob(defaults, null)).getImage()).isEqualTo(BuilderDefaults.DEFAULT_ASSEMBLER_IMAGE);
    BuilderSpec settings = operatorWide();
    settings.setAssemblerImage("mirror.example/envforge:0.1.0");
    BuilderDefaults withImage = BuilderDefaults.defaults().withSettings(settings);
    assertThat(container(assembleJob(withImage, null)).getImage()).isEqualTo("mirror.example/envforge:0.1.0");
    BuilderSpec resource = new BuilderSpec();
    resource.setAssemblerImage("team.example/envforge:0.1.0");
    Job own = assembleJob(withImage, resource);
    assertThat(container(own).getImage()).isEqualTo("team.example/envforge:0.1.0");
    assertThat(container(own).getArgs()).first().isEqualTo("assemble");
    // the Pod settings apply to assemble Jobs as to Kaniko ones; Kaniko's mirrors do not
    assertThat(own.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("builder");
    assertThat(own.getSpec().getTemplate().getSpec().getNodeSelector())
        .isEqualTo(Map.of("pool", "builds", "kubernetes.io/os", "linux"));
    assertThat(container(own).getEnv()).extracting(EnvVar::getName).contains("HTTPS_PROXY");
    assertThat(container(own).getArgs()).noneMatch(a -> a.contains("mirror.example/dockerhub"));
    resource.setMode(dev.envforge.api.v1alpha1.BuilderMode.KANIKO);
    assertThat(container(assembleJob(withImage, resource)).getImage()).as("mode kaniko: the Kaniko image")
        .isEqualTo(settings.getImage());

    Path mode = dir.resolve("mode.yaml");
    Files.writeString(mode, "mode: assemble\n");
    assertThatThrownBy(() -> BuilderSettingsFile.read(mode)).hasMessageStartingWith(mode + ": mode:")
        .hasMessageContaining("spec.builder.mode");
    Path image = dir.resolve("image.yaml");
    Files.writeString(image, "assemblerImage: mirror.example/envforge:0.1.0\n");
    assertThat(BuilderSettingsFile.read(image).getAssemblerImage()).isEqualTo("mirror.example/envforge:0.1.0");
  }

  /** The Job of an all-wheel plan, whose builder {@code spec.builder.mode} decides (auto: assemble). */
  private static Job assembleJob(BuilderDefaults defaults, BuilderSpec builder) {
    PythonEnvironment resource = OperatorHarness.environment("team", "app", WheelProject.PYPROJECT,
        WheelProject.LOCK, "registry.example/team/app");
    resource.setMetadata(new ObjectMetaBuilder(resource.getMetadata()).withUid("uid-1").build());
    resource.getSpec().setBuilder(builder);
    VariantPlan plan = EnvironmentPlanner.plan(ProjectFiles.of(WheelProject.FILES, "inline/"),
        SpecPlanning.request(resource.getSpec(), null),
        new VariantRequest("default", new Selection(List.of(), List.of())));
    ImageReference image = ImageReference.of("registry.example", "team/app", "ef-1");
    BuildJobSpec spec = BuildJobSpec.of(resource, defaults, new RegistryAccess(null, null, false), plan, image,
        "key", "envforge-build-1", null, List.copyOf(WheelProject.FILES.keySet()),
        new BuildJobSpec.AssembleInputs("uv.lock", "uv", List.of(), List.of(), plan.recipe().python(),
            plan.recipe().baseImage(), "default"));
    return BuildJobFactory.job(spec);
  }

  private static Job job(BuilderDefaults defaults, BuilderSpec builder) {
    PythonEnvironment resource = OperatorHarness.environment("team", "app", null,
        "certifi==2026.7.22 \\\n    --hash=sha256:62f22742b58a1a33014a2b6b706588a8d7e2a88ae7bd1a6ebe8c992928483775\n",
        "registry.example/team/app");
    resource.setMetadata(new ObjectMetaBuilder(resource.getMetadata()).withUid("uid-1").build());
    resource.getSpec().setBuilder(builder);
    VariantPlan plan = EnvironmentPlanner.plan(ProjectFiles.of(Map.of("requirements.txt",
            resource.getSpec().getSource().getInline().getLock()), "inline/"),
        new PlanningRequest(null, Target.DEFAULT, null, Installer.UV),
        new VariantRequest("default", new Selection(List.of(), List.of())));
    ImageReference image = ImageReference.of("registry.example", "team/app", "ef-1");
    BuildJobSpec spec = BuildJobSpec.of(resource, defaults, new RegistryAccess(null, null, false), plan, image,
        "key", "envforge-build-1", null, List.of("Dockerfile"), null);
    return BuildJobFactory.job(spec);
  }

  private static io.fabric8.kubernetes.api.model.Container container(Job job) {
    return job.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  private static Toleration toleration(String key) {
    return new TolerationBuilder().withKey(key).withOperator("Exists").withEffect("NoSchedule").build();
  }
}
