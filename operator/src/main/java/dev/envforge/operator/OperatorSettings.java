package dev.envforge.operator;

import java.time.Duration;
import java.util.Set;

/**
 * How an envforge operator runs.
 *
 * @param namespaces the namespaces to watch; empty for all
 * @param builder build defaults
 * @param registryCacheTtl how long a positive registry answer is trusted
 * @param registryTimeout the time limit of one registry request
 * @param reconcileThreads how many resources are reconciled at once
 * @param leaderElection whether to take a Lease before reconciling (needed with more than one replica)
 * @param leaseName the Lease's name
 * @param leaseNamespace the Lease's namespace, or null for the client's namespace
 * @param retry how a failed reconcile is retried
 * @param leaseIdentity who this replica is in the Lease, or null for the host name (the Pod's name)
 */
public record OperatorSettings(Set<String> namespaces, BuilderDefaults builder, Duration registryCacheTtl,
    Duration registryTimeout, int reconcileThreads, boolean leaderElection, String leaseName,
    String leaseNamespace, ReconcileRetry retry, String leaseIdentity) {
  /** The Lease leader election takes when none is named; the chart's leaderElection.leaseName default. */
  public static final String DEFAULT_LEASE_NAME = "envforge-operator";

  public OperatorSettings(Set<String> namespaces, BuilderDefaults builder, Duration registryCacheTtl,
      Duration registryTimeout, int reconcileThreads, boolean leaderElection, String leaseName,
      String leaseNamespace) {
    this(namespaces, builder, registryCacheTtl, registryTimeout, reconcileThreads, leaderElection, leaseName,
        leaseNamespace, ReconcileRetry.DEFAULT, null);
  }

  public static OperatorSettings defaults() {
    return new OperatorSettings(Set.of(), BuilderDefaults.defaults(), Duration.ofMinutes(10),
        Duration.ofSeconds(10), 10, false, DEFAULT_LEASE_NAME, null);
  }

  public OperatorSettings withNamespaces(Set<String> watched) {
    return new OperatorSettings(watched, builder, registryCacheTtl, registryTimeout, reconcileThreads,
        leaderElection, leaseName, leaseNamespace, retry, leaseIdentity);
  }

  /** The same settings with another retry of failed reconciles (tests use short delays). */
  public OperatorSettings withRetry(ReconcileRetry reconcileRetry) {
    return new OperatorSettings(namespaces, builder, registryCacheTtl, registryTimeout, reconcileThreads,
        leaderElection, leaseName, leaseNamespace, reconcileRetry, leaseIdentity);
  }

  /** The same settings with leader election on a Lease of the given name and namespace. */
  public OperatorSettings withLeaderElection(String lease, String namespace) {
    return new OperatorSettings(namespaces, builder, registryCacheTtl, registryTimeout, reconcileThreads, true,
        lease, namespace, retry, leaseIdentity);
  }

  /** The same settings with this replica's identity in the Lease (two replicas must not share one). */
  public OperatorSettings withLeaseIdentity(String identity) {
    return new OperatorSettings(namespaces, builder, registryCacheTtl, registryTimeout, reconcileThreads,
        leaderElection, leaseName, leaseNamespace, retry, identity);
  }
}
