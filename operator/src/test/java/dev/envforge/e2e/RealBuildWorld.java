package dev.envforge.e2e;

import dev.envforge.api.v1alpha1.EnvforgeApi.Conditions;
import dev.envforge.api.v1alpha1.ImageTarget;
import dev.envforge.api.v1alpha1.InlineSource;
import dev.envforge.api.v1alpha1.Installer;
import dev.envforge.api.v1alpha1.LockSource;
import dev.envforge.api.v1alpha1.PythonEnvironment;
import dev.envforge.api.v1alpha1.BuilderMode;
import dev.envforge.api.v1alpha1.BuilderSpec;
import dev.envforge.api.v1alpha1.PythonEnvironmentSpec;
import dev.envforge.api.v1alpha1.SecretReference;
import dev.envforge.api.v1alpha1.Variant;
import dev.envforge.operator.EnvforgeOperator;
import dev.envforge.operator.OperatorSettings;
import dev.envforge.testing.RegistryServer;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Everything a real build of envforge's recipe needs on one machine: a registry with the local Python base image, a
 * package index with the test wheels (and a second one behind basic auth), buildah, a mock Kubernetes API server
 * with the envforge CRD, the envforge operator, and a {@link KanikoJobExecutor} that runs the build Jobs the
 * operator creates. Tests and benchmarks apply PythonEnvironments and look at the images that come out.
 */
public final class RealBuildWorld implements AutoCloseable {
  /** The CPython of the base image, which the resources name as spec.python. */
  public static final String PYTHON = "3.11.2";
  public static final String INDEX_USER = "builder";
  public static final String PUSH_USER = "pusher";

  public final TestWheels wheels = TestWheels.create();
  private RegistryServer registry;
  private RegistryServer loginRegistry;
  private final String pushPassword = "push-" + java.util.UUID.randomUUID();
  private LocalPythonBaseImage base;
  private String baseReference;
  private String baseDigest;
  private LocalPackageIndex index;
  private LocalPackageIndex privateIndex;
  /** A new password every run, so that finding it anywhere means it leaked in this run. */
  private final String indexPassword = "pw-" + java.util.UUID.randomUUID();
  private BuildahBuilder builder;
  private final KubernetesCrudDispatcher apiObjects = new KubernetesCrudDispatcher();
  private KubernetesMockServer apiServer;
  private KubernetesClient client;
  private KubernetesClient operatorClient;
  private KubernetesClient executorClient;
  private EnvforgeOperator operator;
  private KanikoJobExecutor executor;

  private RealBuildWorld() {}

  /**
   * Debian's setuptools and wheel wheels, which pip fetches from the index to build an sdist (build isolation);
   * none where the packages are not installed.
   */
  static List<TestWheels.Distribution> buildBackend() {
    Path folder = Path.of("/usr/share/python-wheels");
    List<TestWheels.Distribution> files = new java.util.ArrayList<>();
    for (String project : List.of("setuptools", "wheel")) {
      try (var found = java.nio.file.Files.list(folder)) {
        for (Path wheel : found.filter(f -> f.getFileName().toString().startsWith(project + "-")
            && f.getFileName().toString().endsWith(".whl")).toList()) {
          String name = wheel.getFileName().toString();
          files.add(new TestWheels.Distribution(project, name.split("-")[1], name,
              java.nio.file.Files.readAllBytes(wheel)));
        }
      } catch (java.io.IOException e) {
        return List.of();
      }
    }
    return files;
  }

