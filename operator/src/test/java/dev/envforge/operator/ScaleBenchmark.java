package dev.envforge.operator;

import dev.envforge.api.v1alpha1.ConfigMapSource;
import dev.envforge.api.v1alpha1.ImageTarget;
import dev.envforge.api.v1alpha1.LockSource;
import dev.envforge.api.v1alpha1.PythonEnvironment;
import dev.envforge.api.v1alpha1.PythonEnvironmentSpec;
import dev.envforge.core.lock.ProjectFiles;
import dev.envforge.core.plan.Selection;
import dev.envforge.core.planner.EnvironmentPlanner;
import dev.envforge.core.planner.PlanningRequest;
import dev.envforge.core.planner.VariantRequest;
import dev.envforge.testing.RegistryProxy;
import dev.envforge.testing.RegistryServer;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * 1,000 PythonEnvironments over 200 distinct Poetry locks, all images already in a real registry: how long until
 * every resource is Ready, how many registry requests that takes, and the peak heap. A benchmark, not a test.
 *
 * <p>Run: {@code mvn -B -q -pl operator test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.envforge.operator.ScaleBenchmark [-Dexec.args="1000 200"]}
 */
public final class ScaleBenchmark {
  /** Held so the setting sticks: the mock server logs every request at INFO otherwise. */
  private static final java.util.logging.Logger MOCK_SERVER_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  private ScaleBenchmark() {}

  public static void main(String[] args) throws Exception {
    MOCK_SERVER_LOG.setLevel(java.util.logging.Level.OFF);
    int resources = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int locks = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    String pyproject = OperatorHarness.resource("corpus/poetry-python-poetry-poetry/pyproject.toml");
    String lock = OperatorHarness.resource("corpus/poetry-python-poetry-poetry/poetry.lock");
    String keyring = "name = \"keyring\"\nversion = \"25.7.0\"";
    if (!lock.contains(keyring)) {
      throw new IllegalStateException("the corpus lock changed");
    }
    try (RegistryServer registry = RegistryServer.start();
        RegistryProxy proxy = RegistryProxy.inFrontOf(registry);
        OperatorHarness k8s = new OperatorHarness()) {
      String repository = proxy.hostPort() + "/scale/env";
      long pushStart = System.nanoTime();
      List<String> lockTexts = new ArrayList<>();
      for (int i = 0; i < locks; i++) {
        // a different keyring version per lock: 200 distinct install plans
        String text = lock.replace(keyring, "name = \"keyring\"\nversion = \"25.7." + (1000 + i) + "\"");
        lockTexts.add(text);
        String tag = EnvironmentPlanner.plan(ProjectFiles.of(Map.of("pyproject.toml", pyproject, "poetry.lock", text),
            ""), PlanningRequest.DEFAULTS, new VariantRequest("default", Selection.MAIN)).hash().tag();
        registry.pushRandomImage("scale/env", tag);
        k8s.client.configMaps().inNamespace(namespace(i)).resource(new ConfigMapBuilder()
            .withNewMetadata().withName("lock-" + i).withNamespace(namespace(i)).endMetadata()
            .withData(Map.of("pyproject.toml", pyproject, "poetry.lock", text)).build()).create();
      }
      System.out.printf("prepared %d locks, images and ConfigMaps in %.1f s%n", locks,
          (System.nanoTime() - pushStart) / 1e9);
      proxy.clearRequests();
      resetPeakHeap();
      k8s.start(OperatorSettings.defaults(), null);

      long start = System.nanoTime();
      for (int r = 0; r < resources; r++) {
        int l = r % locks;
        k8s.client.resource(environment(namespace(l), "env-" + r, "lock-" + l, repository)).create();
      }
      double created = (System.nanoTime() - start) / 1e9;
      long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
      int ready = 0;
      while (System.nanoTime() < deadline) {
        ready = (int) k8s.client.resources(PythonEnvironment.class).inAnyNamespace().list().getItems().stream()
            .filter(pe -> pe.getStatus() != null && pe.getStatus().condition("Ready")
                .filter(c -> "True".equals(c.getStatus())).isPresent())
            .count();
        if (ready == resources) {
          break;
        }
        Thread.sleep(100);
      }
      double total = (System.nanoTime() - start) / 1e9;
      System.out.printf("created %d resources in %.1f s; %d/%d Ready after %.1f s%n", resources, created, ready,
          resources, total);
      System.out.printf("registry requests: %d (HEAD %d, GET %d) for %d distinct tags%n", proxy.requests().size(),
          proxy.count("HEAD"), proxy.count("GET"), locks);
      System.out.printf("peak heap: %.0f MiB (includes the in-process mock API server and its %d objects)%n",
          peakHeapBytes() / 1048576.0, resources + locks);
      System.out.printf("jobs created: %d%n", k8s.jobs().size());
    }
    System.exit(0);
  }

  static String namespace(int lockIndex) {
    return "ns-" + (lockIndex % 3);
  }

  static PythonEnvironment environment(String namespace, String name, String configMap, String repository) {
    PythonEnvironment pe = new PythonEnvironment();
    pe.getMetadata().setNamespace(namespace);
    pe.getMetadata().setName(name);
    PythonEnvironmentSpec spec = new PythonEnvironmentSpec();
    LockSource source = new LockSource();
    source.setConfigMapRef(new ConfigMapSource(configMap));
    spec.setSource(source);
    ImageTarget image = new ImageTarget(repository);
    image.setInsecure(true);
    spec.setImage(image);
    pe.setSpec(spec);
    return pe;
  }

  static void resetPeakHeap() {
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
  }

  static long peakHeapBytes() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }
}
