package dev.envforge.operator;

import dev.envforge.api.v1alpha1.BuildLogStatus;
import dev.envforge.api.v1alpha1.VariantPhase;
import dev.envforge.api.v1alpha1.VariantStatus;
import dev.envforge.core.buildlog.BuildLogText;
import dev.envforge.core.buildlog.LogArtifact;
import dev.envforge.core.cache.BoundedCache;
import dev.envforge.core.registry.ImageReference;
import dev.envforge.core.text.Texts;
import dev.envforge.operator.VariantDecision.ExistingBuild;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the log of every finished build: reads the build Pod's log once through the API (pods/log), removes
 * credentials, puts its tail in the variant's status and stores the whole log in the registry next to the image
 * ({@link BuildLogStore}). Every resource that follows one build gets the same log and the same artifact digest;
 * a log read and stored once is remembered by its Pod's UID, so followers cost no second read.
 */
final class BuildLogKeeper {
  private static final Logger LOG = LoggerFactory.getLogger(BuildLogKeeper.class);
  /** The tail kept in status. */
  static final int TAIL_BYTES = 4096;
  /**
   * The most of a log that is read and stored: its end, since the end says what failed. The kubelet cuts by lines
   * (limitBytes would keep the start of those lines, not the end), and the end is cut to bytes here.
   */
  static final int MAX_LOG_LINES = 50_000;
  static final int MAX_LOG_BYTES = 8 * 1024 * 1024;
  /** The container of the build Pod (see BuildJobFactory). */
  static final String BUILD_CONTAINER = "build";

  private final KubernetesClient client;
  private final BuildLogStore store;
  private final BoundedCache<String, BuildLogStatus> kept = new BoundedCache<>(1024);

  BuildLogKeeper(KubernetesClient client, BuildLogStore store) {
    this.client = client;
    this.store = store;
  }

  /**
   * Sets {@code after}'s build log: the one {@code before} had for the same build, or the log of the finished build
   * the status now reports, read and stored now.
   *
   * @param build the image's newest build Job as the decision saw it, or null
   * @param job that Job, or null
   * @param pods its Pods
   * @param secretValues the values of the Secrets the build was given, removed from the log wherever they appear
   */
  void attach(VariantStatus before, VariantStatus after, ExistingBuild build, Job job, List<Pod> pods,
      ImageReference image, RegistryAccess access, Supplier<Set<String>> secretValues) {
    VariantPhase phase = after.getPhase();
    if (after.getJobName() == null || !(phase == VariantPhase.Succeeded || phase == VariantPhase.Failed
        || phase == VariantPhase.Checking)) {
      return;
    }
    BuildLogStatus previous = before == null ? null : before.getBuildLog();
    boolean sameBuild = previous != null && Objects.equals(previous.getJob(), after.getJobName())
        && Objects.equals(before.getStartTime(), after.getStartTime());
    boolean thisBuild = build != null && job != null && build.outcome().finished()
        && build.jobRef().equals(after.getJobName()) && Objects.equals(build.startTime(), after.getStartTime());
    if (sameBuild && (!thisBuild || !retry(previous))) {
      after.setBuildLog(previous);
      return;
    }
    if (!thisBuild) {
      return;
    }
    String digest = imageDigest(after);
    if (build.outcome().state() == BuildOutcome.State.SUCCEEDED && digest == null) {
      // the image is not confirmed yet: store the log once it is, with the image as its subject
      return;
    }
    after.setBuildLog(keep(after.getJobName(), job, pods, image, digest, access, secretValues));
  }

  /** A log that was read but could not be stored is stored again while its Pod is there. */
  private static boolean retry(BuildLogStatus previous) {
    return previous.getArtifact() == null && previous.getTail() != null;
  }

