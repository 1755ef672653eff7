package dev.envforge.cli;

import dev.envforge.core.lock.IoMessages;
import dev.envforge.core.planner.VariantPlan;
import dev.envforge.core.recipe.BuildContext;
import dev.envforge.core.text.Texts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "render", mixinStandardHelpOptions = true,
    description = "Writes the build context (Dockerfile and pinned requirements with hashes) of a variant. Files of"
        + " the same names in the folder are replaced; links among them are replaced, never followed.")
final class RenderCommand implements Callable<Integer> {
  @Mixin ProjectOptions project;
  @Mixin RecipeOptions recipe;

  @Option(names = "--out", required = true, paramLabel = "CONTEXT_DIR", description = "Folder to write the context to.")
  Path out;

  @Option(names = "--json", description = "Print one JSON object: {\"variant\", \"tag\", \"hash\", \"files\"}, files"
      + " being the names written to CONTEXT_DIR.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (out != null && Files.exists(out) && !Files.isDirectory(out)) {
      throw new ParameterException(spec.commandLine(), "--out " + Texts.quote(out.toString())
          + ": not a folder (it is a file; name a folder for the build context)");
    }
    VariantPlan plan = project.plan(recipe);
    BuildContext context = plan.render();
    try {
      Files.createDirectories(out);
      for (Map.Entry<String, String> file : context.files().entrySet()) {
        write(out, file.getKey(), file.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the build context to " + Texts.quote(out.toString()) + ": "
          + IoMessages.reason(e), e);
    }
    if (json) {
      spec.commandLine().getOut().println(JsonOutput.render(plan, context.files().keySet()));
    } else {
      spec.commandLine().getOut().println(plan.hash().tag());
    }
    spec.commandLine().getOut().flush();
    return 0;
  }

  /**
   * Writes a new file next to the target and renames it over the target: a link already at the target is replaced
   * itself, so nothing outside the folder is ever written through it, and a reader never sees half a file.
   */
  static void write(Path folder, String name, String text) throws IOException {
    Path target = folder.resolve(name);
    if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(target + " is a folder");
    }
    Path temporary = Files.createTempFile(folder, "." + name + ".", ".tmp"); // O_EXCL: never an existing link
    try {
      Files.writeString(temporary, text, StandardCharsets.UTF_8);
      try {
        Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-r--r--"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: keep what it gives
      }
      try {
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
  }
}
