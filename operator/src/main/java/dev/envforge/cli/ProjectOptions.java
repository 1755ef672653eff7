package dev.envforge.cli;

import dev.envforge.core.lock.LockFormat;
import dev.envforge.core.lock.ProjectFiles;
import dev.envforge.core.plan.Selection;
import dev.envforge.core.plan.Target;
import dev.envforge.core.planner.EnvironmentPlanner;
import dev.envforge.core.planner.PlanningRequest;
import dev.envforge.core.planner.VariantPlan;
import dev.envforge.core.planner.VariantRequest;
import dev.envforge.core.recipe.BuilderMode;
import dev.envforge.core.recipe.Installer;
import dev.envforge.core.registry.ImageReference;
import dev.envforge.core.text.Texts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The project, variant and target options every command shares. */
final class ProjectOptions {
  @Parameters(index = "0", arity = "0..1", paramLabel = "DIR",
      description = "The project folder (pyproject.toml and its lock); not with -f.")
  Path dir;

  @Option(names = {"-f", "--filename"}, paramLabel = "FILE",
      description = "A PythonEnvironment manifest: plan one of its variants as the operator would, with its source,"
          + " python, platform, base image and installer.")
  Path manifest;

  @Option(names = "--project", paramLabel = "DIR",
      description = "With -f: the project folder of a resource whose source is a ConfigMap (default: the ConfigMaps"
          + " in the same file; an inline source needs none).")
  Path projectDir;

  @Option(names = "--name", paramLabel = "NAME",
      description = "With -f: the PythonEnvironment of that name, when the file holds several.")
  String resourceName;

  @Option(names = "--groups", split = ",", paramLabel = "GROUP",
      description = "Dependency groups to install beyond the main dependencies (conda: categories).")
  List<String> groups = new ArrayList<>();

  @Option(names = "--extras", split = ",", paramLabel = "EXTRA", description = "Extras of the project to install.")
  List<String> extras = new ArrayList<>();

  @Option(names = "--python", paramLabel = "VERSION",
      description = "Target CPython version, 3.x or 3.x.y; the image is for 3.x, and markers on python_full_version"
          + " see 3.x.7 unless a full version is given (default: 3.12 unless requires-python excludes it).")
  String python;

  @Option(names = "--platform", paramLabel = "OS/ARCH",
      description = "Target platform: linux/amd64 or linux/arm64 (default: ${DEFAULT-VALUE}).")
  String platform = Target.DEFAULT_PLATFORM;

  @Option(names = "--format", paramLabel = "FORMAT",
      description = "Lock format: poetry, uv, pylock, conda, requirements (default: detected from the files).")
  String format;

  @Option(names = "--lock", paramLabel = "FILE",
      description = "The lock file, relative to DIR, when it has another name than its format's usual one, such as"
          + " requirements-dev.txt or pylock.gpu.toml (default: found in DIR).")
  String lockFile;

  @Option(names = "--variant", paramLabel = "NAME",
      description = "With DIR: the variant name recorded in the image labels (default: default). With -f: the"
          + " variant of the manifest to plan (default: its only variant).")
  String variant;

  /** The plan of the variant these options name, from a folder or from a manifest. */
  VariantPlan plan(RecipeOptions recipe) {
    if (manifest != null) {
      return fromManifest(recipe).plan();
    }
    return EnvironmentPlanner.plan(files(), planningRequest(recipe), variantRequest(), lockFile);
  }

  /** A manifest's variant: its plan and image reference. */
  record ManifestVariant(ManifestPlanning planning, VariantPlan plan) {
    String image() {
      return planning.image(plan.hash().tag()).toString();
    }
  }

  ManifestVariant fromManifest(RecipeOptions recipe) {
    ManifestPlanning planning = manifestPlanning(recipe);
    return new ManifestVariant(planning, planning.plan(planning.variant(variant)));
  }

  /** The manifest's planning; the flags it decides itself must not be given too. */
  ManifestPlanning manifestPlanning(RecipeOptions recipe) {
    List<String> conflicting = new ArrayList<>();
    if (dir != null) {
      conflicting.add("DIR");
    }
    if (!groups.isEmpty()) {
      conflicting.add("--groups");
    }
    if (!extras.isEmpty()) {
      conflicting.add("--extras");
    }
    if (python != null) {
      conflicting.add("--python");
    }
    if (!Target.DEFAULT_PLATFORM.equals(platform)) {
      conflicting.add("--platform");
    }
    if (format != null) {
      conflicting.add("--format");
    }
    if (lockFile != null) {
      conflicting.add("--lock");
    }
    if (recipe != null && (recipe.baseImage != null || !"uv".equals(recipe.installer)
        || !"auto".equals(recipe.builder))) {
      conflicting.add("--base-image/--installer/--builder");
    }
    if (!conflicting.isEmpty()) {
      throw new IllegalArgumentException("-f reads these from the manifest; do not give " + String.join(", ",
          conflicting));
    }
    return ManifestPlanning.of(ManifestReader.read(manifest, resourceName), projectDir);
  }

