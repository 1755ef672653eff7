package dev.envforge.core.registry;

/**
 * Told about every {@link RegistryClient#check} once it has an answer, for metrics and logs. Implementations must be
 * thread-safe and quick; an exception thrown here is ignored.
 */
@FunctionalInterface
public interface RegistryCheckListener {
  /** Does nothing. */
  RegistryCheckListener NONE = (registry, check, durationNanos) -> { };

  /**
   * @param registry      the registry as in {@link ImageReference#registry()}
   * @param check         the answer; {@link ManifestCheck#outcome()} and {@link ManifestCheck#kind()} suit metric
   *                      labels, {@link ManifestCheck#cached()} tells answers served without a request
   * @param durationNanos wall time of the check, all requests (token, HEAD, GET) included
   */
  void onCheck(String registry, ManifestCheck check, long durationNanos);
}
