package dev.envforge.operator;

import java.util.Map;
import java.util.TreeMap;

/** The labels and annotations envforge puts on the objects it creates. Values never contain user secrets. */
public final class Labels {
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY_VALUE = "envforge";
  public static final String NAME = "app.kubernetes.io/name";
  public static final String COMPONENT = "app.kubernetes.io/component";
  public static final String COMPONENT_BUILD = "image-build";
  /** SHA-256 of "repository:tag", shortened to fit a label: one active build per key across the cluster. */
  public static final String IMAGE_KEY = "envforge.dev/image-key";
  /** UID of the PythonEnvironment that created the build. */
  public static final String OWNER_UID = "envforge.dev/owner-uid";
  public static final String VARIANT = "envforge.dev/variant";
  /** Which builder a build Job runs: assemble or kaniko. */
  public static final String BUILDER = "envforge.dev/builder";

  public static final String IMAGE_ANNOTATION = "envforge.dev/image";
  public static final String HASH_ANNOTATION = "envforge.dev/hash";
  public static final String REBUILD_TOKEN_ANNOTATION = "envforge.dev/rebuild-token";
  public static final String OWNER_ANNOTATION = "envforge.dev/owner";

  /** Selects every build object envforge manages. */
  public static final String BUILD_SELECTOR = MANAGED_BY + "=" + MANAGED_BY_VALUE + "," + COMPONENT + "="
      + COMPONENT_BUILD;

  private Labels() {}

  public static Map<String, String> build(String imageKey, String ownerUid, String variant,
      dev.envforge.core.recipe.Builder builder) {
    Map<String, String> labels = new TreeMap<>();
    labels.put(BUILDER, builder.id());
    labels.put(MANAGED_BY, MANAGED_BY_VALUE);
    labels.put(NAME, "envforge");
    labels.put(COMPONENT, COMPONENT_BUILD);
    labels.put(IMAGE_KEY, imageKey);
    labels.put(OWNER_UID, ownerUid);
    labels.put(VARIANT, variant);
    return labels;
  }
}
