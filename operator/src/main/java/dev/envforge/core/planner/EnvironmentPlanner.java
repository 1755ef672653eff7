package dev.envforge.core.planner;

import dev.envforge.core.hash.PlanHasher;
import dev.envforge.core.lock.LockFormat;
import dev.envforge.core.lock.LockInputException;
import dev.envforge.core.lock.LockFormats;
import dev.envforge.core.lock.LockResolvers;
import dev.envforge.core.lock.ParsedFiles;
import dev.envforge.core.lock.ProjectFiles;
import dev.envforge.core.plan.InstallPlan;
import dev.envforge.core.plan.PythonVersionException;
import dev.envforge.core.recipe.BuildContext;
import dev.envforge.core.recipe.BuildRecipe;
import dev.envforge.core.recipe.RecipeInputException;
import dev.envforge.core.runtime.RuntimeInputException;
import dev.envforge.core.runtime.RuntimePlan;
import dev.envforge.core.runtime.RuntimeResolver;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one entry point the command line and the operator share: project files and a variant in, install plan,
 * recipe and hash out.
 */
public final class EnvironmentPlanner {
  private EnvironmentPlanner() {}

  /**
   * Plans a variant and renders its build context, so every problem of the input shows here and not when a build
   * starts. Input problems are a {@link PlanOutcome.Refused}; anything else thrown is a defect.
   */
  public static PlanOutcome outcome(ProjectFiles files, PlanningRequest request, VariantRequest variant,
      String lockFile) {
    return outcome(files, request, variant, lockFile, ParsedFiles.forOnePlanning());
  }

  /** The same, keeping parsed files in the caller's cache. */
  public static PlanOutcome outcome(ProjectFiles files, PlanningRequest request, VariantRequest variant,
      String lockFile, ParsedFiles parsed) {
    VariantPlan plan;
    try {
      plan = plan(files, request, variant, lockFile, parsed);
    } catch (LockInputException e) {
      return new PlanOutcome.Refused(new PlanningProblem(PlanningProblem.Kind.LOCK, e.getMessage()));
    } catch (BuilderRefusedException e) {
      return new PlanOutcome.Refused(new PlanningProblem(PlanningProblem.Kind.BUILDER, e.getMessage()));
    } catch (RecipeInputException e) {
      return new PlanOutcome.Refused(new PlanningProblem(PlanningProblem.Kind.RECIPE, e.getMessage()));
    } catch (PythonVersionException e) {
      return new PlanOutcome.Refused(new PlanningProblem(PlanningProblem.Kind.PYTHON, e.getMessage()));
    }
    BuildContext context;
    try {
      context = plan.render();
    } catch (RecipeInputException e) {
      String lockPath = lockFile != null ? lockFile : LockFormats.detect(files, request.format()).lockFile();
      return new PlanOutcome.Refused(new PlanningProblem(PlanningProblem.Kind.BUILD_CONTEXT,
          files.displayName(lockPath) + ": cannot be built: " + e.getMessage()));
    }
    try {
      return new PlanOutcome.Planned(plan, context, runtime(files, request, variant, lockFile, plan));
    } catch (RuntimeInputException | LockInputException e) {
      return new PlanOutcome.Refused(new PlanningProblem(PlanningProblem.Kind.RUNTIME,
          "runtimeGroups: " + e.getMessage()));
    }
  }

  /**
   * What the variant's runtime groups add on top of its image's plan, from the same lock; {@link RuntimePlan#NONE}
   * when it names none. The image's plan and hash do not depend on it.
   *
   * @throws RuntimeInputException for a conflict with the image or a package that cannot be installed at start-up
   * @throws LockInputException for an unknown group
   */
  public static RuntimePlan runtime(ProjectFiles files, PlanningRequest request, VariantRequest variant,
      String lockFile, VariantPlan image) {
    if (!variant.hasRuntimeGroups()) {
      return RuntimePlan.NONE;
    }
    LockFormat format = lockFile == null ? LockFormats.detect(files, request.format())
        : request.format() != null ? request.format() : LockFormats.fromFileName(files, lockFile);
    return RuntimeResolver.resolve(LockResolvers.of(format, lockFile), files, variant.selection(),
        variant.runtimeGroups(), request.target(), image.plan());
  }

  /**
   * @throws dev.envforge.core.lock.LockInputException for bad project files or an unknown group or extra
   * @throws RecipeInputException for a bad recipe input (base image, Python version, platform)
   * @throws PythonVersionException for a Python version the project's requires-python excludes
   * @throws BuilderRefusedException when builder mode assemble is asked for a plan that cannot be assembled
   */
  public static VariantPlan plan(ProjectFiles files, PlanningRequest request, VariantRequest variant) {
    return plan(files, request, variant, null);
  }

  /**
   * The same for a lock file with another name than its format's usual one (requirements-dev.txt,
   * pylock.gpu.toml, conda-linux-64.lock), given relative to the project; null for the usual name.
   */
  public static VariantPlan plan(ProjectFiles files, PlanningRequest request, VariantRequest variant,
      String lockFile) {
    return plan(files, request, variant, lockFile, ParsedFiles.forOnePlanning());
  }

  /** The same, keeping parsed files in the caller's cache (one per operator, or per command-line run). */
  public static VariantPlan plan(ProjectFiles files, PlanningRequest request, VariantRequest variant,
      String lockFile, ParsedFiles parsed) {
    files = readOnce(files);
    LockFormat format = lockFile == null ? LockFormats.detect(files, request.format())
        : request.format() != null ? request.format() : LockFormats.fromFileName(files, lockFile);
    String lockPath = lockFile == null ? format.lockFile() : lockFile;
    if (files.read(lockPath).isEmpty()) {
      throw new LockInputException(files.displayName(lockPath), 0, 0, "no such lock file");
    }
    InstallPlan plan = LockResolvers.of(format, lockFile, parsed).resolve(files, variant.selection(), request.target());
    // the recipe keeps the canonical minor version: every spelling of one version hashes the same
    String python = plan.environment().pythonFullVersion();
    String baseImage = request.baseImage() != null ? request.baseImage() : BuildRecipe.defaultBaseImage(python);
    // checks the recipe inputs before the builder is chosen from them
    BuildRecipe checked = new BuildRecipe(baseImage, python, request.target().platform(), request.installer());
    BuilderChoice builder = BuilderChoice.resolve(request.builderMode(), plan, baseImage, python,
        checked.platform());
    BuildRecipe recipe = new BuildRecipe(baseImage, python, checked.platform(), request.installer(),
        builder.builder());
    ProjectFiles read = files;
    return new VariantPlan(variant.name(), plan, recipe, PlanHasher.hash(plan, recipe),
        () -> PlanHasher.sha256Hex(read.read(lockPath).orElse("")), builder.reason());
  }

  /** The same files, each read at most once during one planning (a large lock is read, checked and digested). */
  private static ProjectFiles readOnce(ProjectFiles files) {
    Map<String, Optional<String>> texts = new HashMap<>();
    return new ProjectFiles() {
      @Override
      public synchronized Optional<String> read(String relativePath) {
        return texts.computeIfAbsent(relativePath, files::read);
      }

      @Override
      public synchronized boolean exists(String relativePath) {
        Optional<String> text = texts.get(relativePath);
        return text != null ? text.isPresent() : files.exists(relativePath);
      }

      @Override
      public String displayName(String relativePath) {
        return files.displayName(relativePath);
      }
    };
  }
}
