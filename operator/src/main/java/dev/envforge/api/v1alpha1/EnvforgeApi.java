package dev.envforge.api.v1alpha1;

/**
 * Names of the PythonEnvironment API: group, version, kind, and the condition types and reasons written to its
 * status. Every reason the operator writes is declared in {@link Reasons}, so clients and alerts can rely on a
 * closed list.
 */
public final class EnvforgeApi {

  /** API group of every envforge resource. */
  public static final String GROUP = "envforge.dev";
  /** Version of the PythonEnvironment API. */
  public static final String VERSION = "v1alpha1";
  /** {@code apiVersion} as written in manifests. */
  public static final String API_VERSION = GROUP + "/" + VERSION;
  /** Kind of the custom resource. */
  public static final String KIND = "PythonEnvironment";
  /** Plural resource name, as used in URLs and RBAC rules. */
  public static final String PLURAL = "pythonenvironments";
  /** Singular resource name. */
  public static final String SINGULAR = "pythonenvironment";
  /** Short name for kubectl ({@code kubectl get pyenv}). */
  public static final String SHORT_NAME = "pyenv";
  /** kubectl category: {@code kubectl get envforge} lists every envforge resource. */
  public static final String CATEGORY = "envforge";
  /** Name of the CustomResourceDefinition. */
  public static final String CRD_NAME = PLURAL + "." + GROUP;
  /** Kind of the cluster-scoped policy resource. */
  public static final String POLICY_KIND = "EnvironmentPolicy";
  /** Plural of the policy resource, as used in URLs and RBAC rules. */
  public static final String POLICY_PLURAL = "environmentpolicies";
  /** Singular of the policy resource. */
  public static final String POLICY_SINGULAR = "environmentpolicy";
  /** Short name of the policy resource ({@code kubectl get envpol}). */
  public static final String POLICY_SHORT_NAME = "envpol";
  /** Name of the policy's CustomResourceDefinition. */
  public static final String POLICY_CRD_NAME = POLICY_PLURAL + "." + GROUP;

  private EnvforgeApi() {}

  /** Condition types of {@code status.conditions}. */
  public static final class Conditions {
    /** Every variant's image exists in the registry and {@code status.image} can be used. */
    public static final String READY = "Ready";
    /** At least one build Job is pending or running. */
    public static final String BUILDING = "Building";
    /** At least one variant's build failed; the reason says how. */
    public static final String FAILED = "Failed";
    /** The spec or its inputs (lock file, referenced ConfigMaps and Secrets) cannot be used as they are. */
    public static final String INVALID_SPEC = "InvalidSpec";
    /** The image registry could not be asked whether an image exists. */
    public static final String REGISTRY_UNAVAILABLE = "RegistryUnavailable";
    /**
     * The operator is working towards the desired state (checking the registry, building, retrying); kstatus and
     * Flux read True as InProgress.
     */
    public static final String RECONCILING = "Reconciling";
    /**
     * The operator cannot make progress without a change by a person (a spec or input fix, or a new rebuild token
     * after a failed build); kstatus and Flux read True as Failed.
     */
    public static final String STALLED = "Stalled";
    /** The resource breaks an EnvironmentPolicy that selects its namespace; the message lists every violation. */
    public static final String POLICY_VIOLATION = "PolicyViolation";

    private Conditions() {}
  }

  /** Values of a condition's {@code status}. */
  public static final class ConditionStatus {
    public static final String TRUE = "True";
    public static final String FALSE = "False";
    public static final String UNKNOWN = "Unknown";

    private ConditionStatus() {}
  }

  /** CamelCase reasons of conditions and of {@code status.variants[].reason}. */
  public static final class Reasons {
    // Ready=True
    /** Every variant's image was built by this resource and pushed. */
    public static final String BUILT = "Built";
    /** Every variant's image already existed in the registry, so nothing was built. */
    public static final String CACHED = "Cached";

    // progress
    /** The operator is asking the registry whether the variants' images exist. */
    public static final String CHECKING_REGISTRY = "CheckingRegistry";
    /** A build Job exists but its Pod has not started yet (scheduling, image pull). */
    public static final String BUILD_PENDING = "BuildPending";
    /** A build Job's Pod is running. */
    public static final String BUILD_RUNNING = "BuildRunning";

