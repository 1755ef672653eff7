package dev.envforge.bench;

import dev.envforge.core.lock.ProjectFiles;
import dev.envforge.core.plan.Selection;
import dev.envforge.core.planner.EnvironmentPlanner;
import dev.envforge.core.planner.PlanningRequest;
import dev.envforge.core.planner.VariantRequest;
import dev.envforge.testing.Corpus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Replays the 28-commit lock history of python-poetry/poetry and counts, per variant, how many commits change
 * envforge's tag against how many change the lock file's bytes.
 */
public final class LockHistory {
  /** One commit: its folder name, whether the lock or pyproject bytes changed, and the tag per variant. */
  public record Commit(String name, boolean lockChanged, boolean pyprojectChanged, String mainTag, String devTag) {}

  /** The counts over all commits after the first. */
  public record Summary(int commits, int lockChanges, int pyprojectChanges, int mainTagChanges, int devTagChanges) {}

  private LockHistory() {}

  public static List<Commit> replay() {
    Path root = Corpus.dir("history-python-poetry-poetry");
    List<Path> folders;
    try (Stream<Path> list = Files.list(root)) {
      folders = list.filter(Files::isDirectory).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Commit> commits = new ArrayList<>();
    String previousLock = null;
    String previousPyproject = null;
    for (Path folder : folders) {
      String lock = read(folder.resolve("poetry.lock"));
      String pyproject = read(folder.resolve("pyproject.toml"));
      ProjectFiles files = ProjectFiles.of(folder);
      String main = tag(files, Selection.MAIN);
      String dev = tag(files, new Selection(List.of("dev"), List.of()));
      commits.add(new Commit(folder.getFileName().toString(), previousLock != null && !lock.equals(previousLock),
          previousPyproject != null && !pyproject.equals(previousPyproject), main, dev));
      previousLock = lock;
      previousPyproject = pyproject;
    }
    return commits;
  }

  public static Summary summarize(List<Commit> commits) {
    int lock = 0;
    int pyproject = 0;
    int main = 0;
    int dev = 0;
    for (int i = 1; i < commits.size(); i++) {
      Commit c = commits.get(i);
      Commit p = commits.get(i - 1);
      lock += c.lockChanged() ? 1 : 0;
      pyproject += c.pyprojectChanged() ? 1 : 0;
      main += Objects.equals(c.mainTag(), p.mainTag()) ? 0 : 1;
      dev += Objects.equals(c.devTag(), p.devTag()) ? 0 : 1;
    }
    return new Summary(commits.size() - 1, lock, pyproject, main, dev);
  }

  static String tag(ProjectFiles files, Selection selection) {
    return EnvironmentPlanner.plan(files, PlanningRequest.DEFAULTS, new VariantRequest("v", selection)).hash().tag();
  }

  private static String read(Path path) {
    try {
      return Files.readString(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Prints the per-commit table and the summary as Markdown. */
  public static void main(String[] args) {
    List<Commit> commits = replay();
    System.out.println("| commit | lock bytes changed | pyproject changed | main tag | main+dev tag |");
    System.out.println("|---|---|---|---|---|");
    for (int i = 0; i < commits.size(); i++) {
      Commit c = commits.get(i);
      Commit p = i == 0 ? null : commits.get(i - 1);
      System.out.printf("| %s | %s | %s | %s%s | %s%s |%n", c.name(), yes(c.lockChanged()),
          yes(c.pyprojectChanged()), c.mainTag(), p != null && !p.mainTag().equals(c.mainTag()) ? " (new)" : "",
          c.devTag(), p != null && !p.devTag().equals(c.devTag()) ? " (new)" : "");
    }
    System.out.println();
    System.out.println(summarize(commits));
  }

  private static String yes(boolean b) {
    return b ? "yes" : "no";
  }
}
