package dev.envforge.operator;

import dev.envforge.core.hash.PlanHasher;

/** Names derived from content, so a retry or a second replica converges on the same objects. */
public final class BuildNames {
  private BuildNames() {}

  /** The key of an image: shortened SHA-256 of "repository:tag" (label-safe, 40 hex digits). */
  public static String imageKey(String repository, String tag) {
    return PlanHasher.sha256Hex(repository + ":" + tag).substring(0, 40);
  }

  /** The build Job, and the ConfigMap holding its context, for an image. */
  public static String jobName(String repository, String tag) {
    return "envforge-build-" + imageKey(repository, tag).substring(0, 20);
  }

  /** An Event's name: stable for one (object, reason, subject), so repeated reconciles do not pile up events. */
  public static String eventName(String involvedName, String reason, String subject) {
    String base = involvedName.length() > 200 ? involvedName.substring(0, 200) : involvedName;
    return base + "." + PlanHasher.sha256Hex(reason + "/" + subject).substring(0, 16);
  }
}