  private BuildLogStatus keep(String jobRef, Job job, List<Pod> pods, ImageReference image, String digest,
      RegistryAccess access, Supplier<Set<String>> secretValues) {
    Pod pod = pods.stream().max(Comparator.comparing((Pod p) -> p.getMetadata().getCreationTimestamp(),
        Comparator.nullsFirst(Comparator.naturalOrder()))).orElse(null);
    BuildLogStatus status = new BuildLogStatus();
    status.setJob(jobRef);
    if (pod == null) {
      status.setMessage("the build left no Pod to read the log from");
      return status;
    }
    String podName = pod.getMetadata().getName();
    status.setPod(podName);
    String cacheKey = pod.getMetadata().getUid() + "\n" + image + "\n" + digest;
    BuildLogStatus remembered = kept.get(cacheKey);
    if (remembered != null) {
      BuildLogStatus copy = copy(remembered);
      copy.setJob(jobRef);
      return copy;
    }
    String text;
    try {
      text = client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(podName)
          .inContainer(BUILD_CONTAINER).tailingLines(MAX_LOG_LINES).getLog();
    } catch (KubernetesClientException e) {
      // 400: the container never ran; 404: the Pod is gone; 403: not allowed. None gets better by asking again.
      status.setMessage(Texts.oneLine("the build Pod's log cannot be read (HTTP " + e.getCode() + "): "
          + (e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
              : e.getMessage())));
      LOG.debug("job={} pod={} log not read: {}", jobRef, podName, status.getMessage());
      return status;
    }
    String redacted = BuildLogText.redact(text == null ? "" : text, secretValues.get());
    if (redacted.length() > MAX_LOG_BYTES / 4) {
      redacted = BuildLogText.tail(redacted, MAX_LOG_BYTES);
    }
    byte[] bytes = redacted.getBytes(StandardCharsets.UTF_8);
    status.setBytes((long) bytes.length);
    status.setTail(BuildLogText.tail(redacted, TAIL_BYTES));
    try {
      BuildLogStore.Stored stored = store.store(image, digest, access, bytes, annotations(job, image, digest));
      status.setArtifact(stored.reference());
      status.setReferrer(stored.referrer());
      kept.put(cacheKey, copy(status));
      LOG.info("job={} image={} build log stored as {}", jobRef, image, stored.reference());
    } catch (BuildLogStore.StoreFailure e) {
      status.setMessage(Texts.oneLine("the full log could not be stored in the registry: " + e.getMessage()));
      LOG.info("job={} image={} build log not stored: {}", jobRef, image, status.getMessage());
    }
    return status;
  }

  /** What the artifact says about the build; the same for every store of one build's log. */
  static Map<String, String> annotations(Job job, ImageReference image, String digest) {
    Map<String, String> a = new LinkedHashMap<>();
    a.put(LogArtifact.JOB_ANNOTATION, job.getMetadata().getNamespace() + "/" + job.getMetadata().getName());
    a.put(LogArtifact.RESULT_ANNOTATION, digest != null ? "Succeeded" : "Failed");
    a.put(LogArtifact.IMAGE_ANNOTATION, image.toString());
    String finished = ExistingBuild.of(job, job.getMetadata().getNamespace(), BuildOutcome.pending("")).completionTime();
    if (finished != null) {
      a.put(LogArtifact.CREATED_ANNOTATION, finished);
    }
    return a;
  }

  /** The digest of the variant's image, from repository:tag@sha256:..., or null. */
  private static String imageDigest(VariantStatus v) {
    if (v.getPhase() != VariantPhase.Succeeded || v.getImage() == null) {
      return null;
    }
    int at = v.getImage().lastIndexOf('@');
    return at < 0 ? null : v.getImage().substring(at + 1);
  }

  private static BuildLogStatus copy(BuildLogStatus s) {
    BuildLogStatus c = new BuildLogStatus();
    c.setJob(s.getJob());
    c.setPod(s.getPod());
    c.setArtifact(s.getArtifact());
    c.setReferrer(s.getReferrer());
    c.setBytes(s.getBytes());
    c.setTail(s.getTail());
    c.setMessage(s.getMessage());
    return c;
  }
}
