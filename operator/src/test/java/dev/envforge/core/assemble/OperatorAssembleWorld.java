package dev.envforge.core.assemble;

import dev.envforge.api.v1alpha1.BuilderMode;
import dev.envforge.api.v1alpha1.BuilderSpec;
import dev.envforge.api.v1alpha1.EnvforgeApi.Conditions;
import dev.envforge.api.v1alpha1.ImageTarget;
import dev.envforge.api.v1alpha1.IndexMirror;
import dev.envforge.api.v1alpha1.InlineSource;
import dev.envforge.api.v1alpha1.LockSource;
import dev.envforge.api.v1alpha1.PythonEnvironment;
import dev.envforge.api.v1alpha1.PythonEnvironmentSpec;
import dev.envforge.e2e.AssembleJobExecutor;
import dev.envforge.operator.EnvforgeOperator;
import dev.envforge.operator.OperatorSettings;
import dev.envforge.testing.RegistryServer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * The operator with builder mode {@code assemble}, for real short of a cluster: a mock API server (CRUD) with the
 * envforge CRD, the operator started on it, an {@link AssembleJobExecutor} that runs the build Jobs with the envforge
 * jar as a separate process, a docker-registry on loopback with a Debian-shaped base image, and a local package index
 * that the resources name as the mirror of their lock's index ({@code spec.builder.indexMirrors}).
 */
public final class OperatorAssembleWorld implements AutoCloseable {
  /** The base image's CPython, the resources' spec.python. */
  public static final String PYTHON = "3.11.2";
  public static final String PUSH_USER = "pusher";
  public static final String PUSH_SECRET = "push-credentials";

  private AssembleFixture fixture;
  private Path wheels;
  private final KubernetesCrudDispatcher apiObjects = new KubernetesCrudDispatcher();
  private KubernetesMockServer apiServer;
  private KubernetesClient client;
  private KubernetesClient operatorClient;
  private KubernetesClient executorClient;
  private EnvforgeOperator operator;
  private AssembleJobExecutor executor;

  private OperatorAssembleWorld() {}

