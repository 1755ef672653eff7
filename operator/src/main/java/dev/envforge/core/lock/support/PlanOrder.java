package dev.envforge.core.lock.support;

import dev.envforge.core.pep.PepSyntaxException;
import dev.envforge.core.pep.Version;
import dev.envforge.core.plan.Artifact;
import dev.envforge.core.plan.PlannedPackage;
import java.util.Comparator;

/** The orders of an install plan's lists. */
public final class PlanOrder {
  private PlanOrder() {}

  /**
   * Packages by name, then PEP 440 version (text order where a version is not PEP 440, as conda's may not be),
   * then manager and URL.
   */
  public static final Comparator<PlannedPackage> PACKAGES = Comparator.comparing(PlannedPackage::name)
      .thenComparing(PlannedPackage::version, PlanOrder::compareVersions)
      .thenComparing(p -> p.manager() == null ? "" : p.manager())
      .thenComparing(p -> p.source() == null || p.source().url() == null ? "" : p.source().url());

  /** Artifacts by file name, then URL and hash (null first). */
  public static final Comparator<Artifact> ARTIFACTS = Comparator
      .comparing(Artifact::filename, Comparator.nullsFirst(Comparator.<String>naturalOrder()))
      .thenComparing(Artifact::url, Comparator.nullsFirst(Comparator.<String>naturalOrder()))
      .thenComparing(Artifact::hash, Comparator.nullsFirst(Comparator.<String>naturalOrder()));

  static int compareVersions(String a, String b) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : -1) : 1;
    }
    try {
      return Version.parse(a).compareTo(Version.parse(b));
    } catch (PepSyntaxException e) {
      return a.compareTo(b);
    }
  }
}
