package dev.envforge.operator;

import io.fabric8.kubernetes.client.Config;
import java.time.Duration;

/**
 * Time limits of the operator's calls to the API server. A hung API server must not hold a reconcile thread: every
 * request ends within {@link #REQUEST_TIMEOUT}, and the client retries a failed request only {@link #RETRIES}
 * times, so one call ends within about {@link #longestCall()}; the reconcile then fails and is retried with backoff.
 * Watches are not limited by this: they are meant to stay open.
 */
public final class ApiClientSettings {
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  /** The client's own retries of a request that failed with an I/O error or a 5xx answer. */
  public static final int RETRIES = 1;
  public static final Duration RETRY_INTERVAL = Duration.ofMillis(500);

  private ApiClientSettings() {}

  /** Sets the limits on a client configuration (from kubeconfig, in-cluster, or a test's). */
  public static Config apply(Config config) {
    return apply(config, CONNECT_TIMEOUT, REQUEST_TIMEOUT);
  }

  /** The same with other time limits (tests use short ones). */
  public static Config apply(Config config, Duration connectTimeout, Duration requestTimeout) {
    config.setConnectionTimeout((int) connectTimeout.toMillis());
    config.setRequestTimeout((int) requestTimeout.toMillis());
    config.setRequestRetryBackoffLimit(RETRIES);
    config.setRequestRetryBackoffInterval((int) RETRY_INTERVAL.toMillis());
    return config;
  }

  /** The longest one API call can take before it fails, with the given time limits. */
  public static Duration longestCall(Duration connectTimeout, Duration requestTimeout) {
    return connectTimeout.plus(requestTimeout).multipliedBy(RETRIES + 1L)
        .plus(RETRY_INTERVAL.multipliedBy((1L << RETRIES) - 1));
  }

  public static Duration longestCall() {
    return longestCall(CONNECT_TIMEOUT, REQUEST_TIMEOUT);
  }
}
