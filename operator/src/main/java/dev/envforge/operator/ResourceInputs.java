package dev.envforge.operator;

import dev.envforge.api.v1alpha1.Reason;
import dev.envforge.api.v1alpha1.PythonEnvironment;
import dev.envforge.api.v1alpha1.PythonEnvironmentSpec;
import dev.envforge.core.planner.PlanOutcome;
import dev.envforge.core.planner.PlanOutcome.Planned;
import dev.envforge.core.planner.PlanOutcome.Refused;
import dev.envforge.core.planner.PlanningProblem;
import dev.envforge.core.planner.PlanningRequest;
import dev.envforge.core.planner.VariantRequest;
import dev.envforge.core.registry.ImageReference;
import dev.envforge.operator.ProjectSourceLoader.LoadedProject;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads what a resource's spec and the objects it references give, before any variant is looked at: the lock files,
 * the registry's credentials and CA, and each variant's plan. Anything unusable is a {@link SpecProblemException}
 * that names the field.
 */
final class ResourceInputs {
  static final String DOCKER_CONFIG_KEY = ".dockerconfigjson";

  /**
   * The plans of the resource's variants, in spec order, how to reach its image repository, and the project files
   * the plans come from (policies point at their lines).
   */
  record Inputs(List<Planned> plans, ImageReference repository, RegistryAccess access, LoadedProject project) {}

  /** Where referenced objects are read: the informer caches, never an API request per reconcile. */
  interface ReferencedObjects {
    /** The ConfigMap, or null when there is none. */
    ConfigMap configMap(String namespace, String name);

    /** The Secret, or null when there is none. */
    Secret secret(String namespace, String name);
  }

  private final ReferencedObjects objects;
  private final PlanCache plans;

  ResourceInputs(ReferencedObjects objects, PlanCache plans) {
    this.objects = objects;
    this.plans = plans;
  }

  /**
   * @throws SpecProblemException when the spec, or an object it references, cannot be used
   */
  Inputs read(PythonEnvironment resource) {
    PythonEnvironmentSpec spec = resource.getSpec();
    String namespace = resource.getMetadata().getNamespace();
    if (spec == null || spec.getImage() == null || spec.getImage().getRepository() == null) {
      throw new SpecProblemException(Reason.INVALID_SPEC, "spec.image.repository: required");
    }
    ImageReference repository = repository(spec.getImage().getRepository());
    RegistryAccess access = registryAccess(namespace, spec);
    checkIndexCredentials(namespace, spec);
    FetchSettings.checkResource(spec.getBuilder());
    LoadedProject project = ProjectSourceLoader.load(namespace, resource.getMetadata().getName(), spec.getSource(),
        objects::configMap);
    return new Inputs(plan(spec, project), repository, access, project);
  }

  /**
   * The values of the Secrets the resource's builds are given (push and index credentials), as they could appear
   * in a build log; empty when there are none or they are gone.
   */
  java.util.Set<String> secretValues(PythonEnvironment resource) {
    PythonEnvironmentSpec spec = resource.getSpec();
    String namespace = resource.getMetadata().getNamespace();
    List<String> names = new ArrayList<>();
    if (spec.getImage() != null && spec.getImage().getPushSecretRef() != null) {
      names.add(spec.getImage().getPushSecretRef().getName());
    }
    if (spec.getIndexCredentialsSecretRef() != null) {
      names.add(spec.getIndexCredentialsSecretRef().getName());
    }
    List<String> values = new ArrayList<>();
    for (String name : names) {
      Secret secret = name == null ? null : secret(namespace, name);
      if (secret == null) {
        continue;
      }
      if (secret.getData() != null) {
        secret.getData().values().forEach(v -> values.add(decode(v)));
      }
      if (secret.getStringData() != null) {
        values.addAll(secret.getStringData().values());
      }
    }
    return dev.envforge.core.buildlog.SecretValues.of(values);
  }

