package dev.envforge.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.envforge.api.v1alpha1.EnvforgeApi.Conditions;
import dev.envforge.api.v1alpha1.Reason;
import dev.envforge.api.v1alpha1.IndexCredentialsReference;
import dev.envforge.api.v1alpha1.PythonEnvironment;
import dev.envforge.api.v1alpha1.Variant;
import dev.envforge.api.v1alpha1.VariantPhase;
import dev.envforge.api.v1alpha1.VariantStatus;
import dev.envforge.core.recipe.BuildContextRenderer;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * envforge's build recipe built for real: the operator runs against a mock API server, its build Jobs are run by
 * {@link KanikoJobExecutor} with buildah, images go to a real registry, and the tests look inside the images.
 * Every test is independent (its own namespace and repository); the order only makes the second resource of the
 * same lock a cache hit, as the timings in docs/benchmarks.md describe.
 *
 * <p>Skipped, with the missing program or package named, where buildah, docker-registry, skopeo or Debian's
 * python3/python3-venv/python3-pip are missing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealBuildIT {
  static final Duration BUILD_TIMEOUT = Duration.ofMinutes(4);
  static final Variant MAIN = new Variant("default");
  static final Variant FULL = new Variant("full", List.of("dev"), List.of("fast"));

  private static RealBuildWorld world;
  private static String unavailable;
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
  /** The report script run in images; see {@link #assertBytecodeValid}. */
  private static final String CHECK_VENV = resource("/e2e/check-venv.py");

  @BeforeAll
  static void startWorld(@TempDir Path work) {
    unavailable = RealBuildWorld.unavailableReason().orElse(null);
    if (unavailable == null) {
      world = RealBuildWorld.start(work, KanikoJobExecutor.Storage.PER_POD);
      report("base image %s (python %s) %s, pushed as %s", world.baseReference(), world.base().pythonVersion(),
          world.base().reused() ? "from the cache" : "built in " + seconds(world.base().preparation()) + " s",
          world.baseDigest());
    }
  }

  @BeforeEach
  void skipWhereImagesCannotBeBuilt() {
    assumeTrue(unavailable == null, () -> unavailable);
  }

  @AfterEach
  void everyJobRanAsKanikoWould() {
    if (world != null) {
      assertThat(world.executor().problems()).as("what the executor could not reproduce").isEmpty();
    }
  }

  @AfterAll
  static void stopWorld() {
    if (world != null) {
      world.close();
    }
  }

  @Test
  @Order(1)
  void eachVariantImageHoldsExactlyItsPlanAndTheStatusHasTheRegistryDigest() {
    String ns = "flows";
    RealBuildWorld.ProjectFiles project = world.project(RealBuildWorld.Project.POETRY, world.index().simpleUrl(),
        LockedTestProjects.Options.standard());
    long start = System.nanoTime();
    world.apply(world.environment(ns, "app", project, "e2e/app", MAIN, FULL));

    PythonEnvironment ready = world.awaitCondition(ns, "app", Conditions.READY, "True", null, BUILD_TIMEOUT);
    report("poetry, 2 variants, cold: apply to Ready in %.1f s", seconds(start));

    assertThat(ready.getStatus().getVariants()).extracting(VariantStatus::getName, VariantStatus::getPhase,
        VariantStatus::getReason).containsExactly(
            org.assertj.core.groups.Tuple.tuple("default", VariantPhase.Succeeded, Reason.BUILT.wire()),
            org.assertj.core.groups.Tuple.tuple("full", VariantPhase.Succeeded, Reason.BUILT.wire()));
    assertThat(builtJobs(ns)).hasSize(2);
    assertImageHolds(ready, "default", "alpha==1.0", "beta==2.0");
    assertImageHolds(ready, "full", "alpha==1.0", "beta==2.0", "epsilon==3.0", "gamma==0.5");
    for (VariantStatus v : ready.getStatus().getVariants()) {
      KanikoJobExecutor.Execution execution = executionOf(v);
      assertThat(execution.terminationMessage()).as("Kaniko's --digest-file=/dev/termination-log")
          .isEqualTo(digestOf(v));
    }
    String python = world.builder().run(imageOf(ready, "default"), "python", "-c",
        "import platform, sys; print(platform.python_version(), sys.prefix)").stdout().trim();
    assertThat(python).as("spec.python is the image's Python; python on PATH is the venv's")
        .isEqualTo(RealBuildWorld.PYTHON + " /opt/venv");
  }

  @Test
  @Order(2)
  void aCosmeticLockEditBuildsNothingAndAVariantEditBuildsOnlyThatVariant() {
    String ns = "edits";
    RealBuildWorld.ProjectFiles project = world.project(RealBuildWorld.Project.POETRY, world.index().simpleUrl(),
        LockedTestProjects.Options.standard());
    long start = System.nanoTime();
    world.apply(world.environment(ns, "app", project, "e2e/app", MAIN, FULL));
    PythonEnvironment first = world.awaitCondition(ns, "app", Conditions.READY, "True", null, BUILD_TIMEOUT);
    report("poetry, 2 variants, second resource of the same lock: apply to Ready in %.1f s (%s)",
        seconds(start), first.getStatus().getConditions().stream()
            .filter(c -> c.getType().equals(Conditions.READY)).findFirst().orElseThrow().getReason());
    List<String> jobsBefore = jobUids();
    int executionsBefore = world.executor().executions().size();

    // what a newer Poetry writes for the same resolution: another header and description, no other package
    String relocked = project.lock().replace("Poetry 2.4.1", "Poetry 2.5.0")
        .replace("description = \"" + world.wheels.beta().summary() + "\"", "description = \"Beta, re-described\"");
    assertThat(relocked).isNotEqualTo(project.lock());
    world.edit(ns, "app", pe -> {
      pe.getSpec().getSource().getInline().setLock(relocked);
      return pe;
    });
    PythonEnvironment afterCosmetic = world.awaitCondition(ns, "app", Conditions.READY, "True", null,
        BUILD_TIMEOUT);

    assertThat(afterCosmetic.getMetadata().getGeneration()).isGreaterThan(first.getMetadata().getGeneration());
    assertThat(jobUids()).as("no build for a cosmetic lock edit").isEqualTo(jobsBefore);
    assertThat(world.executor().executions()).hasSize(executionsBefore);
    assertThat(afterCosmetic.getStatus().getVariants()).extracting(VariantStatus::getImage)
        .isEqualTo(first.getStatus().getVariants().stream().map(VariantStatus::getImage).toList());

    world.edit(ns, "app", pe -> {
      pe.getSpec().setVariants(List.of(MAIN, new Variant("full", List.of(), List.of("fast"))));
      return pe;
    });
    PythonEnvironment afterVariantEdit = world.awaitCondition(ns, "app", Conditions.READY, "True", null,
        BUILD_TIMEOUT);

    List<String> newJobs = new ArrayList<>(jobUids());
    newJobs.removeAll(jobsBefore);
    assertThat(newJobs).as("exactly one new build, for the edited variant").hasSize(1);
    assertThat(world.executor().executions()).hasSize(executionsBefore + 1);
    assertThat(variant(afterVariantEdit, "default").getImage()).isEqualTo(variant(first, "default").getImage());
    assertThat(variant(afterVariantEdit, "full").getReason()).isEqualTo(Reason.BUILT.wire());
    assertImageHolds(afterVariantEdit, "full", "alpha==1.0", "beta==2.0", "gamma==0.5");
  }

  @Test
  @Order(3)
  void aUvLockIsBuiltToo() {
    String ns = "uv";
    RealBuildWorld.ProjectFiles project = world.project(RealBuildWorld.Project.UV, world.index().simpleUrl(),
        LockedTestProjects.Options.standard());
    Variant dev = new Variant("dev", List.of("dev"), List.of());
    world.apply(world.environment(ns, "app", project, "e2e/uv-app", dev));

    PythonEnvironment ready = world.awaitCondition(ns, "app", Conditions.READY, "True", Reason.BUILT.wire(),
        BUILD_TIMEOUT);

    assertImageHolds(ready, "dev", "alpha==1.0", "beta==2.0", "epsilon==3.0");
  }

  @Test
  @Order(4)
  void aWheelThatDoesNotMatchItsLockedHashFailsTheBuildAndPushesNothing() {
    String ns = "tampered";
    RealBuildWorld.ProjectFiles project = world.project(RealBuildWorld.Project.POETRY, world.index().simpleUrl(),
        new LockedTestProjects.Options(true));
    world.apply(world.environment(ns, "app", project, "e2e/tampered", MAIN));

    PythonEnvironment failed = world.awaitCondition(ns, "app", Conditions.FAILED, "True", null, BUILD_TIMEOUT);

    VariantStatus v = variant(failed, "default");
    report("tampered wheel: %s: %s", v.getReason(), v.getMessage());
    assertThat(v.getPhase()).isEqualTo(VariantPhase.Failed);
    assertThat(v.getReason()).isEqualTo(Reason.INSTALL_FAILED.wire());
    assertThat(v.getMessage()).as("pip's own words reach the status")
        .contains("THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE")
        .contains("tampered==1.0")
        .containsPattern("Expected +(sha256|or) " + world.wheels.tampered().wheel().sha256())
        .containsPattern("Got +" + world.wheels.tamperedAsServed().wheel().sha256());
    assertThat(world.condition(ns, "app", Conditions.READY)).hasValueSatisfying(c ->
        assertThat(c.getStatus()).isEqualTo("False"));
    assertThat(world.manifestDigest("e2e/tampered", v.getTag())).as("nothing pushed").isNull();
    List<KanikoJobExecutor.Execution> runs = world.executor().executions().stream()
        .filter(e -> e.namespace().equals(ns)).toList();
    assertThat(runs).as("the Job's first Pod and its one retry (backoffLimit 1)")
        .extracting(KanikoJobExecutor.Execution::attempt, KanikoJobExecutor.Execution::exitCode)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(1, 1), org.assertj.core.groups.Tuple.tuple(2, 1));
    Job job = world.client().batch().v1().jobs().inNamespace(ns).withName(v.getJobName()).get();
    assertThat(job.getStatus().getConditions()).anySatisfy(c -> {
      assertThat(c.getType()).isEqualTo("Failed");
      assertThat(c.getReason()).isEqualTo("BackoffLimitExceeded");
    });
  }

  @Test
  @Order(5)
  void privateIndexCredentialsFromASecretReachNoLayerAndNoOtherObject() {
    String ns = "private";
    String netrc = "machine 127.0.0.1 login " + RealBuildWorld.INDEX_USER + " password " + world.indexPassword()
        + "\n";
    world.client().secrets().inNamespace(ns).resource(new SecretBuilder()
        .withNewMetadata().withName("index-credentials").withNamespace(ns).endMetadata()
        .withData(Map.of("netrc", base64(netrc))).build()).create();
    RealBuildWorld.ProjectFiles project = world.project(RealBuildWorld.Project.POETRY,
        world.privateIndex().simpleUrl(), LockedTestProjects.Options.standard());
    PythonEnvironment pe = world.environment(ns, "app", project, "e2e/private", MAIN);
    IndexCredentialsReference credentials = new IndexCredentialsReference();
    credentials.setName("index-credentials");
    pe.getSpec().setIndexCredentialsSecretRef(credentials);
    world.apply(pe);

    PythonEnvironment ready = world.awaitCondition(ns, "app", Conditions.READY, "True", Reason.BUILT.wire(),
        BUILD_TIMEOUT);

    assertImageHolds(ready, "default", "alpha==1.0", "beta==2.0");
    assertThat(world.privateIndex().requests()).as("pip sent the netrc credentials")
        .anyMatch(r -> r.status() == 200 && r.path().startsWith("/files/") && r.authorization() != null);
    String image = imageOf(ready, "default");
    assertThat(world.builder().layerFilesContaining(image, world.indexPassword()))
        .extracting(BuildahBuilder.LayerFile::path).as("layer files holding the password").isEmpty();
    assertThat(world.builder().imageConfig(image)).doesNotContain(world.indexPassword());
    List<String> leaks = world.storedObjects().stream()
        .filter(json -> !json.contains("\"name\":\"index-credentials\"") || !json.contains("\"kind\":\"Secret\""))
        .filter(json -> json.contains(world.indexPassword()) || json.contains(base64(netrc))
            || json.contains(base64(RealBuildWorld.INDEX_USER + ":" + world.indexPassword())))
        .toList();
    assertThat(leaks).as("objects besides the Secret holding the password").isEmpty();
    assertThat(world.storedObjects()).as("the Secret itself is among the objects scanned")
        .anyMatch(json -> json.contains(base64(netrc)));
  }

  @Test
  @Order(6)
  void theBaseRefusesSystemWideInstallsButTheVenvWorks() {
    String ns = "pep668";
    RealBuildWorld.ProjectFiles project = world.project(RealBuildWorld.Project.POETRY, world.index().simpleUrl(),
        LockedTestProjects.Options.standard());
    world.apply(world.environment(ns, "app", project, "e2e/pep668", MAIN));
    PythonEnvironment ready = world.awaitCondition(ns, "app", Conditions.READY, "True", null, BUILD_TIMEOUT);
    String image = imageOf(ready, "default");

    // as root, so that only PEP 668 (not file permissions) can refuse it
    ExternalCommand.Result systemPip = world.builder().runAs("0:0", image, "/usr/bin/python3", "-m", "pip",
        "install", "--no-index", "beta");
    ExternalCommand.Result venv = world.builder().run(image, "/opt/venv/bin/python", "-c",
        "import alpha, beta; print(alpha.__version__, beta.__version__)");

    assertThat(systemPip.exitCode()).as(systemPip.output()).isNotZero();
    assertThat(systemPip.output()).contains("externally-managed-environment");
    assertThat(world.builder().run(image, "ls", "/usr/lib/python3.11/EXTERNALLY-MANAGED").exitCode())
        .as("the base's PEP 668 marker is still there").isZero();
    assertThat(venv.exitCode()).as(venv.output()).isZero();
    assertThat(venv.stdout().trim()).isEqualTo("1.0 2.0");
  }

  @Test
  @Order(7)
  void thePushSecretGivesTheBuildItsRegistryLogin() {
    String ns = "login";
    var registry = world.loginRegistry();
    world.client().secrets().inNamespace(ns).resource(new SecretBuilder()
        .withNewMetadata().withName("push-credentials").withNamespace(ns).endMetadata()
        .withType("kubernetes.io/dockerconfigjson")
        .withData(Map.of(".dockerconfigjson", base64(registry.dockerConfigJson()))).build()).create();
    RealBuildWorld.ProjectFiles project = world.project(RealBuildWorld.Project.POETRY, world.index().simpleUrl(),
        LockedTestProjects.Options.standard());
    world.apply(world.environmentInLoginRegistry(ns, "app", project, "e2e/pushed", "push-credentials", MAIN));

    PythonEnvironment ready = world.awaitCondition(ns, "app", Conditions.READY, "True", Reason.BUILT.wire(),
        BUILD_TIMEOUT);

    VariantStatus v = variant(ready, "default");
    assertThat(RealBuildWorld.manifestDigest(registry, "e2e/pushed", v.getTag()))
        .as("the registry's Docker-Content-Digest").isEqualTo(digestOf(v));
    assertThat(executionOf(v).terminationMessage()).isEqualTo(digestOf(v));
    assertThat(statusWithoutLogin(registry.url().resolve("/v2/e2e/pushed/manifests/" + v.getTag())))
        .as("the registry demands a login").isEqualTo(401);
    List<String> leaks = world.storedObjects().stream()
        .filter(json -> !json.contains("\"name\":\"push-credentials\"") || !json.contains("\"kind\":\"Secret\""))
        .filter(json -> json.contains(world.pushPassword())
            || json.contains(base64(RealBuildWorld.PUSH_USER + ":" + world.pushPassword())))
        .toList();
    assertThat(leaks).as("objects besides the push Secret holding the registry password").isEmpty();
  }

  @Test
  @Order(8)
  void aForcedRebuildFromEmptyStoragePushesTheSameImageWithValidBytecode() {
    String ns = "reproducible";
    RealBuildWorld.ProjectFiles project = world.project(RealBuildWorld.Project.POETRY, world.index().simpleUrl(),
        LockedTestProjects.Options.standard());
    world.apply(world.environment(ns, "app", project, "e2e/reproducible", FULL));
    PythonEnvironment first = world.awaitCondition(ns, "app", Conditions.READY, "True", Reason.BUILT.wire(),
        BUILD_TIMEOUT);
    VariantStatus built = variant(first, "full");

    // the same plan, recipe and base again, in a new build Pod whose image storage starts empty
    world.edit(ns, "app", pe -> {
      pe.getSpec().setRebuildToken("rebuild-1");
      return pe;
    });
    PythonEnvironment second = world.awaitStatus(ns, "app", "the forced rebuild pushed", pe -> pe.getStatus() != null
        && pe.getStatus().getVariants() != null && pe.getStatus().getVariants().stream().anyMatch(v ->
            v.getName().equals("full") && "rebuild-1".equals(v.getRebuildToken())
                && v.getPhase() == VariantPhase.Succeeded), BUILD_TIMEOUT);
    VariantStatus rebuilt = variant(second, "full");

    List<KanikoJobExecutor.Execution> builds = world.executor().executions().stream()
        .filter(e -> e.namespace().equals(ns) && e.succeeded()).toList();
    assertThat(builds).as("two builds, each in its own Pod").hasSize(2)
        .extracting(KanikoJobExecutor.Execution::pod).doesNotHaveDuplicates();
    List<String> firstLayers = layerDigests(world.manifest("e2e/reproducible", builds.get(0).terminationMessage()));
    List<String> secondLayers = layerDigests(world.manifest("e2e/reproducible", builds.get(1).terminationMessage()));
    report("reproducible: %s and %s, layers %s", builds.get(0).terminationMessage(),
        builds.get(1).terminationMessage(), secondLayers);
    assertThat(secondLayers).as("layer digests of the second build").isEqualTo(firstLayers);
    assertThat(builds.get(1).terminationMessage()).as("image digest of the second build")
        .isEqualTo(builds.get(0).terminationMessage());
    assertThat(digestOf(rebuilt)).isEqualTo(digestOf(built));

    String image = imageOf(second, "full");
    List<String> bytecodeOutsideTheVenv = new ArrayList<>();
    world.builder().scanLayers(image, f -> {
      if (f.layer() > 0 && f.path().endsWith(".pyc") && !f.path().startsWith("opt/venv/")) {
        bytecodeOutsideTheVenv.add(f.path());
      }
    });
    assertThat(bytecodeOutsideTheVenv).as("bytecode the recipe's layers hold outside the venv").isEmpty();
    assertImageHolds(second, "full", "alpha==1.0", "beta==2.0", "epsilon==3.0", "gamma==0.5");
  }

  @Test
  @Order(9)
  void aPodWithTheRuntimeConfigMapMountedImportsARuntimePackageThatTheImageLacks(@TempDir Path pod)
      throws Exception {
    String ns = "runtime";
    RealBuildWorld.ProjectFiles project = world.project(RealBuildWorld.Project.UV, world.index().simpleUrl(),
        LockedTestProjects.Options.standard());
    Variant experimental = new Variant("default");
    experimental.setRuntimeGroups(List.of("dev"));
    world.apply(world.environment(ns, "plain", project, "e2e/runtime", MAIN));
    PythonEnvironment plain = world.awaitCondition(ns, "plain", Conditions.READY, "True", Reason.BUILT.wire(),
        BUILD_TIMEOUT);
    world.apply(world.environment(ns, "trial", project, "e2e/runtime", experimental));
    PythonEnvironment trial = world.awaitCondition(ns, "trial", Conditions.READY, "True", null, BUILD_TIMEOUT);
    VariantStatus v = world.awaitStatus(ns, "trial", "naming its runtime ConfigMap", pe ->
        variant(pe, "default").getRuntimeConfigMap() != null, BUILD_TIMEOUT).getStatus().getVariants().get(0);

    assertThat(v.getTag()).as("the tag with and without runtime groups").isEqualTo(variant(plain, "default").getTag());
    assertThat(v.getImage()).isEqualTo(variant(plain, "default").getImage());
    assertThat(builtJobs(ns)).as("one build for both resources").hasSize(1);
    String image = imageOf(trial, "default");
    JsonNode config = JSON.readTree(world.builder().imageConfig(image));
    assertThat(config.at("/config/Entrypoint")).as("a Pod giving only args starts through the launcher")
        .isEqualTo(JSON.readTree("[\"" + BuildContextRenderer.LAUNCHER_IN_IMAGE + "\"]"));
    assertThat(config.at("/config/Cmd")).isEqualTo(JSON.readTree("[\"python3\"]"));

    // the Pod of docs/reference.md: the ConfigMap's key at the documented path, an emptyDir for the packages
    String requirements = world.client().configMaps().inNamespace(ns).withName(v.getRuntimeConfigMap()).get()
        .getData().get("requirements.txt");
    assertThat(requirements).contains("epsilon==3.0", "--hash=sha256:" + world.wheels.epsilon().wheel().sha256(),
        "--index-url " + world.index().simpleUrl().toString().replaceAll("/$", ""));
    Path configMap = java.nio.file.Files.createDirectories(pod.resolve("configmap"));
    java.nio.file.Files.writeString(configMap.resolve("requirements.txt"), requirements);
    Path emptyDir = java.nio.file.Files.createDirectories(pod.resolve("empty-dir"));
    java.nio.file.Files.setPosixFilePermissions(emptyDir, java.nio.file.attribute.PosixFilePermissions
        .fromString("rwxrwxrwx"));
    List<String> volumes = List.of(configMap + ":" + BuildContextRenderer.RUNTIME_REQUIREMENTS_MOUNT + ":ro",
        emptyDir + ":" + BuildContextRenderer.RUNTIME_DIRECTORY);
    String probe = "import epsilon, alpha; print(epsilon.__version__, epsilon.__file__, alpha.__version__)";
    int requestsBefore = world.index().requestCount();
    long started = System.nanoTime();
    ExternalCommand.Result mounted = world.builder().runWithVolumes(image, volumes,
        BuildContextRenderer.LAUNCHER_IN_IMAGE, "python", "-c", probe);
    report("runtime groups: a container with the runtime ConfigMap mounted (buildah from and run, the install of"
        + " 1 runtime package included) finished in %.1f s", seconds(started));

    assertThat(mounted.exitCode()).as(mounted.output()).isZero();
    assertThat(mounted.stdout().trim()).isEqualTo("3.0 " + BuildContextRenderer.RUNTIME_DIRECTORY
        + "/site-packages/epsilon/__init__.py 1.0");
    assertThat(world.index().requestCount()).as("pip fetched from the lock's index").isGreaterThan(requestsBefore);
    assertThat(emptyDir.resolve("site-packages/epsilon/__init__.py")).exists();

    // the same mounts once more (a restarted container): nothing is installed again
    int requestsAfterInstall = world.index().requestCount();
    ExternalCommand.Result restarted = world.builder().runWithVolumes(image, volumes,
        BuildContextRenderer.LAUNCHER_IN_IMAGE, "python", "-c", probe);
    assertThat(restarted.exitCode()).as(restarted.output()).isZero();
    assertThat(world.index().requestCount()).isEqualTo(requestsAfterInstall);

    // without the mount: the launcher only execs, and the runtime package is absent
    ExternalCommand.Result unmounted = world.builder().run(image, BuildContextRenderer.LAUNCHER_IN_IMAGE,
        "python", "-c", "import epsilon");
    assertThat(unmounted.exitCode()).isNotZero();
    assertThat(unmounted.output()).contains("ModuleNotFoundError: No module named 'epsilon'");
    ExternalCommand.Result words = world.builder().run(image, BuildContextRenderer.LAUNCHER_IN_IMAGE,
        "python", "-c", "import sys; print(sys.argv[1:])", "a b", "$(id)", "*", "'\"");
    assertThat(words.stdout().trim()).as("the command's words reach it unchanged")
        .isEqualTo("['a b', '$(id)', '*', '\\'\"']");
  }

  private static List<String> layerDigests(String manifestJson) {
    try {
      List<String> digests = new ArrayList<>();
      JSON.readTree(manifestJson).path("layers").forEach(l -> digests.add(l.path("digest").asText()));
      assertThat(digests).as("layers of %s", manifestJson).isNotEmpty();
      return digests;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * The venv holds exactly the variant's plan, as {@code pip list} (the base's pip, run for the venv) and Python's
   * {@code importlib.metadata} see it, and its bytecode is what the recipe promises ({@link #assertBytecodeValid}).
   */
  /**
   * The fallback, for real: under builder mode auto, a package whose lock lists only its sdist makes the variant a
   * Kaniko build (the status says which package and why), and pip builds the package from source inside it.
   */
  @Test
  @Order(9)
  void aPackageWithOnlyAnSdistFallsBackToKanikoWhichBuildsItFromSource() {
    assumeTrue(!RealBuildWorld.buildBackend().isEmpty(),
        "building an sdist needs Debian's python3-setuptools-whl and python3-wheel-whl in the index");
    String ns = "fallback";
    RealBuildWorld.ProjectFiles project = world.project(RealBuildWorld.Project.UV, world.index().simpleUrl(),
        LockedTestProjects.Options.standard());
    String betaWheel = world.wheels.beta().wheel().filename();
    String lock = project.lock().lines().filter(line -> !line.contains(betaWheel))
        .collect(java.util.stream.Collectors.joining("\n", "", "\n"));
    assertThat(lock).as("beta's lock entry keeps only its sdist").doesNotContain(betaWheel)
        .contains(world.wheels.beta().sdist().filename());
    PythonEnvironment pe = world.environment(ns, "app", new RealBuildWorld.ProjectFiles(project.pyproject(), lock),
        "e2e/fallback", MAIN);
    pe.getSpec().setBuilder(null); // builder mode auto
    world.index().clearRequests();
    world.apply(pe);

    PythonEnvironment ready = world.awaitCondition(ns, "app", Conditions.READY, "True", Reason.BUILT.wire(),
        BUILD_TIMEOUT);

    VariantStatus v = variant(ready, "default");
    report("fallback: %s: %s", v.getBuilder(), v.getBuilderReason());
    assertThat(v.getBuilder()).isEqualTo("kaniko");
    assertThat(v.getBuilderReason()).startsWith("package beta 2.0 has no wheel for CPython " + RealBuildWorld.PYTHON)
        .endsWith("(only an sdist, which must be built)");
    assertImageHolds(ready, "default", "alpha==1.0", "beta==2.0");
    assertThat(world.index().downloadedFiles()).as("beta built from its sdist, alpha installed from its wheel")
        .contains(world.wheels.beta().sdist().filename(), world.wheels.alpha().wheel().filename())
        .doesNotContain(betaWheel);
    assertThat(world.client().batch().v1().jobs().inNamespace(ns).list().getItems()).singleElement()
        .satisfies(job -> assertThat(job.getMetadata().getLabels()).containsEntry("envforge.dev/builder", "kaniko"));
  }

  private static void assertImageHolds(PythonEnvironment pe, String variant, String... expected) {
    VariantStatus v = variant(pe, variant);
    String image = imageOf(pe, variant);
    String tag = v.getTag();
    String repository = pe.getSpec().getImage().getRepository();
    String digest = digestOf(v);
    assertThat(world.manifestDigest(repository.substring(repository.indexOf('/') + 1), tag))
        .as("the registry's Docker-Content-Digest for %s", image).isEqualTo(digest);
    assertThat(executionOf(v).result()).hasValueSatisfying(r -> assertThat(r.digest()).contains(digest));

    // the base's python3: in the image, python3 on PATH is the venv's
    ExternalCommand.Result pipList = world.builder().run(image, "/usr/bin/python3", "-m", "pip", "--python",
        "/opt/venv/bin/python", "--no-cache-dir", "--disable-pip-version-check", "list", "--format=freeze");
    assertThat(pipList.exitCode()).as(pipList.output()).isZero();
    assertThat(pipList.stdout().lines().filter(l -> !l.isBlank()).toList())
        .as("pip list of /opt/venv in %s: the plan and nothing else (no pip, no setuptools)", image)
        .containsExactlyInAnyOrder(expected);
    ExternalCommand.Result plan = world.builder().run(image, "cat", "/usr/share/envforge/packages.txt");
    // each line is a pin, with "  # requested" after the packages the project asks for itself
    assertThat(plan.stdout().lines().map(l -> l.replaceFirst("\\s+# requested$", "")).collect(Collectors.toSet()))
        .as("envforge's plan in the image")
        .containsExactlyInAnyOrder(expected);
    assertThat(v.getPackages()).isEqualTo(expected.length);
    VenvReport report = assertBytecodeValid(image, Arrays.stream(expected).map(p -> p.substring(0, p.indexOf("==")))
        .toList());
    assertThat(report.distributions()).as("importlib.metadata of /opt/venv in %s", image)
        .containsExactlyInAnyOrder(expected);
  }

  /**
   * What {@code check-venv.py} found in the image's venv, run by the venv's Python as the image's user.
   *
   * @param prefix the interpreter's {@code sys.prefix}
   * @param distributions installed distributions as {@code name==version}, names normalised
   * @param sources Python source files in site-packages
   * @param pycs bytecode files under the venv
   * @param problems source files without bytecode, bytecode that is not checked-hash or does not match its source
   * @param leftAsSource source files without bytecode because Python cannot compile them
   * @param importExitCode exit code of the verbose import of the plan's modules
   * @param importedFromVenv the files the import system took each venv module's code object from
   * @param importRejections the import system's reasons for rejecting bytecode (stale, hash mismatch, bad magic)
   */
  record VenvReport(String prefix, List<String> distributions, int sources, int pycs, List<String> problems,
      List<String> leftAsSource, int importExitCode,
      List<String> importedFromVenv, List<String> importRejections) {}

  /**
   * Every source file in the venv's site-packages has checked-hash bytecode that matches it, every bytecode file
   * has its source, and importing the modules takes every venv module's code from its {@code .pyc} with nothing
   * rejected; all judged by the image's own Python, as the image's user, with the image's environment (which keeps
   * Python from writing bytecode), so nothing can be recompiled behind the check's back.
   */
  static VenvReport assertBytecodeValid(String image, List<String> modules) {
    List<String> command = new ArrayList<>(List.of("/opt/venv/bin/python", "-c", CHECK_VENV));
    command.addAll(modules);
    ExternalCommand.Result run = world.builder().run(image, command.toArray(String[]::new));
    assertThat(run.exitCode()).as(run.output()).isZero();
    VenvReport report;
    try {
      report = JSON.readValue(run.stdout().trim(), VenvReport.class);
    } catch (java.io.IOException e) {
      throw new AssertionError("check-venv.py printed no report: " + run.output(), e);
    }
    assertThat(report.prefix()).isEqualTo(BuildContextRenderer.VENV);
    assertThat(report.problems()).as("bytecode problems in %s", image).isEmpty();
    assertThat(report.sources()).as("source files in site-packages").isPositive();
    assertThat(report.leftAsSource()).as("test packages Python cannot compile").isEmpty();
    assertThat(report.pycs()).as("one .pyc per source file, no others").isEqualTo(report.sources());
    assertThat(report.importExitCode()).isZero();
    assertThat(report.importRejections()).as("bytecode the import system rejected").isEmpty();
    assertThat(report.importedFromVenv()).as("code objects of the imported venv modules")
        .hasSizeGreaterThanOrEqualTo(modules.size()).allMatch(path -> path.endsWith(".pyc"));
    return report;
  }

  private static VariantStatus variant(PythonEnvironment pe, String name) {
    return pe.getStatus().getVariants().stream().filter(v -> v.getName().equals(name)).findFirst().orElseThrow();
  }

  /** The image the status names ({@code repo:tag@digest}), pulled from the registry by its digest. */
  private static String imageOf(PythonEnvironment pe, String variant) {
    String image = variant(pe, variant).getImage();
    String byDigest = image.substring(0, image.lastIndexOf(':', image.indexOf('@'))) + image.substring(
        image.indexOf('@'));
    world.builder().pull(byDigest);
    return byDigest;
  }

  private static String digestOf(VariantStatus v) {
    return v.getImage().substring(v.getImage().indexOf('@') + 1);
  }

  /** The executor's run that pushed this variant's tag. */
  private static KanikoJobExecutor.Execution executionOf(VariantStatus v) {
    String tagged = v.getImage().substring(0, v.getImage().indexOf('@'));
    return world.executor().executions().stream().filter(e -> e.destination().equals(tagged) && e.succeeded())
        .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no build pushed " + tagged));
  }

  private static List<Job> builtJobs(String namespace) {
    return world.client().batch().v1().jobs().inNamespace(namespace).list().getItems();
  }

  private static List<String> jobUids() {
    return world.client().batch().v1().jobs().inAnyNamespace().list().getItems().stream()
        .map(j -> j.getMetadata().getUid()).sorted().toList();
  }

  private static int statusWithoutLogin(java.net.URI uri) {
    try {
      return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(uri)
          .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
          java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String resource(String name) {
    try (java.io.InputStream in = RealBuildIT.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static double seconds(Duration duration) {
    return duration.toMillis() / 1000.0;
  }

  private static void report(String format, Object... args) {
    System.out.println("[e2e] " + String.format(format, args));
  }
}
