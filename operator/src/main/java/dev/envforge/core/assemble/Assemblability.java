package dev.envforge.core.assemble;

import dev.envforge.core.plan.InstallPlan;
import dev.envforge.core.plan.PlannedPackage;
import dev.envforge.core.plan.Target;
import dev.envforge.core.registry.ImageReference;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Whether a plan can be assembled, decided from the plan alone: every package needs a wheel that {@link WheelChoice}
 * accepts for the target (no sdist-only package, no git or archive URL, no conda package, a file name and a sha256
 * in the lock). The decision is part of the image's hash, so it reads no registry and no base image: the base's
 * glibc is the one of the official Debian-based python images where the base is one of them
 * ({@link #assumedGlibcMinor}), else the manylinux2014 floor (2.17), which every glibc base has. A wheel accepted at
 * the assumed glibc is accepted at the base's real one, which is never older.
 */
public final class Assemblability {
  /** glibc 2.17, the manylinux2014 level: assumed for any base image envforge does not recognise. */
  public static final int GLIBC_FLOOR = 17;

  /**
   * The answer, and why: for a plan that cannot be assembled, the first package (by name) that needs a build and
   * why ("package foo 1.0 has ..."), with how many others need one too.
   */
  public record Verdict(boolean assemblable, String reason) {}

  private Assemblability() {}

  public static Verdict check(InstallPlan plan, String baseImage, String python, String platform) {
    WheelChoice.Interpreter interpreter = assumedInterpreter(baseImage, python, platform);
    List<WheelChoice.Choice> refused = new ArrayList<>();
    List<PlannedPackage> packages = new ArrayList<>(plan.packages());
    packages.sort(Comparator.comparing(PlannedPackage::name).thenComparing(PlannedPackage::version));
    WheelChoice.Chooser chooser = WheelChoice.forInterpreter(interpreter);
    for (PlannedPackage p : packages) {
      WheelChoice.Choice choice = chooser.choose(p);
      if (!choice.isAssemblable()) {
        refused.add(choice);
      }
    }
    String target = "CPython " + interpreter.pythonVersion() + " on " + interpreter.machine() + " with glibc 2."
        + interpreter.glibcMinor();
    if (refused.isEmpty()) {
      return new Verdict(true, "every package has a wheel for " + target);
    }
    String first = refused.get(0).why();
    int more = refused.size() - 1;
    return new Verdict(false, first + (more == 0 ? "" : " (and " + more + " more package" + (more == 1 ? "" : "s")
        + " without a wheel)"));
  }

  /** The interpreter of the base image as far as the decision may know it without reading the image. */
  public static WheelChoice.Interpreter assumedInterpreter(String baseImage, String python, String platform) {
    return new WheelChoice.Interpreter(python, Target.machine(platform), assumedGlibcMinor(baseImage));
  }

  /**
   * glibc 2.N of a base image, as far as its reference tells: the official python images on Debian bookworm (2.36),
   * trixie (2.41) and bullseye (2.31), by tag, with or without a digest; else {@link #GLIBC_FLOOR}.
   */
  public static int assumedGlibcMinor(String baseImage) {
    ImageReference ref;
    try {
      ref = ImageReference.parse(baseImage);
    } catch (IllegalArgumentException e) {
      return GLIBC_FLOOR;
    }
    boolean official = ImageReference.DOCKER_HUB.equals(ref.registry()) && "library/python".equals(ref.repository());
    String tag = ref.tag() == null ? "" : ref.tag().toLowerCase(Locale.ROOT);
    if (!official) {
      return GLIBC_FLOOR;
    }
    if (tag.contains("trixie")) {
      return 41;
    }
    if (tag.contains("bookworm")) {
      return 36;
    }
    if (tag.contains("bullseye")) {
      return 31;
    }
    return GLIBC_FLOOR;
  }
}