  /** CPython 3 versions as images name them: 3.x or 3.x.y, numbers of sane size. */
  private static final Pattern PYTHON = Pattern.compile("3\\.(0|[1-9][0-9]?)(\\.(0|[1-9][0-9]{0,2}))?");
  private static final Pattern VARIANT = Pattern.compile("[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]{0,126}[A-Za-z0-9])?");
  private static final List<String> PLATFORMS = List.of("linux/amd64", "linux/arm64", "linux/arm64/v8");
  private static final List<String> KNOWN_FORMATS = java.util.Arrays.stream(LockFormat.values())
      .map(LockFormat::id).toList();

  @Spec(Spec.Target.MIXEE) CommandSpec command;

  ProjectFiles files() {
    if (dir == null) {
      throw bad("Missing required parameter: 'DIR' (the project folder), or a manifest with -f FILE");
    }
    if (!Files.exists(dir)) {
      throw bad("DIR " + Texts.quote(dir.toString()) + ": no such folder (the project folder with pyproject.toml"
          + " and its lock)");
    }
    if (!Files.isDirectory(dir)) {
      throw bad("DIR " + Texts.quote(dir.toString()) + ": not a folder (give the project folder, not a file in it)");
    }
    checkFormat();
    ProjectFiles files = ProjectFiles.of(dir);
    if (lockFile == null) {
      LockDiscovery.Found found = LockDiscovery.find(dir, files,
          format == null ? null : LockFormat.fromId(format), null);
      lockFile = found.lockFile();
    }
    return files;
  }

  VariantRequest variantRequest() {
    String name = variant == null ? VariantRequest.DEFAULT_NAME : variant;
    check("--variant", name, VARIANT.matcher(name).matches(), "a lower-case name of at most 32 letters,"
        + " digits and dashes");
    for (String group : groups) {
      check("--groups", group, NAME.matcher(group).matches(), "group names of letters, digits, '.', '_' and '-'");
    }
    for (String extra : extras) {
      check("--extras", extra, NAME.matcher(extra).matches(), "extra names of letters, digits, '.', '_' and '-'");
    }
    return new VariantRequest(name, new Selection(groups, extras));
  }

  PlanningRequest planningRequest(RecipeOptions recipe) {
    checkFormat();
    LockFormat lockFormat = format == null ? null : LockFormat.fromId(format);
    if (python != null) {
      check("--python", python, PYTHON.matcher(python).matches(), "a CPython 3 version such as 3.12.7");
    }
    check("--platform", platform, PLATFORMS.contains(platform), "linux/amd64 or linux/arm64");
    if (lockFile != null) {
      Path lock = Path.of(lockFile.isEmpty() || Texts.hasControl(lockFile) ? "." : lockFile).normalize();
      check("--lock", lockFile, !lockFile.isEmpty() && !Texts.hasControl(lockFile) && !lock.isAbsolute()
          && !lock.startsWith("..") && !lock.toString().isEmpty() && !lock.toString().equals("."),
          "a file inside DIR, relative to it");
    }
    Installer installer = Installer.UV;
    BuilderMode builderMode = BuilderMode.AUTO;
    String baseImage = null;
    if (recipe != null) {
      check("--builder", recipe.builder, List.of("auto", "assemble", "kaniko")
          .contains(recipe.builder.toLowerCase(Locale.ROOT)), "auto, assemble or kaniko");
      builderMode = BuilderMode.fromId(recipe.builder);
      check("--installer", recipe.installer, List.of("uv", "pip").contains(recipe.installer.toLowerCase(Locale.ROOT)),
          "uv or pip");
      installer = Installer.fromId(recipe.installer);
      baseImage = recipe.baseImage;
      if (baseImage != null) {
        check("--base-image", baseImage, isImageReference(baseImage),
            "an image reference such as docker.io/library/python:3.12-slim-bookworm");
      }
    }
    return new PlanningRequest(lockFormat, new Target(python, platform), baseImage, installer, builderMode);
  }

  private void checkFormat() {
    if (format != null) {
      check("--format", format, KNOWN_FORMATS.contains(format.toLowerCase(Locale.ROOT)),
          "one of " + String.join(", ", KNOWN_FORMATS));
    }
  }

  private static boolean isImageReference(String text) {
    try {
      ImageReference.parse(text);
      return !Texts.hasControlOrSpace(text);
    } catch (RuntimeException e) {
      return false;
    }
  }

  private void check(String option, String value, boolean valid, String expected) {
    if (!valid) {
      throw bad(option + ": expected " + expected + ", got " + Texts.quote(value));
    }
  }

  private RuntimeException bad(String message) {
    if (command == null) {
      return new QuickStart.HandOver(); // run without picocli: picocli reports bad usage
    }
    return new ParameterException(command.commandLine(), message);
  }
}
