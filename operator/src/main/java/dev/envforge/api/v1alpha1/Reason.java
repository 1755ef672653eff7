package dev.envforge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The CamelCase reasons of {@code status.conditions[].reason} and {@code status.variants[].reason}: the closed list
 * the operator writes, so clients and alerts can rely on it. {@link #wire()} is the text in the status. The status
 * fields stay strings on the wire, so a status written by a newer envforge (with a reason this one does not know)
 * can still be read.
 */
public enum Reason {
  // Ready=True
  /** Every variant's image was built by this resource and pushed. */
  BUILT("Built"),
  /** Every variant's image already existed in the registry, so nothing was built. */
  CACHED("Cached"),

  // progress
  /** The operator is asking the registry whether the variants' images exist. */
  CHECKING_REGISTRY("CheckingRegistry"),
  /** A build Job exists but its Pod has not started yet (scheduling, image pull). */
  BUILD_PENDING("BuildPending"),
  /** A build Job's Pod is running. */
  BUILD_RUNNING("BuildRunning"),

  // a build that cannot start (the variant stays Building; the Job keeps trying)
  /** A ResourceQuota of the namespace forbids the build Pod; the Job retries when quota frees up. */
  QUOTA_EXCEEDED("QuotaExceeded"),
  /** The build Pod's ServiceAccount ({@code spec.builder.serviceAccountName}) does not exist. */
  SERVICE_ACCOUNT_NOT_FOUND("ServiceAccountNotFound"),
  /** No node can take the build Pod (node selector, taints, affinity, resources); the scheduler says why. */
  UNSCHEDULABLE("Unschedulable"),
  /** The Job cannot create its Pod for another reason; the message has the API server's answer. */
  BUILD_CANNOT_START("BuildCannotStart"),

  // build failures
  /** The namespace's Pod Security level rejects the build Pod (Kaniko runs as root: it needs baseline). */
  POD_SECURITY_REJECTED("PodSecurityRejected"),
  /** A build Job failed for a reason not recognised more precisely. */
  BUILD_FAILED("BuildFailed"),
  /** The build container ran out of memory; raise {@code spec.builder.resources.limits.memory}. */
  OOM_KILLED("OOMKilled"),
  /** The build Job ran longer than {@code spec.builder.activeDeadlineSeconds}. */
  DEADLINE_EXCEEDED("DeadlineExceeded"),
  /** The builder image could not be pulled. */
  BUILDER_IMAGE_PULL_FAILED("BuilderImagePullFailed"),
  /** The registry refused the push of the built image. */
  PUSH_DENIED("PushDenied"),
  /** Installing the packages into the image failed (pip or uv exited non-zero). */
  INSTALL_FAILED("InstallFailed"),
  /**
   * {@code envforge assemble} found that the plan cannot be assembled on the real base image (exit code 4);
   * {@code spec.builder.mode: kaniko} builds it.
   */
  NOT_ASSEMBLABLE("NotAssemblable"),

  // invalid input
  /** The spec is not usable (e.g. an unknown group or extra, a Python version the project excludes). */
  INVALID_SPEC("InvalidSpec"),
  /** {@code spec.python}, or the default, is a Python version the project's requires-python excludes. */
  PYTHON_EXCLUDED("PythonExcluded"),
  /** The lock file cannot be read or is inconsistent with the project file. */
  INVALID_LOCK("InvalidLock"),
  /** The lock file's format could not be detected or is not supported. */
  UNSUPPORTED_LOCK_FORMAT("UnsupportedLockFormat"),
  /** A referenced Secret does not exist. */
  SECRET_NOT_FOUND("SecretNotFound"),
  /** A referenced ConfigMap does not exist. */
  CONFIG_MAP_NOT_FOUND("ConfigMapNotFound"),
  /** A referenced ConfigMap or Secret exists but lacks the named key. */
  KEY_NOT_FOUND("KeyNotFound"),

  // registry
  /** The registry answered; images could be checked. */
  REGISTRY_REACHABLE("RegistryReachable"),
  /** The registry rejected the credentials (401/403). */
  REGISTRY_UNAUTHORIZED("RegistryUnauthorized"),
  /** The registry answered with an unexpected error, or TLS failed. */
  REGISTRY_ERROR("RegistryError"),
  /** The registry did not answer in time. */
  REGISTRY_TIMEOUT("RegistryTimeout"),

  // policies
  /** The resource breaks at least one EnvironmentPolicy; nothing new is built for it. */
  POLICY_VIOLATED("PolicyViolated"),
  /** The resource complies with every EnvironmentPolicy that selects its namespace; used with PolicyViolation=False. */
  POLICY_COMPLIANT("PolicyCompliant"),
  /** A variant went back to an image from its history, without a build. */
  ROLLED_BACK("RolledBack"),

  // general
  /** The spec was accepted; used with InvalidSpec=False. */
  SPEC_VALID("SpecValid"),
  /** No variant's build has failed; used with Failed=False. */
  NO_FAILURE("NoFailure"),
  /** No build is pending or running; used with Building=False. */
  IDLE("Idle"),
  /** An unexpected error occurred while reconciling; it is retried with backoff. */
  RECONCILE_ERROR("ReconcileError"),
  /** {@code spec.suspend} is true: no registry checks and no new builds until it is false again. */
  SUSPENDED("Suspended"),
  /** Nothing left to do: every image exists, or the resource waits for a change; used with Reconciling=False. */
  RECONCILED("Reconciled"),
  /** Nothing keeps the resource from progressing; used with Stalled=False. */
  PROGRESSING("Progressing");

  private static final Map<String, Reason> BY_WIRE = Arrays.stream(values())
      .collect(Collectors.toUnmodifiableMap(Reason::wire, Function.identity()));

  private final String wire;

  Reason(String wire) {
    this.wire = wire;
  }

  /** The reason as written in the status. */
  @JsonValue
  public String wire() {
    return wire;
  }

  /** The reason written as {@code wire}, if this version knows it. */
  public static Optional<Reason> fromWire(String wire) {
    return Optional.ofNullable(wire == null ? null : BY_WIRE.get(wire));
  }

  @Override
  public String toString() {
    return wire;
  }
}
