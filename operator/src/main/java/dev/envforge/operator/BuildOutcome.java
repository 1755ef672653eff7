package dev.envforge.operator;

import dev.envforge.api.v1alpha1.Reason;

/**
 * What a build Job says about its build.
 *
 * @param state where the build is
 * @param reason a CamelCase reason for failures and for builds that cannot start ({@link Reason}),
 *     else null
 * @param message what a person can act on; never contains credentials
 * @param digest the pushed digest ("sha256:...") once known, else null
 */
public record BuildOutcome(State state, Reason reason, String message, String digest) {
  public enum State { PENDING, RUNNING, SUCCEEDED, FAILED }

  public static BuildOutcome pending(String message) {
    return new BuildOutcome(State.PENDING, null, message, null);
  }

  /** A build that waits for something a person may have to fix: why it cannot start, as a reason. */
  public static BuildOutcome pending(Reason reason, String message) {
    return new BuildOutcome(State.PENDING, reason, message, null);
  }

  public static BuildOutcome running(String message) {
    return new BuildOutcome(State.RUNNING, null, message, null);
  }

  public static BuildOutcome succeeded(String digest) {
    return new BuildOutcome(State.SUCCEEDED, null, "image pushed", digest);
  }

  public static BuildOutcome failed(Reason reason, String message) {
    return new BuildOutcome(State.FAILED, reason, message, null);
  }

  public boolean finished() {
    return state == State.SUCCEEDED || state == State.FAILED;
  }
}
