package dev.envforge.core.diff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.core.lock.ProjectFiles;
import dev.envforge.core.plan.InstallPlan;
import dev.envforge.core.plan.PlannedPackage;
import dev.envforge.core.plan.Selection;
import dev.envforge.core.planner.EnvironmentPlanner;
import dev.envforge.core.planner.PlanningRequest;
import dev.envforge.core.planner.VariantRequest;
import dev.envforge.testing.Corpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Diffs along the real history of poetry's own lock, checked against a diff computed independently from the plans. */
class PackageDiffTest {
  static InstallPlan plan(Path dir, List<String> groups) {
    return EnvironmentPlanner.plan(ProjectFiles.of(dir), PlanningRequest.DEFAULTS,
        new VariantRequest("x", new Selection(groups, List.of()))).plan();
  }

  static List<Path> history() throws IOException {
    try (Stream<Path> dirs = Files.list(Corpus.dir("history-python-poetry-poetry"))) {
      return dirs.filter(Files::isDirectory).sorted().toList();
    }
  }

  @Test
  void everyStepOfARealLockHistoryIsDiffedExactly() throws IOException {
    List<Path> steps = history();
    int changedSteps = 0;
    for (int i = 1; i < steps.size(); i++) {
      InstallPlan before = plan(steps.get(i - 1), List.of("dev"));
      InstallPlan after = plan(steps.get(i), List.of("dev"));
      PackageDiff diff = PackageDiff.between(before, after);
      Map<String, PlannedPackage> b = byName(before);
      Map<String, PlannedPackage> a = byName(after);
      assertThat(diff.added()).extracting(PackageDiff.Change::name)
          .containsExactlyElementsOf(a.keySet().stream().filter(n -> !b.containsKey(n)).toList());
      assertThat(diff.removed()).extracting(PackageDiff.Change::name)
          .containsExactlyElementsOf(b.keySet().stream().filter(n -> !a.containsKey(n)).toList());
      assertThat(diff.versionChanged()).extracting(PackageDiff.Change::name).containsExactlyElementsOf(
          a.keySet().stream().filter(b::containsKey)
              .filter(n -> !a.get(n).version().equals(b.get(n).version())).toList());
      assertThat(diff.sourceChanged()).extracting(PackageDiff.Change::name).containsExactlyElementsOf(
          a.keySet().stream().filter(b::containsKey)
              .filter(n -> !Objects.equals(a.get(n).source(), b.get(n).source())).toList());
      for (PackageDiff.Change c : diff.versionChanged()) {
        assertThat(c.versionBefore()).isEqualTo(b.get(c.name()).version());
        assertThat(c.versionAfter()).isEqualTo(a.get(c.name()).version());
      }
      changedSteps += diff.isEmpty() ? 0 : 1;
      assertThat(PackageDiff.between(after, before).added()).hasSameSizeAs(diff.removed());
    }
    assertThat(changedSteps).isGreaterThan(5);
    assertThat(PackageDiff.between(plan(steps.get(0), List.of()), plan(steps.get(0), List.of())).isEmpty()).isTrue();
  }

  @Test
  void changesToRequestedPackagesComeFirst() throws IOException {
    List<Path> steps = history();
    int mixedSteps = 0;
    for (int i = 1; i < steps.size(); i++) {
      InstallPlan before = plan(steps.get(i - 1), List.of("dev"));
      InstallPlan after = plan(steps.get(i), List.of("dev"));
      PackageDiff diff = PackageDiff.between(before, after);
      Map<String, PlannedPackage> a = byName(after);
      Map<String, PlannedPackage> b = byName(before);
      diff.added().forEach(c -> assertThat(c.requested()).isEqualTo(after.isRequested(a.get(c.name()))));
      diff.versionChanged().forEach(c -> assertThat(c.requested()).isEqualTo(after.isRequested(a.get(c.name()))));
      diff.removed().forEach(c -> assertThat(c.requested()).isEqualTo(before.isRequested(b.get(c.name()))));
      List<String> lines = diff.lines();
      long requested = lines.stream().filter(l -> l.endsWith("  # requested")).count();
      assertThat(lines.subList(0, (int) requested)).allMatch(l -> l.endsWith("  # requested"));
      assertThat(lines.subList((int) requested, lines.size())).noneMatch(l -> l.endsWith("  # requested"));
      if (requested > 0 && requested < lines.size()) {
        mixedSteps++;
        assertThat(diff.summary(1)).endsWith("  # requested, and " + (lines.size() - 1) + " more");
      }
    }
    assertThat(mixedSteps).as("steps that change requested packages and dependencies at once").isPositive();
  }

  @Test
  void aGitDependencyMovingToAnotherCommitIsASourceChange() throws IOException {
    List<Path> steps = history();
    boolean seen = false;
    for (int i = 1; i < steps.size() && !seen; i++) {
      PackageDiff diff = PackageDiff.between(plan(steps.get(i - 1), List.of()), plan(steps.get(i), List.of()));
      for (PackageDiff.Change c : diff.sourceChanged()) {
        seen = true;
        assertThat(c.sourceBefore()).isNotEqualTo(c.sourceAfter());
        assertThat(diff.lines()).contains("@ " + c.name() + " " + c.sourceBefore() + " -> " + c.sourceAfter()
            + (c.requested() ? "  # requested" : ""));
      }
    }
    assertThat(seen).as("the history holds a source change (poetry-core's git commit)").isTrue();
  }

  @Test
  void summaryAndJsonCarryTheSameChanges() {
    InstallPlan main = plan(Corpus.dir("uv-langchain-ai-langgraph"), List.of());
    InstallPlan lint = plan(Corpus.dir("uv-langchain-ai-langgraph"), List.of("lint"));
    PackageDiff diff = PackageDiff.between(main, lint);
    assertThat(diff.removed()).isEmpty();
    assertThat(diff.added()).isNotEmpty();
    assertThat(diff.summary(2)).startsWith("+" + diff.added().size() + " -0 ~0 source 0: + ")
        .endsWith("and " + (diff.added().size() - 2) + " more");
    assertThat(diff.toJson().get("added")).hasSize(diff.added().size());
    assertThat(diff.toJson().get("added").get(0).get("name").asText()).isEqualTo(diff.added().get(0).name());
  }

  private static Map<String, PlannedPackage> byName(InstallPlan plan) {
    Map<String, PlannedPackage> map = new TreeMap<>();
    plan.packages().forEach(p -> map.put(p.name(), p));
    return map;
  }
}
