package dev.envforge.e2e;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the assemble build Jobs that envforge creates in a Kubernetes API server (the fabric8 mock server) the way a
 * cluster would run them, with the envforge jar in place of the envforge image: the Job controller, the kubelet and
 * the container's process.
 *
 * <p>For every new Job whose container runs {@code envforge assemble}, it:
 * <ol>
 *   <li>waits until the Pod's volumes can be mounted, then writes every mount (the project ConfigMap, the push and
 *       index Secrets, the emptyDir) into a folder standing for the Pod's root file system, with the modes the
 *       volume gives;</li>
 *   <li>runs the image's entrypoint ({@value #ENTRYPOINT_JAR} under {@code java -jar}, with the image's
 *       {@code JAVA_TOOL_OPTIONS} and {@code HOME}) with the container's args and env as a separate process; every
 *       absolute path of the Pod in them (the mount paths) is moved under the root folder, and the JVM sees the
 *       container's memory limit as its RAM, as in a container;</li>
 *   <li>reports as the cluster would: a Pod labelled {@code job-name=<job>} whose container terminated with the
 *       process's exit code (on failure with the end of its log as message, {@code FallbackToLogsOnError}; on
 *       success with the file at {@code terminationMessagePath} if the process wrote one), then the Job
 *       {@code Complete}, or {@code Failed} with {@code BackoffLimitExceeded} after {@code backoffLimit} retries.</li>
 * </ol>
 * The process's output stays in the Pod's folder and is never printed. Not reproduced: scheduling, pulling the
 * envforge image, the container runtime's start-up, the read-only root file system and the non-root user (the
 * process runs as the test's user). A Job this class cannot run as a cluster would is failed and listed in
 * {@link #problems()}.
 */
public final class AssembleJobExecutor implements AutoCloseable {
  /** The envforge image's entrypoint jar (operator/Dockerfile). */
  static final String ENTRYPOINT_JAR = "/app/envforge.jar";
  /** The envforge image's environment (operator/Dockerfile); /tmp is moved under the Pod's root like any mount. */
  static final Map<String, String> IMAGE_ENV = Map.of(
      "JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -XX:-UsePerfData"
          + " -Djava.io.tmpdir=/tmp",
      "HOME", "/tmp");
  /** JVM options added to the image's {@code JAVA_TOOL_OPTIONS}, for benchmarks that try other settings. */
  public static final String EXTRA_JAVA_OPTIONS_PROPERTY = "envforge.e2e.extraJavaToolOptions";
  static final String DEFAULT_TERMINATION_MESSAGE_PATH = "/dev/termination-log";
  static final int DEFAULT_BACKOFF_LIMIT = 6;
  /** The kubelet keeps at most this much of the log as a termination message. */
  static final int LOG_MESSAGE_LINES = 80;
  static final Duration MOUNT_TIMEOUT = Duration.ofSeconds(60);

  /**
   * One run of a build Pod.
   *
   * @param job the Job's name
   * @param attempt 1 for the Job's first Pod, 2 for its first retry
   * @param exitCode the process's exit code
   * @param seen when the Job was first seen
   * @param started when the process was started
   * @param ended when it exited
   * @param log the process's output (stdout and stderr), kept in the Pod's folder
   */
  public record Execution(String namespace, String job, int attempt, int exitCode, Instant seen, Instant started,
      Instant ended, Path log) {
    public boolean succeeded() {
      return exitCode == 0;
    }

    public Duration processTime() {
      return Duration.between(started, ended);
    }
  }

  private final KubernetesClient client;
  private final JobControllerStandIn controller;
  private final Path workDirectory;
  private final Path jar;
  private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "assemble-job-executor");
    t.setDaemon(true);
    return t;
  });
  private final Set<String> seenJobs = ConcurrentHashMap.newKeySet();
  private final List<Execution> executions = new CopyOnWriteArrayList<>();
  private final List<String> problems = new CopyOnWriteArrayList<>();
  private final AtomicInteger unfinished = new AtomicInteger();
  private final AtomicInteger pods = new AtomicInteger();
  private final SharedIndexInformer<Job> informer;

  private AssembleJobExecutor(KubernetesClient client, Path workDirectory, Path jar) {
    this.client = client;
    this.controller = new JobControllerStandIn(client);
    this.workDirectory = workDirectory;
    this.jar = jar;
    this.informer = client.batch().v1().jobs().inAnyNamespace().inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Job job) {
        submit(job);
      }

      @Override
      public void onUpdate(Job before, Job job) {
        submit(job);
      }

      @Override
      public void onDelete(Job job, boolean finalStateUnknown) {
        // a running build simply finishes
      }
    });
  }

  /**
   * Starts watching every Job of the API server.
   *
   * @param jar the envforge jar ({@code operator/target/envforge.jar}), which stands for the envforge image
   */
  public static AssembleJobExecutor start(KubernetesClient client, Path workDirectory, Path jar) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException("no envforge jar at " + jar + " (mvn -pl operator package builds it)");
    }
    try {
      return new AssembleJobExecutor(client, Files.createDirectories(workDirectory), jar);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The jar failsafe names ({@code envforge.jar}), else {@code target/envforge.jar} of the working folder. */
  public static Path defaultJar() {
    String property = System.getProperty("envforge.jar");
    return property != null && !property.isBlank() ? Path.of(property) : Path.of("target", "envforge.jar")
        .toAbsolutePath();
  }

  public List<Execution> executions() {
    return List.copyOf(executions);
  }

  /** What could not be reproduced; empty when every Job ran as a cluster would run it. */
  public List<String> problems() {
    return List.copyOf(problems);
  }

  public boolean idle() {
    return unfinished.get() == 0;
  }

  private void submit(Job job) {
    if (JobControllerStandIn.finished(job.getStatus()) || !seenJobs.add(job.getMetadata().getUid())) {
      return;
    }
    Instant seen = Instant.now();
    unfinished.incrementAndGet();
    runner.submit(() -> {
      try {
        run(job, seen);
      } catch (RuntimeException e) {
        problems.add(jobRef(job) + ": " + e);
      } finally {
        unfinished.decrementAndGet();
      }
    });
  }

  private void run(Job job, Instant seen) {
    Container container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    List<String> args = container.getArgs() == null ? List.of() : container.getArgs();
    if (container.getCommand() != null && !container.getCommand().isEmpty()
        || args.isEmpty() || !args.get(0).equals("assemble")) {
      problems.add(jobRef(job) + ": not an envforge assemble container (command " + container.getCommand()
          + ", args " + args + ")");
      controller.failJob(job, "BackoffLimitExceeded", "not run: not an envforge assemble container", 0);
      return;
    }
    PodFiles files;
    try {
      files = mountWhenReady(job, container);
    } catch (PodFiles.UnsupportedMount | PodFiles.MountNotReady e) {
      problems.add(jobRef(job) + ": " + e.getMessage());
      controller.failJob(job, "DeadlineExceeded", "Job was active longer than specified deadline", 0);
      return;
    }
    int backoffLimit = job.getSpec().getBackoffLimit() == null ? DEFAULT_BACKOFF_LIMIT
        : job.getSpec().getBackoffLimit();
    controller.markActive(job);
    for (int attempt = 1; attempt <= backoffLimit + 1; attempt++) {
      Pod pod = createPod(job);
      Path podDirectory = workDirectory.resolve(pod.getMetadata().getNamespace()).resolve(pod.getMetadata().getName());
      Instant started = Instant.now();
      int exitCode;
      Path log = podDirectory.resolve("container.log");
      Path root = podDirectory.resolve("root");
      try {
        exitCode = runContainer(container, files, root, log, job.getSpec().getActiveDeadlineSeconds() == null
            ? 3600 : job.getSpec().getActiveDeadlineSeconds());
      } catch (IllegalArgumentException e) {
        problems.add(jobRef(job) + ": " + e.getMessage());
        controller.endPod(job, pod, 1, "error: " + e.getMessage(), attempt, true);
        return;
      }
      Instant ended = Instant.now();
      executions.add(new Execution(job.getMetadata().getNamespace(), job.getMetadata().getName(), attempt,
          exitCode, seen, started, ended, log));
      boolean last = exitCode == 0 || attempt == backoffLimit + 1;
      controller.endPod(job, pod, exitCode, terminationMessage(container, root, log, exitCode), attempt, last);
      if (last) {
        return;
      }
    }
  }

  /** The container's process: the image's entrypoint with the container's args and env, paths under {@code root}. */
  private int runContainer(Container container, PodFiles files, Path root, Path log, long deadlineSeconds) {
    try {
      Files.createDirectories(root);
      List<String> podPaths = new ArrayList<>(files.mountPaths());
      for (String mount : files.mountPaths()) {
        Path target = underRoot(root, mount);
        Files.createDirectories(target);
        files.writeUnder(mount, target);
      }
      // the image's own writable and special paths
      for (String path : List.of("/tmp", "/dev")) {
        if (!podPaths.contains(path)) {
          podPaths.add(path);
          Files.createDirectories(underRoot(root, path));
        }
      }
      podPaths.sort(Comparator.comparingInt(String::length).reversed());

      Map<String, String> env = new LinkedHashMap<>();
      env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
      IMAGE_ENV.forEach((k, v) -> env.put(k, v));
      for (EnvVar v : container.getEnv() == null ? List.<EnvVar>of() : container.getEnv()) {
        if (v.getValueFrom() != null) {
          throw new IllegalArgumentException("env " + v.getName() + " from valueFrom is not reproduced");
        }
        env.put(v.getName(), v.getValue() == null ? "" : v.getValue());
      }
      env.replaceAll((k, v) -> k.equals("PATH") ? v : mapValue(v, podPaths, root));
      String extra = System.getProperty(EXTRA_JAVA_OPTIONS_PROPERTY, "");
      if (!extra.isBlank()) {
        // a benchmark's experiment with the image's JVM options, never set by tests
        env.put("JAVA_TOOL_OPTIONS", env.get("JAVA_TOOL_OPTIONS") + " " + extra.strip());
      }
      String maxRam = memoryLimitBytes(container);
      if (maxRam != null) {
        // in a container the JVM takes the cgroup's memory limit as its RAM
        env.put("JAVA_TOOL_OPTIONS", env.get("JAVA_TOOL_OPTIONS") + " -XX:MaxRAM=" + maxRam);
      }

      List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
          .toString(), "-jar", jar.toString()));
      for (String arg : container.getArgs()) {
        command.add(mapValue(arg, podPaths, root));
      }
      ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile())
          .redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().clear();
      builder.environment().putAll(env);
      Process process = builder.start();
      if (!process.waitFor(deadlineSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return 137;
      }
      return process.exitValue();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** {@code value}, or {@code --option=value}, or words separated by spaces, with Pod paths moved under root. */
  static String mapValue(String value, List<String> podPaths, Path root) {
    StringBuilder out = new StringBuilder();
    String[] words = value.split(" ", -1);
    for (int i = 0; i < words.length; i++) {
      if (i > 0) {
        out.append(' ');
      }
      String word = words[i];
      int eq = word.indexOf('=');
      String prefix = eq >= 0 && word.startsWith("-") ? word.substring(0, eq + 1) : "";
      String path = word.substring(prefix.length());
      out.append(prefix).append(mapPath(path, podPaths, root));
    }
    return out.toString();
  }

  private static String mapPath(String path, List<String> podPaths, Path root) {
    for (String podPath : podPaths) {
      if (path.equals(podPath) || path.startsWith(podPath + "/")) {
        return underRoot(root, path).toString();
      }
    }
    return path;
  }

  private static Path underRoot(Path root, String podPath) {
    Path target = root.resolve(podPath.substring(1)).normalize();
    if (!target.startsWith(root)) {
      throw new IllegalArgumentException("a Pod path leaves the root: " + podPath);
    }
    return target;
  }

  private static String memoryLimitBytes(Container container) {
    if (container.getResources() == null || container.getResources().getLimits() == null) {
      return null;
    }
    Quantity memory = container.getResources().getLimits().get("memory");
    return memory == null ? null : Quantity.getAmountInBytes(memory).toBigInteger().toString();
  }

  /** What the kubelet writes as the terminated state's message. */
  private static String terminationMessage(Container container, Path root, Path log, int exitCode) {
    String path = container.getTerminationMessagePath() == null ? DEFAULT_TERMINATION_MESSAGE_PATH
        : container.getTerminationMessagePath();
    try {
      Path written = underRoot(root, path);
      if (Files.isRegularFile(written) && Files.size(written) > 0) {
        return Files.readString(written, StandardCharsets.UTF_8);
      }
      if (exitCode != 0 && "FallbackToLogsOnError".equals(container.getTerminationMessagePolicy())) {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_MESSAGE_LINES),
            lines.size()));
        return tail.length() > 2048 ? tail.substring(tail.length() - 2048) : tail;
      }
      return "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private PodFiles mountWhenReady(Job job, Container container) {
    String namespace = job.getMetadata().getNamespace();
    long deadline = System.nanoTime() + MOUNT_TIMEOUT.toNanos();
    while (true) {
      try {
        return PodFiles.project(job.getSpec().getTemplate().getSpec(), container,
            name -> client.configMaps().inNamespace(namespace).withName(name).get(),
            name -> client.secrets().inNamespace(namespace).withName(name).get());
      } catch (PodFiles.MountNotReady e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        sleep(Duration.ofMillis(20));
      }
    }
  }

  private Pod createPod(Job job) {
    return controller.createPod(job, job.getMetadata().getName() + "-" + pods.incrementAndGet(),
        JobControllerStandIn.running(), "Running");
  }

  /** Waits until every Job seen so far has finished, or the time is up. */
  public boolean awaitIdle(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!idle()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      sleep(Duration.ofMillis(50));
    }
    return true;
  }

  @Override
  public void close() {
    informer.close();
    runner.shutdown();
    try {
      if (!runner.awaitTermination(5, TimeUnit.MINUTES)) {
        runner.shutdownNow();
      }
    } catch (InterruptedException e) {
      runner.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private static String jobRef(Job job) {
    return "Job " + job.getMetadata().getNamespace() + "/" + job.getMetadata().getName();
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
