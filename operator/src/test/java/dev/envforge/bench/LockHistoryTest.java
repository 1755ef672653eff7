package dev.envforge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Properties of the hash over a real project's lock history; the counts themselves are in docs/benchmarks.md. */
class LockHistoryTest {
  static final List<LockHistory.Commit> COMMITS = LockHistory.replay();

  @Test
  void aTagChangesOnlyWhenTheLockOrPyprojectChanged() {
    for (int i = 1; i < COMMITS.size(); i++) {
      LockHistory.Commit c = COMMITS.get(i);
      LockHistory.Commit p = COMMITS.get(i - 1);
      if (!c.lockChanged() && !c.pyprojectChanged()) {
        assertThat(c.mainTag()).as(c.name()).isEqualTo(p.mainTag());
        assertThat(c.devTag()).as(c.name()).isEqualTo(p.devTag());
      }
    }
  }

  @Test
  void tagChangesAreBoundedByFileChanges() {
    LockHistory.Summary summary = LockHistory.summarize(COMMITS);
    assertThat(summary.commits()).isEqualTo(27);
    assertThat(summary.mainTagChanges()).isLessThanOrEqualTo(summary.lockChanges() + summary.pyprojectChanges());
    assertThat(summary.devTagChanges()).isGreaterThanOrEqualTo(1);
  }
}
