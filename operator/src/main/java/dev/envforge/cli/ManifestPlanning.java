package dev.envforge.cli;

import dev.envforge.api.v1alpha1.PythonEnvironmentSpec;
import dev.envforge.cli.ManifestReader.Manifest;
import dev.envforge.core.lock.LockFormat;
import dev.envforge.core.lock.ParsedFiles;
import dev.envforge.core.lock.ProjectFiles;
import dev.envforge.core.planner.EnvironmentPlanner;
import dev.envforge.core.planner.PlanningRequest;
import dev.envforge.core.planner.VariantPlan;
import dev.envforge.core.planner.VariantRequest;
import dev.envforge.core.registry.ImageReference;
import dev.envforge.operator.ProjectSourceLoader;
import dev.envforge.operator.ProjectSourceLoader.LoadedProject;
import dev.envforge.operator.SpecPlanning;
import dev.envforge.operator.SpecProblemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A PythonEnvironment manifest planned as the operator plans it: the operator's own source loader and spec-to-request
 * code, so the command line and the operator cannot disagree on defaults.
 */
final class ManifestPlanning {
  private final Manifest manifest;
  private final ProjectFiles files;
  private final LockFormat format;
  private final String lockFile;
  private final PlanningRequest request;
  /** The lock is parsed once for all the manifest's variants. */
  private final ParsedFiles parsed = ParsedFiles.forOnePlanning();

  private ManifestPlanning(Manifest manifest, ProjectFiles files, LockFormat format, String lockFile) {
    this.manifest = manifest;
    this.files = files;
    this.format = format;
    this.lockFile = lockFile;
    this.request = SpecPlanning.request(manifest.resource().getSpec(), format);
  }

  /**
   * @param project the project folder for a resource whose source is a ConfigMap (null: the ConfigMaps in the same
   *     file, or the inline source)
   */
  static ManifestPlanning of(Manifest manifest, Path project) {
    PythonEnvironmentSpec spec = manifest.resource().getSpec();
    if (spec.getSource() == null) {
      throw manifest.error("PythonEnvironment " + manifest.name() + ": spec.source is required");
    }
    if (project != null) {
      if (!Files.isDirectory(project)) {
        throw new IllegalArgumentException(project + ": not a folder (--project names the project folder)");
      }
      ProjectFiles files = ProjectFiles.of(project);
      // a ConfigMap key is a file name in the folder only when such a file exists (kustomize's files: a=b renames)
      String lockKey = spec.getSource().getConfigMapRef() == null ? null
          : spec.getSource().getConfigMapRef().getLockKey();
      String lockFile = lockKey != null && project.resolve(lockKey).normalize().startsWith(project.normalize())
          && Files.isRegularFile(project.resolve(lockKey)) ? lockKey : null;
      LockFormat explicit = spec.getSource().getFormat() == null ? null
          : LockFormat.fromId(spec.getSource().getFormat().value());
      LockDiscovery.Found found = LockDiscovery.find(project, files, explicit, lockFile);
      return new ManifestPlanning(manifest, files, found.format(), found.lockFile());
    }
    if (spec.getSource().getConfigMapRef() != null
        && !manifest.configMaps().containsKey(spec.getSource().getConfigMapRef().getName())) {
      throw manifest.error("PythonEnvironment " + manifest.name() + " reads its project from ConfigMap "
          + spec.getSource().getConfigMapRef().getName() + ", which is not in this file; give the project folder"
          + " with --project DIR");
    }
    try {
      LoadedProject loaded = ProjectSourceLoader.load(manifest.namespace(), manifest.name(), spec.getSource(),
          (namespace, name) -> manifest.configMaps().get(name));
      return new ManifestPlanning(manifest, loaded.files(), loaded.format(), null);
    } catch (SpecProblemException e) {
      throw manifest.error("PythonEnvironment " + manifest.name() + ": " + e.getMessage());
    }
  }

  Manifest manifest() {
    return manifest;
  }

  /** The spec's variants, or the one default variant. */
  List<VariantRequest> variants() {
    return SpecPlanning.variants(manifest.resource().getSpec());
  }

  /** The variant of that name; null chooses the only one. */
  VariantRequest variant(String name) {
    List<VariantRequest> variants = variants();
    if (name == null) {
      if (variants.size() == 1) {
        return variants.get(0);
      }
      throw manifest.errorAt("spec.variants", "PythonEnvironment " + manifest.name() + " has several variants ("
          + variants.stream().map(VariantRequest::name).toList() + "); choose one with --variant");
    }
    return variants.stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow(() -> manifest.errorAt(
        "spec.variants",
        "PythonEnvironment " + manifest.name() + " has no variant " + name + " (it has "
            + variants.stream().map(VariantRequest::name).toList() + ")"));
  }

  /** What the variant's runtime groups add on top of its image. */
  dev.envforge.core.runtime.RuntimePlan runtime(VariantRequest variant, VariantPlan plan) {
    return EnvironmentPlanner.runtime(files, request, variant, lockFile, plan);
  }

  VariantPlan plan(VariantRequest variant) {
    try {
      return EnvironmentPlanner.plan(files, request, variant, lockFile, parsed);
    } catch (IllegalArgumentException e) {
      // a spec the project refuses (a python its requires-python excludes): bad input at the spec's field
      String python = manifest.resource().getSpec().getPython();
      throw manifest.errorAt(python != null ? "spec.python" : "spec", "PythonEnvironment " + manifest.name()
          + " (variant " + variant.name() + "): " + e.getMessage());
    }
  }

  /** The image reference the operator pushes a tag to: the canonical form of spec.image.repository and the tag. */
  ImageReference image(String tag) {
    String repository = manifest.resource().getSpec().getImage() == null ? null
        : manifest.resource().getSpec().getImage().getRepository();
    if (repository == null) {
      throw manifest.error("PythonEnvironment " + manifest.name() + ": spec.image.repository is required");
    }
    ImageReference parsed;
    try {
      parsed = ImageReference.parse(repository);
    } catch (IllegalArgumentException e) {
      throw manifest.error("spec.image.repository: " + e.getMessage());
    }
    String lastPart = repository.substring(repository.lastIndexOf('/') + 1);
    if (repository.contains("@") || lastPart.contains(":")) {
      throw manifest.error("spec.image.repository: give the repository without a tag or digest; envforge tags"
          + " images itself");
    }
    return parsed.withTag(tag);
  }

  LockFormat format() {
    return format;
  }

  /** The project files the plans come from (policies point at their lines). */
  ProjectFiles files() {
    return files;
  }
}