    // a build that cannot start (the variant stays Building; the Job keeps trying)
    /** A ResourceQuota of the namespace forbids the build Pod; the Job retries when quota frees up. */
    public static final String QUOTA_EXCEEDED = "QuotaExceeded";
    /** The build Pod's ServiceAccount ({@code spec.builder.serviceAccountName}) does not exist. */
    public static final String SERVICE_ACCOUNT_NOT_FOUND = "ServiceAccountNotFound";
    /** No node can take the build Pod (node selector, taints, affinity, resources); the scheduler says why. */
    public static final String UNSCHEDULABLE = "Unschedulable";
    /** The Job cannot create its Pod for another reason; the message has the API server's answer. */
    public static final String BUILD_CANNOT_START = "BuildCannotStart";

    // build failures
    /** The namespace's Pod Security level rejects the build Pod (Kaniko runs as root: it needs baseline). */
    public static final String POD_SECURITY_REJECTED = "PodSecurityRejected";
    /** A build Job failed for a reason not recognised more precisely. */
    public static final String BUILD_FAILED = "BuildFailed";
    /** The build container ran out of memory; raise {@code spec.builder.resources.limits.memory}. */
    public static final String OOM_KILLED = "OOMKilled";
    /** The build Job ran longer than {@code spec.builder.activeDeadlineSeconds}. */
    public static final String DEADLINE_EXCEEDED = "DeadlineExceeded";
    /** The builder image could not be pulled. */
    public static final String BUILDER_IMAGE_PULL_FAILED = "BuilderImagePullFailed";
    /** The registry refused the push of the built image. */
    public static final String PUSH_DENIED = "PushDenied";
    /** Installing the packages into the image failed (pip or uv exited non-zero). */
    public static final String INSTALL_FAILED = "InstallFailed";
    /**
     * {@code envforge assemble} found that the plan cannot be assembled on the real base image (exit code 4);
     * {@code spec.builder.mode: kaniko} builds it.
     */
    public static final String NOT_ASSEMBLABLE = "NotAssemblable";

    // invalid input
    /** The spec is not usable (e.g. an unknown group or extra, a Python version the project excludes). */
    public static final String INVALID_SPEC = "InvalidSpec";
    /** The lock file cannot be read or is inconsistent with the project file. */
    public static final String INVALID_LOCK = "InvalidLock";
    /** The lock file's format could not be detected or is not supported. */
    public static final String UNSUPPORTED_LOCK_FORMAT = "UnsupportedLockFormat";
    /** A referenced Secret does not exist. */
    public static final String SECRET_NOT_FOUND = "SecretNotFound";
    /** A referenced ConfigMap does not exist. */
    public static final String CONFIG_MAP_NOT_FOUND = "ConfigMapNotFound";
    /** A referenced ConfigMap or Secret exists but lacks the named key. */
    public static final String KEY_NOT_FOUND = "KeyNotFound";

    // registry
    /** The registry answered; images could be checked. */
    public static final String REGISTRY_REACHABLE = "RegistryReachable";
    /** The registry rejected the credentials (401/403). */
    public static final String REGISTRY_UNAUTHORIZED = "RegistryUnauthorized";
    /** The registry answered with an unexpected error, or TLS failed. */
    public static final String REGISTRY_ERROR = "RegistryError";
    /** The registry did not answer in time. */
    public static final String REGISTRY_TIMEOUT = "RegistryTimeout";

    // policies
    /** The resource breaks at least one EnvironmentPolicy; nothing new is built for it. */
    public static final String POLICY_VIOLATED = "PolicyViolated";
    /** The resource complies with every EnvironmentPolicy that selects its namespace; used with PolicyViolation=False. */
    public static final String POLICY_COMPLIANT = "PolicyCompliant";
    /** A variant went back to an image from its history, without a build. */
    public static final String ROLLED_BACK = "RolledBack";

    // general
    /** The spec was accepted; used with InvalidSpec=False. */
    public static final String SPEC_VALID = "SpecValid";
    /** No variant's build has failed; used with Failed=False. */
    public static final String NO_FAILURE = "NoFailure";
    /** No build is pending or running; used with Building=False. */
    public static final String IDLE = "Idle";
    /** An unexpected error occurred while reconciling; it is retried with backoff. */
    public static final String RECONCILE_ERROR = "ReconcileError";
    /** {@code spec.suspend} is true: no registry checks and no new builds until it is false again. */
    public static final String SUSPENDED = "Suspended";
    /** Nothing left to do: every image exists, or the resource waits for a change; used with Reconciling=False. */
    public static final String RECONCILED = "Reconciled";
    /** Nothing keeps the resource from progressing; used with Stalled=False. */
    public static final String PROGRESSING = "Progressing";

    private Reasons() {}
  }
}
