package dev.envforge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.envforge.core.diff.PackageDiff;
import dev.envforge.core.lock.LockFormat;
import dev.envforge.core.lock.ProjectFiles;
import dev.envforge.core.plan.Selection;
import dev.envforge.core.plan.Target;
import dev.envforge.core.planner.EnvironmentPlanner;
import dev.envforge.core.planner.PlanningRequest;
import dev.envforge.core.planner.VariantPlan;
import dev.envforge.core.planner.VariantRequest;
import dev.envforge.core.recipe.Installer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "diff", mixinStandardHelpOptions = true,
    description = "Prints the packages a variant adds, removes, moves to another version or takes from another"
        + " source between two versions of a project: two folders (OLD NEW), or git revisions of one folder"
        + " (DIR --git REV compares REV with the working tree; --git REV1 --git REV2 compares two revisions).")
final class DiffCommand implements Callable<Integer> {
  private static final Pattern REVISION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/~^@{}-]*");

  @Parameters(arity = "1..2", paramLabel = "DIR", description = "OLD and NEW project folders, or one with --git.")
  List<Path> dirs;

  @Option(names = "--git", paramLabel = "REV", description = "A git revision of DIR (at most twice).")
  List<String> revisions = new ArrayList<>();

  @Option(names = "--groups", split = ",", paramLabel = "GROUP",
      description = "Dependency groups to install beyond the main dependencies (conda: categories).")
  List<String> groups = new ArrayList<>();

  @Option(names = "--extras", split = ",", paramLabel = "EXTRA", description = "Extras of the project to install.")
  List<String> extras = new ArrayList<>();

  @Option(names = "--python", paramLabel = "VERSION", description = "Target CPython version, such as 3.12.7.")
  String python;

  @Option(names = "--platform", paramLabel = "OS/ARCH", defaultValue = Target.DEFAULT_PLATFORM,
      description = "Target platform: linux/amd64 or linux/arm64 (default: ${DEFAULT-VALUE}).")
  String platform;

  @Option(names = "--format", paramLabel = "FORMAT",
      description = "Lock format: poetry, uv, pylock, conda, requirements (default: detected from the files).")
  String format;

  @Option(names = "--lock", paramLabel = "FILE", description = "The lock file, relative to the project folder.")
  String lockFile;

  @Option(names = "--json", description = "Print one JSON object: added, removed, version_changed,"
      + " source_changed.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    List<ProjectFiles> versions = versions();
    PlanningRequest request = new PlanningRequest(format == null ? null : LockFormat.fromId(format),
        new Target(python, platform), null, Installer.UV);
    VariantRequest variant = new VariantRequest(VariantRequest.DEFAULT_NAME, new Selection(groups, extras));
    VariantPlan before = EnvironmentPlanner.plan(versions.get(0), request, variant, lockFile);
    VariantPlan after = EnvironmentPlanner.plan(versions.get(1), request, variant, lockFile);
    PackageDiff diff = PackageDiff.between(before.plan(), after.plan());
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ObjectNode node = diff.toJson();
      node.put("tag_before", before.hash().tag());
      node.put("tag_after", after.hash().tag());
      out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(node));
    } else {
      diff.lines().forEach(out::println);
      out.println("# " + diff.counts() + "; tag " + before.hash().tag() + " -> " + after.hash().tag());
    }
    out.flush();
    return 0;
  }

  private List<ProjectFiles> versions() {
    if (revisions.size() > 2) {
      throw new IllegalArgumentException("--git: give at most two revisions");
    }
    for (Path dir : dirs) {
      if (!Files.isDirectory(dir)) {
        throw new IllegalArgumentException(dir + ": not a folder");
      }
    }
    if (revisions.isEmpty()) {
      if (dirs.size() != 2) {
        throw new IllegalArgumentException("give two folders (OLD NEW), or one folder with --git REV");
      }
      return List.of(ProjectFiles.of(dirs.get(0)), ProjectFiles.of(dirs.get(1)));
    }
    if (dirs.size() != 1) {
      throw new IllegalArgumentException("with --git, give one folder: the project inside a git work tree");
    }
    for (String rev : revisions) {
      if (!REVISION.matcher(rev).matches()) {
        throw new IllegalArgumentException("--git: not a revision: " + dev.envforge.core.text.Texts.quote(rev));
      }
    }
    Path dir = dirs.get(0);
    ProjectFiles old = gitFiles(dir, revisions.get(0));
    return List.of(old, revisions.size() == 2 ? gitFiles(dir, revisions.get(1)) : ProjectFiles.of(dir));
  }

  /** The project's files as they were at a revision, read with git show (no shell; the revision is checked). */
  static ProjectFiles gitFiles(Path dir, String revision) {
    return new ProjectFiles() {
      @Override
      public Optional<String> read(String relativePath) {
        String path = "./" + Path.of(relativePath).normalize();
        ProcessBuilder pb = new ProcessBuilder("git", "-C", dir.toString(), "show", revision + ":" + path)
            .redirectError(ProcessBuilder.Redirect.DISCARD);
        try {
          Process p = pb.start();
          ByteArrayOutputStream bytes = new ByteArrayOutputStream();
          try (InputStream in = p.getInputStream()) {
            in.transferTo(bytes);
          }
          int code = p.waitFor();
          return code == 0 ? Optional.of(bytes.toString(StandardCharsets.UTF_8)) : Optional.empty();
        } catch (IOException e) {
          throw new UncheckedIOException("cannot run git", e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while running git", e);
        }
      }

      @Override
      public String displayName(String relativePath) {
        return revision + ":" + dir.resolve(relativePath).normalize();
      }
    };
  }
}
