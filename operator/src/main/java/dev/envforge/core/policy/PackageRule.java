package dev.envforge.core.policy;

import dev.envforge.core.pep.PackageNames;
import dev.envforge.core.pep.SpecifierConstraint;
import dev.envforge.core.pep.Version;

/**
 * A package a rule names: a PEP 503-normalized name and, optionally, a PEP 440 specifier its version must (required
 * packages) or must not (denied packages) satisfy.
 *
 * @param specifier the specifier as written, or null for any version
 */
public record PackageRule(String name, String specifier, SpecifierConstraint constraint) {
  public PackageRule {
    name = PackageNames.normalize(name);
  }

  /**
   * @throws IllegalArgumentException for a name or specifier that is not valid
   */
  public static PackageRule of(String name, String specifier) {
    if (!PackageNames.isValid(name)) {
      throw new IllegalArgumentException("not a valid package name: " + name);
    }
    String spec = specifier == null || specifier.isBlank() ? null : specifier.strip();
    return new PackageRule(name, spec, spec == null ? null : SpecifierConstraint.parsePep440(spec));
  }

  /**
   * Whether an installed version satisfies the rule's specifier. Installed versions are compared as installers do
   * for what is already installed: a pre-release counts like any other version.
   */
  public boolean matches(String version) {
    if (constraint == null) {
      return true;
    }
    Version v = Version.tryParse(version);
    return v != null && constraint.containsAllowingPrereleases(v);
  }

  /** The rule as written in messages: {@code pyyaml<5.4} or {@code pyyaml}. */
  public String display() {
    return specifier == null ? name : name + specifier;
  }
}
