package dev.envforge.operator;

import dev.envforge.api.v1alpha1.Reason;
import dev.envforge.api.v1alpha1.HistoryEntry;
import dev.envforge.api.v1alpha1.PythonEnvironmentSpec;
import dev.envforge.api.v1alpha1.VariantPhase;
import dev.envforge.api.v1alpha1.VariantStatus;
import dev.envforge.core.diff.PackageDiff;
import dev.envforge.core.plan.InstallPlan;
import dev.envforge.core.planner.VariantPlan;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A variant's bounded history of images (status.variants[].history): a new entry each time the variant's image
 * changes, with the package diff against the entry before; and rollback, which takes an image from the history
 * without asking the registry or building.
 */
final class VariantHistory {
  /** How many changes a history entry or an event names before "and N more". */
  static final int CHANGES_SHOWN = 8;

  private VariantHistory() {}

  /**
   * The status of a variant whose plan is one it had an image for before, or null when it is not a rollback (a new
   * plan, the same plan as now, or a new rebuild token, which asks for a build).
   */
  static VariantStatus rollback(VariantStatus before, VariantPlan plan, long generation, String rebuildToken) {
    if (before == null || before.getHistory() == null || plan.hash().hex().equals(before.getHash())
        || !Objects.equals(rebuildToken, before.getRebuildToken())) {
      return null;
    }
    HistoryEntry earlier = null;
    for (HistoryEntry e : before.getHistory()) {
      if (plan.hash().hex().equals(e.getHash()) && e.getImage() != null) {
        earlier = e;
      }
    }
    if (earlier == null) {
      return null;
    }
    VariantStatus v = new VariantStatus(plan.variant());
    v.setHash(plan.hash().hex());
    v.setTag(plan.hash().tag());
    v.setImage(earlier.getImage());
    v.setPhase(VariantPhase.Cached);
    v.setReason(Reason.ROLLED_BACK);
    v.setMessage("back to the image this variant used since " + earlier.getSince() + "; nothing to build");
    VariantProjection.setPlanFacts(v, plan);
    v.setGeneration(generation);
    v.setRebuildToken(before.getRebuildToken());
    return v;
  }

  /** Sets {@code after}'s history: the previous one, plus an entry when the variant now has another image. */
  static void record(VariantStatus before, VariantStatus after, VariantPlan plan, int limit, PlanMemory plans,
      Clock clock) {
    List<HistoryEntry> history = collapse(before == null ? null : before.getHistory());
    if (StatusAggregator.hasImage(after)) {
      HistoryEntry last = history.isEmpty() ? null : history.get(history.size() - 1);
      if (last == null || !after.getHash().equals(last.getHash()) || !after.getImage().equals(last.getImage())) {
        boolean rollback = last != null && !after.getHash().equals(last.getHash())
            && history.stream().anyMatch(e -> after.getHash().equals(e.getHash()));
        history.add(new HistoryEntry(after.getHash(), after.getImage(),
            Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString(), rollback ? Boolean.TRUE : null,
            last == null ? null : changes(plans.get(last.getHash()), plan.plan())).withLog(builtLog(after)));
      } else if (last.getLog() == null && builtLog(after) != null) {
        // the log is stored after the image is adopted when the registry refused it at first
        history.set(history.size() - 1, last.withLog(builtLog(after)));
      }
    }
    while (history.size() > limit) {
      history.remove(0);
    }
    after.setHistory(history.isEmpty() ? null : history);
  }

  /**
   * The history without repeats: consecutive entries of one image are one entry, since its earliest time. (A
   * reconcile that read a status older than the last write would otherwise add the same image twice.)
   */
  static List<HistoryEntry> collapse(List<HistoryEntry> entries) {
    List<HistoryEntry> out = new ArrayList<>();
    if (entries == null) {
      return out;
    }
    for (HistoryEntry e : entries) {
      HistoryEntry last = out.isEmpty() ? null : out.get(out.size() - 1);
      if (last != null && Objects.equals(last.getHash(), e.getHash()) && Objects.equals(last.getImage(),
          e.getImage())) {
        if (e.getSince() != null && (last.getSince() == null || e.getSince().compareTo(last.getSince()) < 0)) {
          out.set(out.size() - 1, new HistoryEntry(last.getHash(), last.getImage(), e.getSince(),
              last.getRollback(), last.getChanges()).withLog(last.getLog() != null ? last.getLog() : e.getLog()));
        }
        continue;
      }
      out.add(e);
    }
    return out;
  }

  /** The log artifact of the build that made the variant's current image, or null when it has none. */
  static String builtLog(VariantStatus v) {
    return v.getPhase() == VariantPhase.Succeeded && v.getBuildLog() != null ? v.getBuildLog().getArtifact() : null;
  }

  /** The diff from an earlier plan, or why there is none. */
  static String changes(InstallPlan earlier, InstallPlan now) {
    if (earlier == null) {
      return "unknown: the previous plan is no longer in this operator's memory";
    }
    return PackageDiff.between(earlier, now).summary(CHANGES_SHOWN);
  }

  /** The plan a variant's image was last built from, for the diff of a build about to start. */
  static String changesSince(VariantStatus before, VariantPlan plan, PlanMemory plans) {
    if (before == null) {
      return null;
    }
    String hash = before.getHistory() != null && !before.getHistory().isEmpty()
        ? before.getHistory().get(before.getHistory().size() - 1).getHash() : before.getImage() != null
            ? before.getHash() : null;
    return hash == null || hash.equals(plan.hash().hex()) ? null : changes(plans.get(hash), plan.plan());
  }

  /** The history length a resource asks for. */
  static int limit(PythonEnvironmentSpec spec) {
    return spec == null || spec.getHistoryLimit() == null ? PythonEnvironmentSpec.DEFAULT_HISTORY_LIMIT
        : Math.max(1, Math.min(PythonEnvironmentSpec.MAX_HISTORY_LIMIT, spec.getHistoryLimit()));
  }
}
