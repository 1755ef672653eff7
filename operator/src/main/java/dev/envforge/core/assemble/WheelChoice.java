package dev.envforge.core.assemble;

import dev.envforge.core.pep.MarkerEnvironment;
import dev.envforge.core.pep.WheelTags;
import dev.envforge.core.plan.Artifact;
import dev.envforge.core.plan.PackageSource;
import dev.envforge.core.plan.PlannedPackage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The wheel pip picks for a package on the base image's interpreter: among the lock's wheels whose tags the interpreter
 * supports (CPython X.Y on glibc Linux up to the base's glibc version), the one whose best tag comes first in
 * {@code packaging.tags.sys_tags()} order (most specific ABI and newest manylinux first, {@code abi3}, then pure
 * wheels). Packages that would need a build (an sdist only, a git or archive URL) or whose wheel has no sha256 in the
 * lock cannot be assembled; {@link Choice#refusal()} says why, so the caller builds with the Kaniko recipe.
 */
public final class WheelChoice {
  private static final Pattern SHA256 = Pattern.compile("sha256:([0-9a-f]{64})");

  /** The base's interpreter and libc: CPython X.Y, machine ({@code x86_64}, {@code aarch64}) and glibc 2.N. */
  public record Interpreter(String pythonVersion, String machine, int glibcMinor) {
    public int minor() {
      return Integer.parseInt(pythonVersion.split("\\.")[1]);
    }
  }

  /** What every refusal ends with: what the caller does instead. */
  static final String USE_KANIKO =
      "; the assembler installs wheels only, build this environment with the Kaniko recipe";

  /** The chosen wheel and its sha256 (hex), or a refusal. */
  public record Choice(PlannedPackage pkg, Artifact wheel, String sha256, String refusal) {
    public boolean isAssemblable() {
      return refusal == null;
    }

    /** Why the package cannot be assembled, without the advice: "package foo 1.0 has ...", or null. */
    public String why() {
      return refusal == null || !refusal.endsWith(USE_KANIKO) ? refusal
          : refusal.substring(0, refusal.length() - USE_KANIKO.length());
    }
  }

  private WheelChoice() {}

  public static Choice choose(PlannedPackage pkg, Interpreter interpreter) {
    return forInterpreter(interpreter).choose(pkg);
  }

  /** A chooser for one interpreter, which ranks its supported tags once for all the packages of a plan. */
  public static Chooser forInterpreter(Interpreter interpreter) {
    return new Chooser(interpreter);
  }

  /** Chooses the wheels of many packages for one interpreter. */
  public static final class Chooser {
    private final Interpreter interpreter;
    private final Map<String, Integer> rank = new HashMap<>();
    private final MarkerEnvironment environment;

    private Chooser(Interpreter interpreter) {
      this.interpreter = interpreter;
      List<String> order = supportedTags(interpreter);
      for (int i = 0; i < order.size(); i++) {
        rank.putIfAbsent(order.get(i), i);
      }
      this.environment = MarkerEnvironment.linuxCPython(interpreter.pythonVersion(), interpreter.machine());
    }

    public Choice choose(PlannedPackage pkg) {
      return WheelChoice.choose(pkg, interpreter, rank, environment);
    }
  }

  private static Choice choose(PlannedPackage pkg, Interpreter interpreter, Map<String, Integer> rank,
      MarkerEnvironment environment) {
    if (pkg.manager() != null) {
      return refuse(pkg, "is a conda package");
    }
    PackageSource source = pkg.source();
    if (source != null && source.type() == PackageSource.Type.GIT) {
      return refuse(pkg, "comes from git and must be built from source");
    }
    Artifact best = null;
    int bestRank = Integer.MAX_VALUE;
    boolean named = false;
    boolean anyWheel = false;
    for (Artifact artifact : pkg.artifacts()) {
      String name = artifact.filename();
      if (name == null) {
        continue; // a requirements file's --hash: a file the lock does not name
      }
      named = true;
      anyWheel |= name.toLowerCase(Locale.ROOT).endsWith(".whl");
      if (!name.toLowerCase(Locale.ROOT).endsWith(".whl") || !WheelTags.isCompatibleWheel(name, environment)) {
        continue;
      }
      int r = bestRank(name, rank);
      if (r < bestRank || r == bestRank && best != null && name.compareTo(best.filename()) < 0) {
        best = artifact;
        bestRank = r;
      }
    }
    if (best == null) {
      boolean url = source != null && source.type() == PackageSource.Type.URL;
      if (!url && !named) {
        return refuse(pkg, "has no file names in the lock (" + (pkg.artifacts().isEmpty() ? "no files at all"
            : "only hashes, as in a requirements file") + "), so its wheel cannot be chosen");
      }
      return refuse(pkg, url ? "comes from a URL to an archive that must be built"
          : "has no wheel for CPython " + interpreter.pythonVersion() + " on " + interpreter.machine()
              + " with glibc 2." + interpreter.glibcMinor() + (anyWheel
                  ? " (its wheels are for other platforms or a newer glibc)"
                  : " (only an sdist, which must be built)"));
    }
    Matcher sha = best.hash() == null ? null : SHA256.matcher(best.hash().toLowerCase(Locale.ROOT));
    if (sha == null || !sha.matches()) {
      return refuse(pkg, "has no sha256 for " + best.filename() + " in the lock, so the download cannot be checked");
    }
    return new Choice(pkg, best, sha.group(1), null);
  }

  private static Choice refuse(PlannedPackage pkg, String why) {
    return new Choice(pkg, null, null, "package " + pkg.name() + " " + pkg.version() + " " + why + USE_KANIKO);
  }

  private static int bestRank(String wheelName, Map<String, Integer> rank) {
    String stem = wheelName.substring(0, wheelName.length() - 4);
    String[] parts = stem.split("-");
    int n = parts.length;
    int best = Integer.MAX_VALUE;
    for (String py : parts[n - 3].toLowerCase(Locale.ROOT).split("\\.")) {
      for (String abi : parts[n - 2].toLowerCase(Locale.ROOT).split("\\.")) {
        for (String plat : parts[n - 1].toLowerCase(Locale.ROOT).split("\\.")) {
          Integer r = rank.get(py + "-" + abi + "-" + plat);
          if (r != null && r < best) {
            best = r;
          }
        }
      }
    }
    return best;
  }

  /** {@code packaging.tags.sys_tags()} of CPython X.Y on glibc Linux, most preferred first. */
  static List<String> supportedTags(Interpreter interpreter) {
    int minor = interpreter.minor();
    String cp = "cp3" + minor;
    List<String> platforms = platforms(interpreter);
    List<String> tags = new ArrayList<>();
    for (String abi : new String[] {cp, "abi3", "none"}) {
      for (String plat : platforms) {
        tags.add(cp + "-" + abi + "-" + plat);
      }
    }
    for (int m = minor - 1; m >= 2; m--) {
      for (String plat : platforms) {
        tags.add("cp3" + m + "-abi3-" + plat);
      }
    }
    List<String> pyVersions = new ArrayList<>();
    pyVersions.add("py3" + minor);
    pyVersions.add("py3");
    for (int m = minor - 1; m >= 0; m--) {
      pyVersions.add("py3" + m);
    }
    for (String py : pyVersions) {
      for (String plat : platforms) {
        tags.add(py + "-none-" + plat);
      }
    }
    tags.add(cp + "-none-any");
    for (String py : pyVersions) {
      tags.add(py + "-none-any");
    }
    return tags;
  }

  private static List<String> platforms(Interpreter interpreter) {
    String arch = interpreter.machine().toLowerCase(Locale.ROOT);
    int oldest = arch.equals("x86_64") || arch.equals("i686") ? 5 : 17;
    List<String> platforms = new ArrayList<>();
    for (int g = interpreter.glibcMinor(); g >= oldest; g--) {
      platforms.add("manylinux_2_" + g + "_" + arch);
      if (g == 17) {
        platforms.add("manylinux2014_" + arch);
      } else if (g == 12) {
        platforms.add("manylinux2010_" + arch);
      } else if (g == 5) {
        platforms.add("manylinux1_" + arch);
      }
    }
    platforms.add("linux_" + arch);
    return platforms;
  }
}