  private void startAll(Path work, KanikoJobExecutor.Storage storage) {
    registry = RegistryServer.start();
    base = LocalPythonBaseImage.prepare();
    baseDigest = base.pushTo(registry.hostPort());
    baseReference = base.reference(registry.hostPort());
    loginRegistry = RegistryServer.start(loginRegistryOptions(pushPassword));
    base.pushTo(loginRegistry.hostPort(), Optional.of(PUSH_USER + ":" + pushPassword));
    List<TestWheels.Distribution> served = new java.util.ArrayList<>(wheels.servedFiles());
    served.addAll(buildBackend());
    index = LocalPackageIndex.start(served);
    privateIndex = LocalPackageIndex.start(wheels.servedFiles(),
        Optional.of(new LocalPackageIndex.Credentials(INDEX_USER, indexPassword)));
    Path inspection = work.resolve("inspection");
    builder = BuildahBuilder.create(inspection, BuildahBuilder.StorageDriver.forDirectory(inspection));
    apiServer = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(),
        new io.fabric8.mockwebserver.MockWebServer(), new HashMap<>(), apiObjects, false);
    apiServer.init();
    client = apiServer.createClient();
    installCrd();
    operatorClient = apiServer.createClient();
    operator = EnvforgeOperator.start(operatorClient, OperatorSettings.defaults(), new SimpleMeterRegistry(), null,
        Clock.systemUTC());
    executorClient = apiServer.createClient();
    executor = KanikoJobExecutor.start(executorClient, storage, work.resolve("pods"));
  }

  /**
   * Starts everything, keeping its files in the folder; what started is stopped again when a part fails.
   *
   * @param storage whether every build Pod starts with empty image storage (as in a cluster) or all share one
   */
  public static RealBuildWorld start(Path work, KanikoJobExecutor.Storage storage) {
    RealBuildWorld world = new RealBuildWorld();
    try {
      world.startAll(work, storage);
      return world;
    } catch (RuntimeException | Error e) {
      world.close();
      throw e;
    }
  }

  public RegistryServer registry() {
    return registry;
  }

  /** A second registry that demands a Basic login ({@value #PUSH_USER}, {@link #pushPassword()}), with the base. */
  public RegistryServer loginRegistry() {
    return loginRegistry;
  }

  public String pushPassword() {
    return pushPassword;
  }

  private static RegistryServer.Options loginRegistryOptions(String password) {
    return RegistryServer.Options.plain().withBasicAuth(PUSH_USER, password);
  }

  public LocalPythonBaseImage base() {
    return base;
  }

  /** {@code 127.0.0.1:PORT/envforge-e2e/python:3.11}, the resources' spec.baseImage. */
  public String baseReference() {
    return baseReference;
  }

  public String baseDigest() {
    return baseDigest;
  }

  public LocalPackageIndex index() {
    return index;
  }

  /** An index serving the same files that demands basic auth ({@value #INDEX_USER}, {@link #indexPassword()}). */
  public LocalPackageIndex privateIndex() {
    return privateIndex;
  }

  public String indexPassword() {
    return indexPassword;
  }

  /**
   * A buildah storage of its own for looking at images: pulled from the registry by digest, never the storage the
   * builds ran in.
   */
  public BuildahBuilder builder() {
    return builder;
  }

  public KubernetesClient client() {
    return client;
  }

  public KanikoJobExecutor executor() {
    return executor;
  }

  /** Why real builds cannot run on this machine, or empty when they can. */
  public static Optional<String> unavailableReason() {
    return LocalPythonBaseImage.missingPrerequisites()
        .or(() -> RegistryServer.unavailableReason(loginRegistryOptions("any")))
        .map(reason -> "real image builds skipped: " + reason);
  }

  /** Which lock format a test project is written in. */
  public enum Project { POETRY, UV }

  /** The pyproject.toml and lock of a test project locked against an index. */
  public record ProjectFiles(String pyproject, String lock) {}

  public ProjectFiles project(Project format, URI simpleUrl, LockedTestProjects.Options options) {
    return format == Project.POETRY
        ? new ProjectFiles(LockedTestProjects.poetryPyproject(simpleUrl, options),
            LockedTestProjects.poetryLock(wheels, simpleUrl, options))
        : new ProjectFiles(LockedTestProjects.uvPyproject(simpleUrl, options),
            LockedTestProjects.uvLock(wheels, simpleUrl, options));
  }

  /** {@code 127.0.0.1:PORT/<path>} in the test registry. */
  public String repository(String path) {
    return registry.hostPort() + "/" + path;
  }

  /** A resource like {@link #environment}, pushing to (and building on the base in) the login registry. */
  public PythonEnvironment environmentInLoginRegistry(String namespace, String name, ProjectFiles project,
      String repository, String pushSecret, Variant... variants) {
    PythonEnvironment pe = environment(namespace, name, project, repository, variants);
    pe.getSpec().getImage().setRepository(loginRegistry.hostPort() + "/" + repository);
    pe.getSpec().setBaseImage(base.reference(loginRegistry.hostPort()));
    SecretReference ref = new SecretReference();
    ref.setName(pushSecret);
    pe.getSpec().getImage().setPushSecretRef(ref);
    return pe;
  }

  /**
   * A resource building the project into a repository of the test registry, on the local base image, with pip
   * (uv cannot be installed on a machine without PyPI).
   */
  public PythonEnvironment environment(String namespace, String name, ProjectFiles project, String repository,
      Variant... variants) {
    PythonEnvironment pe = new PythonEnvironment();
    pe.getMetadata().setNamespace(namespace);
    pe.getMetadata().setName(name);
    PythonEnvironmentSpec spec = new PythonEnvironmentSpec();
    LockSource source = new LockSource();
    InlineSource inline = new InlineSource();
    inline.setPyproject(project.pyproject());
    inline.setLock(project.lock());
    source.setInline(inline);
    spec.setSource(source);
    ImageTarget image = new ImageTarget(repository(repository));
    image.setInsecure(true);
    spec.setImage(image);
    spec.setBaseImage(baseReference);
    spec.setPython(PYTHON);
    spec.setInstaller(Installer.PIP);
    // the executor runs Kaniko Jobs; a test of the fallback sets the mode back to auto
    BuilderSpec builder = new BuilderSpec();
    builder.setMode(BuilderMode.KANIKO);
    spec.setBuilder(builder);
    spec.setVariants(variants.length == 0 ? PythonEnvironmentSpec.defaultVariants() : List.of(variants));
    pe.setSpec(spec);
    return pe;
  }

  public PythonEnvironment apply(PythonEnvironment pe) {
    return client.resource(pe).createOr(existing -> existing.update());
  }

  public PythonEnvironment get(String namespace, String name) {
    return client.resources(PythonEnvironment.class).inNamespace(namespace).withName(name).get();
  }

  /** Edits the resource, again on a fresh copy when the operator's status write came first (409). */
  public PythonEnvironment edit(String namespace, String name, UnaryOperator<PythonEnvironment> edit) {
    for (int attempt = 1; ; attempt++) {
      try {
        return client.resources(PythonEnvironment.class).inNamespace(namespace).withName(name).edit(edit);
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 5) {
          throw e;
        }
      }
    }
  }

  /**
   * Waits until the resource's status answers its current generation and the condition has the status (and the
   * reason, when given); fails with the resource's status and the executor's problems when it does not in time.
   */
  public PythonEnvironment awaitCondition(String namespace, String name, String type, String status, String reason,
      Duration timeout) {
    Predicate<PythonEnvironment> done = pe -> pe != null && pe.getStatus() != null
        && pe.getStatus().getObservedGeneration() != null
        && pe.getStatus().getObservedGeneration().equals(pe.getMetadata().getGeneration())
        && pe.getStatus().condition(type).filter(c -> status.equals(c.getStatus())
            && (reason == null || reason.equals(c.getReason()))).isPresent();
    long deadline = System.nanoTime() + timeout.toNanos();
    PythonEnvironment pe = get(namespace, name);
    // a resource that failed will not become Ready without a spec change: say so at once
    Predicate<PythonEnvironment> failedInstead = p -> !type.equals(Conditions.FAILED) && p != null
        && p.getStatus() != null && p.getMetadata().getGeneration().equals(p.getStatus().getObservedGeneration())
        && p.getStatus().condition(Conditions.FAILED).filter(c -> "True".equals(c.getStatus())).isPresent();
    while (!done.test(pe)) {
      if (System.nanoTime() > deadline || failedInstead.test(pe)) {
        throw new AssertionError("no " + type + "=" + status + (reason == null ? "" : " (" + reason + ")")
            + " on " + namespace + "/" + name + " within " + timeout + "; status: "
            + (pe == null ? "no resource" : client.getKubernetesSerialization().asYaml(pe.getStatus()))
            + "\nexecutor problems: " + executor.problems());
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      pe = get(namespace, name);
    }
    return pe;
  }

  /** Waits until the resource satisfies the predicate; fails with its status when it does not in time. */
  public PythonEnvironment awaitStatus(String namespace, String name, String what, Predicate<PythonEnvironment> done,
      Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    PythonEnvironment pe = get(namespace, name);
    while (pe == null || !done.test(pe)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not " + what + " on " + namespace + "/" + name + " within " + timeout
            + "; status: " + (pe == null ? "no resource" : client.getKubernetesSerialization().asYaml(pe.getStatus()))
            + "\nexecutor problems: " + executor.problems());
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      pe = get(namespace, name);
    }
    return pe;
  }

  public Optional<Condition> condition(String namespace, String name, String type) {
    PythonEnvironment pe = get(namespace, name);
    return pe == null || pe.getStatus() == null ? Optional.empty() : pe.getStatus().condition(type);
  }

  /** The digest the registry serves for {@code repository:tag} (HEAD, all four manifest types), or null (404). */
  public String manifestDigest(String repository, String tag) {
    return manifestDigest(registry, repository, tag);
  }

  /** Like {@link #manifestDigest(String, String)}, in another registry (with its login). */
  public static String manifestDigest(RegistryServer registry, String repository, String tag) {
    HttpResponse<byte[]> response = registry.request("HEAD", "/v2/" + repository + "/manifests/" + tag,
        Map.of("Accept", String.join(", ", "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.v2+json",
            "application/vnd.docker.distribution.manifest.list.v2+json")));
    if (response.statusCode() == 404) {
      return null;
    }
    if (response.statusCode() != 200) {
      throw new IllegalStateException("HEAD " + repository + ":" + tag + " answered " + response.statusCode());
    }
    return response.headers().firstValue("Docker-Content-Digest").orElseThrow();
  }

  /** The manifest of {@code repository:reference}, as JSON text. */
  public String manifest(String repository, String reference) {
    HttpResponse<byte[]> response = registry.request("GET", "/v2/" + repository + "/manifests/" + reference,
        Map.of("Accept", String.join(", ", "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json")));
    if (response.statusCode() != 200) {
      throw new IllegalStateException("GET manifest " + repository + ":" + reference + " answered "
          + response.statusCode());
    }
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  /** Every object the API server stores, as the JSON it keeps. */
  public List<String> storedObjects() {
    return List.copyOf(apiObjects.getMap().values());
  }

  private void installCrd() {
    try (InputStream in = RealBuildWorld.class.getResourceAsStream(
        "/META-INF/fabric8/pythonenvironments.envforge.dev-v1.yml")) {
      CustomResourceDefinition crd = client.getKubernetesSerialization().unmarshal(in,
          CustomResourceDefinition.class);
      client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    // the operator first, so that nothing creates Jobs while the executor winds down
    close(operator);
    close(executor);
    close(operatorClient);
    close(executorClient);
    close(client);
    if (apiServer != null) {
      apiServer.destroy();
    }
    close(builder);
    close(privateIndex);
    close(index);
    close(loginRegistry);
    close(registry);
  }

  private static void close(AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      // the other parts still need closing
      System.err.println("[e2e] closing " + closeable.getClass().getSimpleName() + " failed: " + e);
    }
  }
}