  private static String decode(String base64) {
    try {
      return new String(java.util.Base64.getDecoder().decode(base64), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return base64;
    }
  }

  /** Every variant's plan and build context, checked here so that no input problem waits for a build to start. */
  private List<Planned> plan(PythonEnvironmentSpec spec, LoadedProject project) {
    PlanningRequest request = SpecPlanning.request(spec, project.format());
    List<VariantRequest> variants = SpecPlanning.variants(spec);
    List<Planned> variantPlans = new ArrayList<>();
    for (int i = 0; i < variants.size(); i++) {
      VariantRequest variant = variants.get(i);
      PlanOutcome outcome = plans.outcome(project.contents(), project.files(), project.format(), request, variant);
      if (outcome instanceof Refused refused && refused.problem().kind() == PlanningProblem.Kind.PYTHON) {
        // one field for every variant: name it, not the variant
        throw new SpecProblemException(Reason.PYTHON_EXCLUDED, "spec.python: " + refused.problem().message());
      }
      if (outcome instanceof Refused refused) {
        String where = refused.problem().kind() == PlanningProblem.Kind.BUILDER
            ? "spec.builder.mode (variant " + variant.name() + "): "
            : "spec.variants[" + i + "] (" + variant.name() + "): ";
        throw new SpecProblemException(reasonFor(refused.problem().kind()), where + refused.problem().message());
      }
      variantPlans.add((Planned) outcome);
    }
    return variantPlans;
  }

  /** The one mapping of typed planning problems to reasons: a new kind does not compile until it has one. */
  static Reason reasonFor(PlanningProblem.Kind kind) {
    return switch (kind) {
      case LOCK, BUILD_CONTEXT -> Reason.INVALID_LOCK;
      case RECIPE, RUNTIME, BUILDER -> Reason.INVALID_SPEC;
      case PYTHON -> Reason.PYTHON_EXCLUDED;
    };
  }

  private static ImageReference repository(String text) {
    String lastPart = text.substring(text.lastIndexOf('/') + 1);
    if (text.contains("@") || lastPart.contains(":")) {
      throw new SpecProblemException(Reason.INVALID_SPEC, "spec.image.repository: give the repository without a"
          + " tag or digest; envforge tags images itself");
    }
    try {
      return ImageReference.parse(text);
    } catch (IllegalArgumentException e) {
      throw new SpecProblemException(Reason.INVALID_SPEC, "spec.image.repository: " + e.getMessage());
    }
  }

  private RegistryAccess registryAccess(String namespace, PythonEnvironmentSpec spec) {
    String dockerConfig = null;
    if (spec.getImage().getPushSecretRef() != null) {
      String name = spec.getImage().getPushSecretRef().getName();
      Secret secret = secret(namespace, name);
      if (secret == null) {
        throw new SpecProblemException(Reason.SECRET_NOT_FOUND, "spec.image.pushSecretRef.name: Secret "
            + namespace + "/" + name + " does not exist");
      }
      String encoded = secret.getData() == null ? null : secret.getData().get(DOCKER_CONFIG_KEY);
      if (encoded == null) {
        throw new SpecProblemException(Reason.KEY_NOT_FOUND, "spec.image.pushSecretRef.name: Secret " + namespace
            + "/" + name + " has no key " + DOCKER_CONFIG_KEY + " (use a Secret of type"
            + " kubernetes.io/dockerconfigjson)");
      }
      try {
        dockerConfig = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new SpecProblemException(Reason.INVALID_SPEC, "spec.image.pushSecretRef.name: Secret " + namespace
            + "/" + name + " key " + DOCKER_CONFIG_KEY + " is not valid base64");
      }
    }
    String ca = null;
    if (spec.getImage().getCaConfigMapRef() != null) {
      String name = spec.getImage().getCaConfigMapRef().getName();
      String key = spec.getImage().getCaConfigMapRef().getKey();
      ConfigMap cm = objects.configMap(namespace, name);
      if (cm == null) {
        throw new SpecProblemException(Reason.CONFIG_MAP_NOT_FOUND, "spec.image.caConfigMapRef.name: ConfigMap "
            + namespace + "/" + name + " does not exist");
      }
      ca = cm.getData() == null ? null : cm.getData().get(key);
      if (ca == null) {
        throw new SpecProblemException(Reason.KEY_NOT_FOUND, "spec.image.caConfigMapRef.key: ConfigMap "
            + namespace + "/" + name + " has no key " + key);
      }
    }
    return new RegistryAccess(dockerConfig, ca, Boolean.TRUE.equals(spec.getImage().getInsecure()));
  }

  /** The index credentials are only mounted into the build; here it is enough that they exist. */
  private void checkIndexCredentials(String namespace, PythonEnvironmentSpec spec) {
    if (spec.getIndexCredentialsSecretRef() == null) {
      return;
    }
    String name = spec.getIndexCredentialsSecretRef().getName();
    String key = spec.getIndexCredentialsSecretRef().getKey();
    Secret secret = secret(namespace, name);
    if (secret == null) {
      throw new SpecProblemException(Reason.SECRET_NOT_FOUND, "spec.indexCredentialsSecretRef.name: Secret "
          + namespace + "/" + name + " does not exist");
    }
    if (secret.getData() == null || !secret.getData().containsKey(key)) {
      throw new SpecProblemException(Reason.KEY_NOT_FOUND, "spec.indexCredentialsSecretRef.key: Secret "
          + namespace + "/" + name + " has no key " + key);
    }
  }

  private Secret secret(String namespace, String name) {
    return objects.secret(namespace, name);
  }
}
