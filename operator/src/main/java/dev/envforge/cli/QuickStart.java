package dev.envforge.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs {@code hash} and {@code resolve} without picocli's set-up when their arguments are plain: picocli reads the
 * commands' annotations by reflection, which costs more CPU than hashing a large lock. Any argument this parser does
 * not take as picocli would (help, an unknown or clustered option, an {@code @file}, a value that looks like an option,
 * a second folder, a flag picocli would refuse) leaves the whole run to picocli, so the commands behave the same either
 * way; both commands only read, so a run handed over after a refused value has changed nothing.
 */
final class QuickStart {
  /** Thrown where picocli would report bad usage: the run is handed to picocli, which reports it. */
  static final class HandOver extends RuntimeException {
    HandOver() {
      super(null, null, false, false);
    }
  }

  private QuickStart() {}

  /** The exit code, or null when picocli must run the command. */
  static Integer run(PrintWriter out, PrintWriter err, String[] args) {
    if (args.length == 0 || !(args[0].equals("hash") || args[0].equals("resolve"))) {
      return null;
    }
    ProjectOptions project = new ProjectOptions();
    RecipeOptions recipe = new RecipeOptions();
    boolean json = false;
    boolean debug = false;
    List<String> groups = new ArrayList<>();
    List<String> extras = new ArrayList<>();
    Set<String> given = new HashSet<>();
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      if (arg.isEmpty() || arg.startsWith("@")) {
        return null;
      }
      if (!arg.startsWith("-")) {
        if (project.dir != null) {
          return null;
        }
        project.dir = path(arg);
        if (project.dir == null) {
          return null;
        }
        continue;
      }
      if (arg.equals("--json") || arg.equals(Main.DEBUG)) {
        if (!given.add(arg)) {
          return null; // given twice: picocli decides
        }
        json |= arg.equals("--json");
        debug |= arg.equals(Main.DEBUG);
        continue;
      }
      if (i + 1 >= args.length || args[i + 1].startsWith("-") || args[i + 1].startsWith("@")) {
        return null;
      }
      String value = args[++i];
      if (!arg.equals("--groups") && !arg.equals("--extras") && !given.add(arg.equals("-f") ? "--filename" : arg)) {
        return null; // picocli refuses a single-value option given twice
      }
      switch (arg) {
        case "-f", "--filename" -> project.manifest = path(value);
        case "--project" -> project.projectDir = path(value);
        case "--name" -> project.resourceName = value;
        case "--groups" -> groups.addAll(List.of(value.split(",", -1)));
        case "--extras" -> extras.addAll(List.of(value.split(",", -1)));
        case "--python" -> project.python = value;
        case "--platform" -> project.platform = value;
        case "--format" -> project.format = value;
        case "--lock" -> project.lockFile = value;
        case "--variant" -> project.variant = value;
        case "--base-image" -> recipe.baseImage = value;
        case "--installer" -> recipe.installer = value;
        case "--builder" -> recipe.builder = value;
        default -> {
          return null;
        }
      }
    }
    if (given.contains("--filename") && project.manifest == null
        || given.contains("--project") && project.projectDir == null || groups.contains("") || extras.contains("")) {
      return null; // a path picocli refuses, or an empty item: picocli decides
    }
    project.groups = groups;
    project.extras = extras;
    try {
      return args[0].equals("hash") ? HashCommand.print(out, project, recipe, json)
          : ResolveCommand.print(out, project, recipe, json);
    } catch (HandOver e) {
      return null;
    } catch (Exception | StackOverflowError | OutOfMemoryError e) {
      return Main.report(err, e, debug);
    } finally {
      out.flush();
    }
  }

  /** The path, or null when picocli would refuse it as a value. */
  private static Path path(String text) {
    try {
      return Path.of(text);
    } catch (java.nio.file.InvalidPathException e) {
      return null;
    }
  }
}
