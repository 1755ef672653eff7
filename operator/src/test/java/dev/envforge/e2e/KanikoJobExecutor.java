package dev.envforge.e2e;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the build Jobs that envforge creates in a Kubernetes API server (the fabric8 mock server in tests) the way a
 * cluster runs them: the Job controller, the kubelet and the Kaniko container, with buildah doing Kaniko's work.
 *
 * <p>For every new Job it:
 * <ol>
 *   <li>waits until the Pod's volumes can be mounted (as the kubelet waits for a missing ConfigMap or Secret), then
 *       projects the container's ConfigMap and Secret mounts into files ({@link PodFiles});</li>
 *   <li>reads Kaniko's arguments ({@link KanikoInvocation}): the context folder becomes buildah's context, the
 *       Dockerfile, the destination, plain HTTP for the registries named by {@code --insecure-registry},
 *       {@code --reproducible} as a fixed timestamp, {@code --custom-platform} as buildah's platform; every other
 *       mounted folder (the package-index Secret at {@code /run/secrets/envforge}) is mounted read-only into the
 *       build's RUN instructions at the same path, as Kaniko's RUN sees the Pod's file system; a docker config at
 *       {@code $DOCKER_CONFIG/config.json} (default {@code /kaniko/.docker}) becomes buildah's auth file;</li>
 *   <li>builds and pushes with {@link BuildahBuilder}, by default in image storage of the Pod's own that starts
 *       empty (so the base image is pulled from its registry every time, as by a Kaniko Pod);</li>
 *   <li>reports as the cluster would: a Pod labelled {@code job-name=<job>} whose build container terminated with
 *       exit code 0 and the digest as message (Kaniko's {@code --digest-file=/dev/termination-log}), then the Job
 *       {@code Complete}; on failure exit code 1 and the end of Kaniko's log as message ({@code
 *       FallbackToLogsOnError}, see {@link KanikoLog}), a new Pod per retry up to {@code backoffLimit}, then the Job
 *       {@code Failed} with reason {@code BackoffLimitExceeded}.</li>
 * </ol>
 * Builds run one at a time, in the order the Jobs appear. What cannot be reproduced (an unknown Kaniko flag, another
 * volume type, a platform other than this machine's) fails the build and is listed in {@link #problems()}, so a
 * test can tell an emulation gap from a product failure.
 */
public final class KanikoJobExecutor implements AutoCloseable {
  /** How long a Pod waits for its ConfigMaps and Secrets before the build counts as failed. */
  static final Duration MOUNT_TIMEOUT = Duration.ofSeconds(60);
  static final String DEFAULT_TERMINATION_MESSAGE_PATH = "/dev/termination-log";
  static final String DEFAULT_DOCKER_CONFIG = "/kaniko/.docker";
  /** The Job controller's default when a Job does not set one. */
  static final int DEFAULT_BACKOFF_LIMIT = 6;

  private static final Pattern FROM = Pattern.compile("(?im)^\\s*FROM\\s+(?:--platform=\\S+\\s+)?(\\S+)");
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * One run of a build Pod.
   *
   * @param namespace the Job's namespace
   * @param job the Job's name
   * @param jobUid the Job's UID
   * @param pod the Pod's name
   * @param attempt 1 for the first Pod of the Job, 2 for its first retry...
   * @param destination where the image was pushed
   * @param exitCode the build container's exit code
   * @param terminationMessage the message of its terminated state
   * @param result what buildah did (absent when the build did not start)
   * @param waitedForMounts how long the Pod waited for its ConfigMaps and Secrets
   */
  public record Execution(String namespace, String job, String jobUid, String pod, int attempt,
      String destination, int exitCode, String terminationMessage, Optional<BuildahBuilder.BuildResult> result,
      Duration waitedForMounts) {
    public boolean succeeded() {
      return exitCode == 0;
    }
  }

  /** Where build Pods keep their images. */
  public enum Storage {
    /** Every build Pod starts with empty image storage and pulls its base, as a Kaniko Pod does. */
    PER_POD,
    /** All builds share one storage, so the base is pulled once (faster, less like a cluster). */
    SHARED
  }

  private final KubernetesClient client;
  private final JobControllerStandIn controller;
  private final Storage storage;
  private final BuildahBuilder sharedBuilder;
  private final Path workDirectory;
  private final String platform;
  private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "kaniko-job-executor");
    t.setDaemon(true);
    return t;
  });
  private final Set<String> seenJobs = ConcurrentHashMap.newKeySet();
  private final List<Execution> executions = new CopyOnWriteArrayList<>();
  private final List<String> problems = new CopyOnWriteArrayList<>();
  private final AtomicInteger unfinished = new AtomicInteger();
  private final SharedIndexInformer<Job> informer;

  private KanikoJobExecutor(KubernetesClient client, Storage storage, Path workDirectory) {
    this.client = client;
    this.controller = new JobControllerStandIn(client);
    this.storage = storage;
    this.sharedBuilder = storage == Storage.SHARED ? newBuilder(workDirectory.resolve("shared-storage")) : null;
    this.workDirectory = workDirectory;
    this.platform = "linux/" + machineArchitecture();
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
        // a deleted Job's Pods are the garbage collector's business; a running build simply finishes
      }
    });
  }

  /**
   * Starts watching every Job of the API server.
   *
   * @param workDirectory where build contexts, mounted files and image storage are kept, one folder per Pod
   */
  public static KanikoJobExecutor start(KubernetesClient client, Storage storage, Path workDirectory) {
    try {
      return new KanikoJobExecutor(client, storage, Files.createDirectories(workDirectory));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every build Pod run so far, in order. */
  public List<Execution> executions() {
    return List.copyOf(executions);
  }

  /** What could not be reproduced; empty when every Job ran as Kaniko would run it. */
  public List<String> problems() {
    return List.copyOf(problems);
  }

  /** Whether every Job seen so far has finished. */
  public boolean idle() {
    return unfinished.get() == 0;
  }

  private void submit(Job job) {
    if (JobControllerStandIn.finished(job.getStatus()) || !seenJobs.add(job.getMetadata().getUid())) {
      return;
    }
    unfinished.incrementAndGet();
    runner.submit(() -> {
      try {
        run(job);
      } catch (RuntimeException e) {
        problems.add(jobRef(job) + ": " + e);
      } finally {
        unfinished.decrementAndGet();
      }
    });
  }

  private void run(Job job) {
    Container container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    long waitStart = System.nanoTime();
    PodFiles files;
    try {
      files = mountWhenReady(job, container);
    } catch (PodFiles.UnsupportedMount | PodFiles.MountNotReady e) {
      // the Pod would wait in ContainerCreating until the Job's deadline; the deadline is taken as passed
      problems.add(jobRef(job) + ": " + e.getMessage());
      createPod(job, waiting("ContainerCreating", e.getMessage()), "Pending");
      controller.failJob(job, "DeadlineExceeded", "Job was active longer than specified deadline", 0);
      return;
    }
    Duration waited = Duration.ofNanos(System.nanoTime() - waitStart);
    KanikoInvocation kaniko;
    try {
      kaniko = KanikoInvocation.parse(container.getArgs() == null ? List.of() : container.getArgs());
      checkPlatform(kaniko);
    } catch (IllegalArgumentException e) {
      problems.add(jobRef(job) + ": " + e.getMessage());
      Pod pod = createPod(job, JobControllerStandIn.running(), "Running");
      finish(job, pod, "", 1, "error: " + e.getMessage(), Optional.empty(), 1, waited, true);
      return;
    }
    String destination = kaniko.destinations().get(0);
    int backoffLimit = job.getSpec().getBackoffLimit() == null ? DEFAULT_BACKOFF_LIMIT
        : job.getSpec().getBackoffLimit();
    controller.markActive(job);
    for (int attempt = 1; attempt <= backoffLimit + 1; attempt++) {
      Pod pod = createPod(job, JobControllerStandIn.running(), "Running");
      BuildahBuilder.BuildResult result;
      try {
        result = build(pod, container, files, kaniko);
      } catch (IllegalArgumentException e) {
        problems.add(jobRef(job) + ": " + e.getMessage());
        finish(job, pod, destination, 1, "error: " + e.getMessage(), Optional.empty(), attempt, waited, true);
        return;
      }
      if (result.succeeded()) {
        String digest = result.digest().orElseThrow();
        String message = kaniko.digestFile().filter(f -> f.equals(terminationMessagePath(container)))
            .map(f -> digest).orElse("");
        finish(job, pod, destination, 0, message, Optional.of(result), attempt, waited, true);
        return;
      }
      String message = KanikoLog.terminationMessage(KanikoLog.ofFailure(result, destination));
      finish(job, pod, destination, 1, message, Optional.of(result), attempt, waited,
          attempt == backoffLimit + 1);
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
        sleep(Duration.ofMillis(50));
      }
    }
  }

  private BuildahBuilder.BuildResult build(Pod pod, Container container, PodFiles files, KanikoInvocation kaniko) {
    if (kaniko.destinations().size() != 1) {
      throw new IllegalArgumentException("more than one --destination is not reproduced");
    }
    String destination = kaniko.destinations().get(0);
    Path podDirectory = workDirectory.resolve(pod.getMetadata().getName());
    Path context = podDirectory.resolve("context");
    if (files.writeUnder(kaniko.contextDirectory(), context) == 0) {
      throw new IllegalArgumentException("the context folder " + kaniko.contextDirectory() + " is empty");
    }
    String dockerfile = kaniko.dockerfile().startsWith("/")
        ? relativeTo(kaniko.contextDirectory(), kaniko.dockerfile()) : kaniko.dockerfile();
    BuildahBuilder.BuildRequest request = BuildahBuilder.BuildRequest.of(context, destination)
        .withDockerfile(dockerfile).withTlsVerify(!plainHttp(kaniko, context.resolve(dockerfile), destination));
    String dockerConfig = environment(container, "DOCKER_CONFIG").orElse(DEFAULT_DOCKER_CONFIG);
    for (String mount : files.mountPaths()) {
      if (mount.equals(kaniko.contextDirectory()) || mount.startsWith(kaniko.contextDirectory() + "/")) {
        continue;
      }
      if (mount.equals(dockerConfig)) {
        Path config = podDirectory.resolve("docker-config");
        files.writeUnder(mount, config);
        if (Files.exists(config.resolve("config.json"))) {
          request = request.withAuthFile(config.resolve("config.json"));
        }
        continue;
      }
      if (!mount.equals(BuildahBuilder.SECRET_MOUNT)) {
        throw new IllegalArgumentException("a mount at " + mount + " is not reproduced (only the context, "
            + dockerConfig + " and " + BuildahBuilder.SECRET_MOUNT + ")");
      }
      Path secrets = podDirectory.resolve("secret-mount");
      files.writeUnder(mount, secrets);
      request = request.withSecretDirectory(secrets);
    }
    if (kaniko.reproducible()) {
      request = request.withTimestamp(0);
    }
    if (kaniko.customPlatform().isPresent()) {
      String[] parts = kaniko.customPlatform().get().split("/");
      request = request.withPlatform(parts[0], parts[1]);
    }
    if (sharedBuilder != null) {
      return sharedBuilder.buildAndPush(request);
    }
    try (BuildahBuilder podBuilder = newBuilder(podDirectory.resolve("storage"))) {
      return podBuilder.buildAndPush(request);
    }
  }

  private static BuildahBuilder newBuilder(Path directory) {
    return BuildahBuilder.create(directory, BuildahBuilder.StorageDriver.forDirectory(directory));
  }

  /**
   * Whether the build talks plain HTTP. buildah has one switch for all registries, so the destination and every
   * FROM image must agree: all named by Kaniko's insecure flags, or none.
   */
  private static boolean plainHttp(KanikoInvocation kaniko, Path dockerfile, String destination) {
    Set<Boolean> insecure = new LinkedHashSet<>();
    insecure.add(kaniko.pushesInsecurely(KanikoInvocation.registryOf(destination)));
    try {
      Matcher from = FROM.matcher(Files.readString(dockerfile));
      while (from.find()) {
        String image = from.group(1);
        if (!image.equals("scratch")) {
          insecure.add(kaniko.pullsInsecurely(KanikoInvocation.registryOf(image)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (insecure.size() > 1) {
      throw new IllegalArgumentException("some registries of the build are insecure and some are not; buildah"
          + " cannot mix them");
    }
    return insecure.iterator().next();
  }

  private void checkPlatform(KanikoInvocation kaniko) {
    kaniko.customPlatform().ifPresent(p -> {
      if (!p.equals(platform)) {
        throw new IllegalArgumentException("--custom-platform=" + p + " on a " + platform + " machine: cross"
            + " builds are not reproduced");
      }
    });
  }

  private Pod createPod(Job job, ContainerState state, String phase) {
    return controller.createPod(job, job.getMetadata().getName() + "-" + randomSuffix(), state, phase);
  }

  /**
   * The kubelet's report of the ended container, then (after the last attempt) the Job controller's conclusion.
   *
   * @param last whether the Job ends with this Pod
   */
  private void finish(Job job, Pod pod, String destination, int exitCode, String message,
      Optional<BuildahBuilder.BuildResult> result, int attempt, Duration waited, boolean last) {
    controller.endPod(job, pod, exitCode, message, attempt, last);
    executions.add(new Execution(job.getMetadata().getNamespace(), job.getMetadata().getName(),
        job.getMetadata().getUid(), pod.getMetadata().getName(), attempt, destination, exitCode, message, result,
        waited));
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

  /** Stops watching; a build that is running is allowed to finish. */
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
    if (sharedBuilder != null) {
      sharedBuilder.close();
    }
  }

  private static ContainerState waiting(String reason, String message) {
    return new ContainerStateBuilder().withNewWaiting().withReason(reason).withMessage(message).endWaiting().build();
  }

  private static String buildContainerName(Job job) {
    return job.getSpec().getTemplate().getSpec().getContainers().get(0).getName();
  }

  private static String terminationMessagePath(Container container) {
    return container.getTerminationMessagePath() == null ? DEFAULT_TERMINATION_MESSAGE_PATH
        : container.getTerminationMessagePath();
  }

  private static Optional<String> environment(Container container, String name) {
    return container.getEnv() == null ? Optional.empty() : container.getEnv().stream()
        .filter(e -> name.equals(e.getName()) && e.getValue() != null).map(e -> e.getValue()).findFirst();
  }

  private static String relativeTo(String directory, String path) {
    if (!path.startsWith(directory + "/")) {
      throw new IllegalArgumentException("--dockerfile=" + path + " is outside the context " + directory);
    }
    return path.substring(directory.length() + 1);
  }

  private static String jobRef(Job job) {
    return "Job " + job.getMetadata().getNamespace() + "/" + job.getMetadata().getName();
  }

  private static String randomSuffix() {
    String alphabet = "bcdfghjklmnpqrstvwxz2456789";
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  private static String machineArchitecture() {
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    return switch (arch) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      default -> arch;
    };
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
