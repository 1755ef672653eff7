package dev.envforge.operator;

import dev.envforge.api.v1alpha1.PythonEnvironment;
import dev.envforge.core.hash.PlanHasher;
import dev.envforge.core.runtime.RuntimePlan;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ConfigMap that holds a variant's runtime requirements, mounted by Pods at
 * {@value dev.envforge.core.recipe.BuildContextRenderer#RUNTIME_REQUIREMENTS_MOUNT} for the image's launcher. Its name
 * comes from the resource, the variant and the requirements' content, so it is immutable and a change writes a new
 * one; the resource owns it, and the operator deletes the ones its variants no longer name. It holds only what the
 * lock says (pins, hashes, index URLs without credentials), never a secret.
 */
public final class RuntimeConfigMaps {
  /** The key Pods mount: the launcher reads {@code <mount>/requirements.txt}. */
  public static final String KEY = "requirements.txt";
  public static final String COMPONENT = "runtime-requirements";
  /** Selects every runtime ConfigMap envforge manages. */
  public static final String SELECTOR = Labels.MANAGED_BY + "=" + Labels.MANAGED_BY_VALUE + "," + Labels.COMPONENT
      + "=" + COMPONENT;
  /** SHA-256 of the requirements, as an annotation: what the name was derived from. */
  public static final String DIGEST_ANNOTATION = "envforge.dev/runtime-requirements-sha256";

  private RuntimeConfigMaps() {}

  /** {@code envforge-runtime-} and 20 hex digits of SHA-256 over the resource, the variant and the requirements. */
  public static String name(String resourceName, String variant, RuntimePlan runtime) {
    return "envforge-runtime-" + PlanHasher.sha256Hex(resourceName + "\n" + variant + "\n" + runtime.digest())
        .substring(0, 20);
  }

  /** The runtime ConfigMap of one variant of a resource. */
  public static ConfigMap of(PythonEnvironment resource, String variant, RuntimePlan runtime) {
    Map<String, String> labels = new TreeMap<>();
    labels.put(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
    labels.put(Labels.NAME, "envforge");
    labels.put(Labels.COMPONENT, COMPONENT);
    labels.put(Labels.OWNER_UID, resource.getMetadata().getUid());
    labels.put(Labels.VARIANT, variant);
    Map<String, String> annotations = new TreeMap<>();
    annotations.put(Labels.OWNER_ANNOTATION, resource.getMetadata().getNamespace() + "/"
        + resource.getMetadata().getName());
    annotations.put(DIGEST_ANNOTATION, runtime.digest());
    return new ConfigMapBuilder()
        .withNewMetadata()
          .withName(name(resource.getMetadata().getName(), variant, runtime))
          .withNamespace(resource.getMetadata().getNamespace())
          .withLabels(labels)
          .withAnnotations(annotations)
          .withOwnerReferences(new OwnerReferenceBuilder()
              .withApiVersion(resource.getApiVersion()).withKind(resource.getKind())
              .withName(resource.getMetadata().getName()).withUid(resource.getMetadata().getUid())
              .withController(true).withBlockOwnerDeletion(true)
              .build())
        .endMetadata()
        .withData(Map.of(KEY, runtime.requirements()))
        .withImmutable(true)
        .build();
  }
}
