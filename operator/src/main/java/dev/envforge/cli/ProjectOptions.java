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
import dev.envforge.core.registry.ImageReference;
import dev.envforge.core.text.Texts;
import java.util.Locale;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

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

  /** CPython 3 versions as images name them: 3.x or 3.x.y, numbers of sane size. */
  private static final Pattern PYTHON = Pattern.compile("3\\.(0|[1-9][0-9]?)(\\.(0|[1-9][0-9]{0,2}))?");
  private static final Pattern VARIANT = Pattern.compile("[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]{0,126}[A-Za-z0-9])?");
  private static final List<String> PLATFORMS = List.of("linux/amd64", "linux/arm64", "linux/arm64/v8");

  @Spec(Spec.Target.MIXEE) CommandSpec command;

  ProjectFiles files() {
    if (!Files.exists(dir)) {
      throw bad("DIR " + Texts.quote(dir.toString()) + ": no such folder (the project folder with pyproject.toml"
          + " and its lock)");
    }
    if (!Files.isDirectory(dir)) {
      throw bad("DIR " + Texts.quote(dir.toString()) + ": not a folder (give the project folder, not a file in it)");
    }
    return ProjectFiles.of(dir);
  }

  VariantRequest variantRequest() {
    check("--variant", variant, VARIANT.matcher(variant).matches(), "a lower-case name of at most 32 letters,"
        + " digits and dashes");
    for (String group : groups) {
      check("--groups", group, NAME.matcher(group).matches(), "group names of letters, digits, '.', '_' and '-'");
    }
    for (String extra : extras) {
      check("--extras", extra, NAME.matcher(extra).matches(), "extra names of letters, digits, '.', '_' and '-'");
    }
    return new VariantRequest(variant, new Selection(groups, extras));
  }

  PlanningRequest planningRequest(RecipeOptions recipe) {
    LockFormat lockFormat = null;
    if (format != null) {
      check("--format", format, KNOWN_FORMATS.contains(format.toLowerCase(Locale.ROOT)),
          "one of " + String.join(", ", KNOWN_FORMATS));
      lockFormat = LockFormat.fromId(format);
    }
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
    String baseImage = null;
    if (recipe != null) {
      check("--installer", recipe.installer, List.of("uv", "pip").contains(recipe.installer.toLowerCase(Locale.ROOT)),
          "uv or pip");
      installer = Installer.fromId(recipe.installer);
      baseImage = recipe.baseImage;
      if (baseImage != null) {
        check("--base-image", baseImage, isImageReference(baseImage),
            "an image reference such as docker.io/library/python:3.12-slim-bookworm");
      }
    }
    return new PlanningRequest(lockFormat, new Target(python, platform), baseImage, installer);
  }

  private static final List<String> KNOWN_FORMATS = java.util.Arrays.stream(LockFormat.values())
      .map(LockFormat::id).toList();

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

  private ParameterException bad(String message) {
    return new ParameterException(command.commandLine(), message);
  }
}
