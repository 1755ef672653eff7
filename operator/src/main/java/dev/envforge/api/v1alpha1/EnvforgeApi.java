package dev.envforge.api.v1alpha1;

/**
 * Names of the PythonEnvironment API: group, version, kind, and the condition types and reasons written to its
 * status. Every reason the operator writes is declared in {@link Reason}, so clients and alerts can rely on a
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
}