  private void startAll(Path work, Path jar, RegistryServer.Options registryOptions) throws Exception {
    fixture = AssembleFixture.start(work, registryOptions);
    wheels = Files.createDirectories(work.resolve("wheels"));
    apiServer = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(),
        new io.fabric8.mockwebserver.MockWebServer(), new HashMap<>(), apiObjects, false);
    apiServer.init();
    client = apiServer.createClient();
    installCrd();
    operatorClient = apiServer.createClient();
    operator = EnvforgeOperator.start(operatorClient, OperatorSettings.defaults(), new SimpleMeterRegistry(), null,
        Clock.systemUTC());
    executorClient = apiServer.createClient();
    executor = AssembleJobExecutor.start(executorClient, work.resolve("pods"), jar);
  }

  /** Why it cannot run here (no docker-registry, no envforge jar), or null. */
  public static String unavailableReason(Path jar) {
    String registry = AssembleFixture.unavailableReason();
    if (registry != null) {
      return registry;
    }
    return Files.isRegularFile(jar) ? null : "no envforge jar at " + jar + " (mvn -pl operator package)";
  }

  /** Starts everything, keeping its files under {@code work}; what started is stopped again when a part fails. */
  public static OperatorAssembleWorld start(Path work, Path jar) throws Exception {
    return start(work, jar, RegistryServer.Options.plain());
  }

  /**
   * The same with a registry that demands a Basic login ({@value #PUSH_USER} and a new password every run): every
   * resource names a push Secret ({@value #PUSH_SECRET}) with it, which {@link #apply} creates.
   */
  public static OperatorAssembleWorld startWithLogin(Path work, Path jar) throws Exception {
    return start(work, jar, RegistryServer.Options.plain().withBasicAuth(PUSH_USER,
        "push-" + java.util.UUID.randomUUID()));
  }

  private static OperatorAssembleWorld start(Path work, Path jar, RegistryServer.Options options) throws Exception {
    OperatorAssembleWorld world = new OperatorAssembleWorld();
    try {
      world.startAll(work, jar, options);
      return world;
    } catch (Exception | Error e) {
      world.close();
      throw e;
    }
  }

  public KubernetesClient client() {
    return client;
  }

  public AssembleJobExecutor executor() {
    return executor;
  }

  public RegistryServer registry() {
    return fixture.registry;
  }

  /** Writes {@code count} small wheels ({@code <prefix>0..}) and serves them from the index; returns their files. */
  public List<String> smallWheels(String prefix, int count, String version) throws IOException {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      names.add(fixture.serve(JavaWheels.small(wheels, prefix + i, version, prefix + i + "-" + version)));
    }
    return names;
  }

  /** A pylock.toml naming the wheels at the lock's index ({@value AssembleFixture#LOCK_INDEX}). */
  public String lock(String name, List<String> wheelNames) throws IOException {
    return Files.readString(fixture.project(name, wheelNames).resolve("pylock.toml"));
  }

  /**
   * A resource in builder mode assemble pushing to {@code repository} of the registry, on the registry's base image,
   * with layers cached in {@code cacheRepository} of the same registry and wheels from the local index, the mirror of
   * the lock's index.
   */
  public PythonEnvironment environment(String namespace, String name, String lock, String repository,
      String cacheRepository) {
    PythonEnvironment pe = new PythonEnvironment();
    pe.getMetadata().setNamespace(namespace);
    pe.getMetadata().setName(name);
    PythonEnvironmentSpec spec = new PythonEnvironmentSpec();
    LockSource source = new LockSource();
    InlineSource inline = new InlineSource();
    inline.setLock(lock);
    source.setInline(inline);
    spec.setSource(source);
    ImageTarget image = new ImageTarget(fixture.registry.hostPort() + "/" + repository);
    image.setInsecure(true);
    if (fixture.registry.options().basicAuth()) {
      dev.envforge.api.v1alpha1.SecretReference secret = new dev.envforge.api.v1alpha1.SecretReference();
      secret.setName(PUSH_SECRET);
      image.setPushSecretRef(secret);
    }
    spec.setImage(image);
    spec.setBaseImage(fixture.registry.hostPort() + "/base/python:3.11");
    spec.setPython(PYTHON);
    BuilderSpec builder = new BuilderSpec();
    builder.setMode(BuilderMode.ASSEMBLE);
    builder.setCacheRepository(fixture.registry.hostPort() + "/" + cacheRepository);
    builder.setIndexMirrors(List.of(new IndexMirror(AssembleFixture.LOCK_INDEX, fixture.indexUrl())));
    spec.setBuilder(builder);
    spec.setVariants(PythonEnvironmentSpec.defaultVariants());
    pe.setSpec(spec);
    return pe;
  }

  /** Creates the resource, and first its namespace's push Secret when the registry demands a login. */
  public PythonEnvironment apply(PythonEnvironment pe) {
    String namespace = pe.getMetadata().getNamespace();
    if (fixture.registry.options().basicAuth()
        && client.secrets().inNamespace(namespace).withName(PUSH_SECRET).get() == null) {
      client.secrets().inNamespace(namespace).resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
          .withNewMetadata().withName(PUSH_SECRET).withNamespace(namespace).endMetadata()
          .withType("kubernetes.io/dockerconfigjson")
          .withData(java.util.Map.of(".dockerconfigjson", java.util.Base64.getEncoder().encodeToString(
              fixture.registry.dockerConfigJson().getBytes(java.nio.charset.StandardCharsets.UTF_8))))
          .build()).create();
    }
    return client.resource(pe).create();
  }

  /** Every object the API server stores, as the JSON it keeps. */
  public List<String> storedObjects() {
    return List.copyOf(apiObjects.getMap().values());
  }

  public PythonEnvironment get(String namespace, String name) {
    return client.resources(PythonEnvironment.class).inNamespace(namespace).withName(name).get();
  }

  /**
   * Waits until the resource's status answers its generation with Ready=True; fails at once with its status and the
   * executor's problems when it is Failed instead, or when the time is up.
   */
  public PythonEnvironment awaitReady(String namespace, String name, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      PythonEnvironment pe = get(namespace, name);
      boolean current = pe != null && pe.getStatus() != null && pe.getStatus().getObservedGeneration() != null
          && pe.getStatus().getObservedGeneration().equals(pe.getMetadata().getGeneration());
      if (current && pe.getStatus().condition(Conditions.READY).filter(c -> "True".equals(c.getStatus()))
          .isPresent()) {
        return pe;
      }
      boolean failed = current && pe.getStatus().condition(Conditions.FAILED)
          .filter(c -> "True".equals(c.getStatus())).isPresent();
      if (failed || System.nanoTime() > deadline) {
        throw new AssertionError("no Ready=True on " + namespace + "/" + name + " within " + timeout
            + "; status: " + (pe == null ? "no resource" : client.getKubernetesSerialization().asYaml(
                pe.getStatus())) + "\nexecutor problems: " + executor.problems() + "\nruns: "
            + executor.executions());
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** The digest the registry serves for {@code repository:tag}, or null. */
  public String manifestDigest(String repository, String tag) {
    return dev.envforge.e2e.RealBuildWorld.manifestDigest(fixture.registry, repository, tag);
  }

  private void installCrd() {
    try (InputStream in = OperatorAssembleWorld.class.getResourceAsStream(
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
    for (AutoCloseable part : new AutoCloseable[] {operator, executor, operatorClient, executorClient, client}) {
      try {
        if (part != null) {
          part.close();
        }
      } catch (Exception e) {
        System.err.println("closing " + part.getClass().getSimpleName() + " failed: " + e);
      }
    }
    if (apiServer != null) {
      apiServer.destroy();
    }
    if (fixture != null) {
      fixture.close();
    }
  }
}
