package dev.envforge.cli;

import dev.envforge.core.lock.LockFormat;
import dev.envforge.core.lock.ProjectFiles;
import dev.envforge.core.plan.Selection;
import dev.envforge.core.plan.Target;
import dev.envforge.core.planner.PlanningRequest;
import dev.envforge.core.planner.VariantRequest;
import dev.envforge.core.recipe.Installer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The project, variant and target options every command shares. */
final class ProjectOptions {
  @Parameters(index = "0", paramLabel = "DIR", description = "The project folder (pyproject.toml and its lock).")
  Path dir;

  @Option(names = "--groups", split = ",", paramLabel = "GROUP",
      description = "Dependency groups to install beyond the main dependencies (conda: categories).")
  List<String> groups = new ArrayList<>();

  @Option(names = "--extras", split = ",", paramLabel = "EXTRA", description = "Extras of the project to install.")
  List<String> extras = new ArrayList<>();

  @Option(names = "--python", paramLabel = "VERSION",
      description = "Target CPython version, such as 3.12.7 (default: 3.12.7 unless requires-python excludes it).")
  String python;

  @Option(names = "--platform", paramLabel = "OS/ARCH", defaultValue = Target.DEFAULT_PLATFORM,
      description = "Target platform: linux/amd64 or linux/arm64 (default: ${DEFAULT-VALUE}).")
  String platform;

  @Option(names = "--format", paramLabel = "FORMAT",
      description = "Lock format: poetry, uv, pylock, conda, requirements (default: detected from the files).")
  String format;

  @Option(names = "--lock", paramLabel = "FILE",
      description = "The lock file, relative to DIR, when it has another name than its format's usual one, such as"
          + " requirements-dev.txt or pylock.gpu.toml (default: found in DIR).")
  String lockFile;

  @Option(names = "--variant", paramLabel = "NAME", defaultValue = VariantRequest.DEFAULT_NAME,
      description = "Variant name recorded in the image labels (default: ${DEFAULT-VALUE}).")
  String variant;

  ProjectFiles files() {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(dir + ": not a folder");
    }
    return ProjectFiles.of(dir);
  }

  VariantRequest variantRequest() {
    return new VariantRequest(variant, new Selection(groups, extras));
  }

  PlanningRequest planningRequest(RecipeOptions recipe) {
    LockFormat lockFormat = format == null ? null : LockFormat.fromId(format);
    Installer installer = recipe == null ? Installer.UV : Installer.fromId(recipe.installer);
    String baseImage = recipe == null ? null : recipe.baseImage;
    return new PlanningRequest(lockFormat, new Target(python, platform), baseImage, installer);
  }
}
