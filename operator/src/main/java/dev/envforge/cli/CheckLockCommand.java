package dev.envforge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.envforge.core.lock.LockFormat;
import dev.envforge.core.lock.LockInputException;
import dev.envforge.core.lock.ProjectFiles;
import dev.envforge.core.lock.poetry.PoetryContentHash;
import dev.envforge.core.lock.toml.Location;
import dev.envforge.core.lock.toml.Toml;
import dev.envforge.core.lock.toml.TomlTable;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "check-lock", mixinStandardHelpOptions = true,
    description = "Exits 1 when the lock is out of date with pyproject.toml (Poetry's content-hash).")
final class CheckLockCommand implements Callable<Integer> {
  static final int CHECK_FAILED = 1;

  @Parameters(index = "0", paramLabel = "DIR", description = "The project folder (pyproject.toml and poetry.lock).")
  Path dir;

  @Option(names = "--json", description = "Print one JSON object: {\"lock\", \"upToDate\", \"problems\": [{\"file\","
      + " \"line\", \"column\", \"message\"}]}.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(dir + ": not a folder (DIR names the project folder)");
    }
    ProjectFiles files = ProjectFiles.of(dir);
    String lockName = LockFormat.POETRY.lockFile();
    String lockText = files.read(lockName).orElse(null);
    if (lockText == null) {
      String other = null;
      for (LockFormat format : LockFormat.values()) {
        if (files.read(format.lockFile()).isPresent()) {
          other = format.lockFile();
        }
      }
      throw new LockInputException(files.displayName(other == null ? lockName : other), 1, 1, other == null
          ? "no such file (check-lock compares poetry.lock with pyproject.toml)"
          : "check-lock compares poetry.lock with pyproject.toml; " + other + " is not checked by this version");
    }
    String pyprojectText = files.read("pyproject.toml").orElseThrow(() -> new LockInputException(
        files.displayName("pyproject.toml"), 1, 1, "no such file (check-lock compares the lock with it)"));
    TomlTable lock = Toml.parse(files.displayName(lockName), lockText);
    TomlTable pyproject = Toml.parse(files.displayName("pyproject.toml"), pyprojectText);
    TomlTable metadata = lock.table("metadata");
    if (metadata == null || metadata.string("content-hash") == null) {
      throw (metadata == null ? lock : metadata).error("no [metadata] content-hash; regenerate the lock with"
          + " poetry lock");
    }
    String recorded = metadata.string("content-hash");
    String actual = PoetryContentHash.of(pyproject);
    boolean upToDate = recorded.equals(actual);
    Location where = metadata.location("content-hash");
    String problem = where + ": content-hash " + recorded + " does not match pyproject.toml (its dependencies,"
        + " groups, sources or extras hash to " + actual + "); run poetry lock";
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      ObjectNode root = mapper.createObjectNode();
      root.put("lock", files.displayName(lockName));
      root.put("upToDate", upToDate);
      var problems = root.putArray("problems");
      if (!upToDate) {
        problems.addObject().put("file", where.file()).put("line", where.line()).put("column", where.column())
            .put("message", "content-hash does not match pyproject.toml; run poetry lock");
      }
      out.println(mapper.writeValueAsString(root));
    } else if (upToDate) {
      out.println(files.displayName(lockName) + ": up to date with pyproject.toml");
    } else {
      out.println(problem);
    }
    out.flush();
    return upToDate ? 0 : CHECK_FAILED;
  }
}
