package dev.envforge.core.policy;

/**
 * One broken rule.
 *
 * @param policy the policy's name
 * @param rule the rule's field name, such as {@code deniedPackages}
 * @param variant the variant that breaks it, or null for a rule about the whole resource
 * @param packageName the package concerned, or null
 * @param why what is wrong, for people
 * @param position the lock or pyproject line it comes from, or null when it comes from no line of a file
 */
public record Violation(String policy, String rule, String variant, String packageName, String why,
    SourcePosition position) {

  /** {@code FILE:LINE:COLUMN: policy P: rule: variant v: why}, without the place when there is none. */
  @Override
  public String toString() {
    return (position == null ? "" : position + ": ") + withoutPosition();
  }

  /** The violation without its place in a file. */
  public String withoutPosition() {
    return "policy " + policy + ": " + rule + ": " + (variant == null ? "" : "variant " + variant + ": ") + why;
  }
}
