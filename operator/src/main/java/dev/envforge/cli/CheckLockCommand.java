package dev.envforge.cli;

import dev.envforge.core.lock.LockFormat;
import dev.envforge.core.lock.LockInputException;
import dev.envforge.core.lock.ProjectFiles;
import dev.envforge.core.lock.toml.Toml;
import dev.envforge.core.lock.toml.TomlTable;
import dev.envforge.core.lockcheck.LintRules;
import dev.envforge.core.lockcheck.LockProblem;
import dev.envforge.core.lockcheck.PoetryLockCheck;
import dev.envforge.core.lockcheck.PyprojectDeclarations;
import dev.envforge.core.lockcheck.UvLockCheck;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "check-lock", mixinStandardHelpOptions = true,
    description = "Exits 1 when poetry.lock or uv.lock is out of date with pyproject.toml (Poetry's content-hash, uv's"
        + " recorded requirements and sources, a dependency or group missing from the lock), or when a dependency"
        + " breaks a lint rule of [tool.envforge.lint].")
final class CheckLockCommand implements Callable<Integer> {
  static final int CHECK_FAILED = Main.EXIT_CHECK_FAILED;
  private static final String PYPROJECT = "pyproject.toml";

  @Parameters(arity = "1..*", paramLabel = "DIR",
      description = "The project folders (each with pyproject.toml and poetry.lock or uv.lock).")
  List<Path> dirs;

  @Option(names = "--json", description = "Print one JSON object: {\"lock\", \"locks\", \"upToDate\", \"passed\","
      + " \"problems\": [{\"file\", \"line\", \"column\", \"check\", \"rule\", \"message\"}]}.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    for (Path dir : dirs) {
      if (!Files.isDirectory(dir)) {
        throw new IllegalArgumentException(dir + ": not a folder (DIR names the project folder)");
      }
    }
    List<String> locks = new ArrayList<>();
    List<LockProblem> problems = new ArrayList<>();
    List<LockProblem> lintProblems = new ArrayList<>();
    boolean anyLint = false;
    for (Path dir : dirs) {
      ProjectFiles files = ProjectFiles.of(dir);
      String pyprojectText = files.read(PYPROJECT).orElseThrow(() -> new LockInputException(
          files.displayName(PYPROJECT), 1, 1, "no such file (check-lock compares the lock with it)"));
      TomlTable pyproject = Toml.parse(files.displayName(PYPROJECT), pyprojectText);
      LintRules lint = LintRules.of(pyproject);
      anyLint |= !lint.isEmpty();
      PyprojectDeclarations declared = PyprojectDeclarations.of(pyproject);
      int locksBefore = locks.size();
      for (LockFormat format : List.of(LockFormat.POETRY, LockFormat.UV)) {
        String name = format.lockFile();
        String text = files.read(name).orElse(null);
        if (text == null) {
          continue;
        }
        locks.add(files.displayName(name));
        TomlTable lock = Toml.parse(files.displayName(name), text);
        problems.addAll(format == LockFormat.POETRY ? PoetryLockCheck.check(pyproject, lock, declared)
            : UvLockCheck.check(files, name, lock));
      }
      if (locks.size() == locksBefore) {
        String other = null;
        for (LockFormat format : LockFormat.values()) {
          if (files.exists(format.lockFile())) {
            other = format.lockFile();
          }
        }
        throw new LockInputException(files.displayName(other == null ? LockFormat.POETRY.lockFile() : other), 1, 1,
            other == null ? "no such file (check-lock looked for poetry.lock and uv.lock next to pyproject.toml)"
                : "check-lock compares poetry.lock or uv.lock with pyproject.toml; " + other
                    + " is not checked by this version");
      }
      lintProblems.addAll(lint.check(declared.dependencies()));
    }
    boolean upToDate = problems.isEmpty();
    problems.addAll(lintProblems);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(json(locks, upToDate, problems));
    } else {
      problems.forEach(out::println);
      if (problems.isEmpty()) {
        out.println(String.join(", ", locks) + ": up to date with pyproject.toml"
            + (anyLint ? "; lint rules pass" : ""));
      } else {
        out.println("# " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s"));
      }
    }
    out.flush();
    return problems.isEmpty() ? 0 : CHECK_FAILED;
  }

  private static String json(List<String> locks, boolean upToDate, List<LockProblem> problems) throws Exception {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("lock", locks.get(0));
    root.put("locks", locks);
    root.put("upToDate", upToDate);
    root.put("passed", problems.isEmpty());
    List<Map<String, Object>> list = new ArrayList<>();
    for (LockProblem p : problems) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("file", p.file());
      item.put("line", p.line());
      item.put("column", p.column());
      item.put("check", p.check());
      item.put("rule", p.rule());
      item.put("message", p.message());
      list.add(item);
    }
    root.put("problems", list);
    return JsonOutput.write(root);
  }
}
