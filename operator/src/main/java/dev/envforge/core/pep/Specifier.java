package dev.envforge.core.pep;

import java.util.Locale;

/**
 * One PEP 440 version clause such as {@code >=1.0}, {@code !=1.2.*} or {@code ===foo}. {@link #matches} is the clause's
 * own rule without any pre-release policy; the policy belongs to the constraint the clause is part of.
 *
 * @param operator the comparison
 * @param version the version compared with; null only for {@code ===} with a text that is not a version
 * @param wildcard whether a {@code ==}/{@code !=} clause ends in {@code .*} (then {@code version} is the prefix)
 * @param text the text after the operator: as written for {@code ===}, else the normalized version (no {@code .*})
 */
public record Specifier(Operator operator, Version version, boolean wildcard, String text) {

  /** The PEP 440 comparison operators. */
  public enum Operator {
    EQUAL("=="), NOT_EQUAL("!="), LESS_EQUAL("<="), GREATER_EQUAL(">="), LESS("<"), GREATER(">"), COMPATIBLE("~="),
    ARBITRARY("===");

    private final String symbol;

    Operator(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }

    /** The operator written as {@code symbol}, or null. */
    public static Operator fromSymbol(String symbol) {
      for (Operator operator : values()) {
        if (operator.symbol.equals(symbol)) {
          return operator;
        }
      }
      return null;
    }
  }

  /** A clause on a parsed version, for example {@code of(Operator.LESS, Version.parse("2"))}. */
  public static Specifier of(Operator operator, Version version) {
    return new Specifier(operator, version, false, version.toString());
  }

  /**
   * Parses one clause ({@code >=1.0}, {@code == 1.2.*}); whitespace between operator and version is allowed.
   *
   * @throws PepSyntaxException when it is not a PEP 440 clause
   */
  public static Specifier parse(String text) {
    return SpecifierParser.parseClause(text, 0, text.length(), false);
  }

  /** Whether PEP 440 lets this clause admit pre-releases: it names a pre-release and is not an exclusion. */
  public boolean allowsPrereleases() {
    return operator != Operator.NOT_EQUAL && version != null && version.isPrerelease();
  }

  /** Whether the candidate satisfies this clause, pre-releases judged like any other version. */
  public boolean matches(Version candidate) {
    return switch (operator) {
      case EQUAL -> equalTo(candidate);
      case NOT_EQUAL -> !equalTo(candidate);
      case LESS_EQUAL -> candidate.publicVersion().compareTo(version) <= 0;
      case GREATER_EQUAL -> candidate.publicVersion().compareTo(version) >= 0;
      case LESS -> lessThan(candidate);
      case GREATER -> greaterThan(candidate);
      case COMPATIBLE -> candidate.publicVersion().compareTo(version) >= 0
          && prefixMatches(candidate, version, version.releaseLength() - 1);
      case ARBITRARY -> candidate.text().toLowerCase(Locale.ROOT).equals(text.toLowerCase(Locale.ROOT));
    };
  }

  private boolean equalTo(Version candidate) {
    if (wildcard) {
      return prefixMatches(candidate, version, version.releaseLength());
    }
    // A specifier without a local segment ignores the candidate's local segment.
    return version.isLocal() ? candidate.equals(version) : candidate.publicVersion().equals(version);
  }

  /** PEP 440 prefix matching: same epoch and the first {@code length} release numbers (zero-padded) equal. */
  private static boolean prefixMatches(Version candidate, Version prefix, int length) {
    if (candidate.epoch() != prefix.epoch()) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (candidate.releasePart(i) != prefix.releasePart(i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code <V} excludes the pre-releases of V itself unless V is a pre-release: {@code <1.7} excludes 1.7a1 and
   * 1.7.dev0, {@code <1.7.post1} excludes 1.7.post1.dev0 but not 1.7rc1. "Of V" means at or above V's earliest
   * pre-release (V with {@code .dev0}), as PEP 440 and the 'packaging' library read it.
   */
  private boolean lessThan(Version candidate) {
    if (candidate.compareTo(version) >= 0) {
      return false;
    }
    return version.isPrerelease() || !candidate.isPrerelease()
        || candidate.compareTo(version.earliestPrerelease()) < 0;
  }

  /**
   * {@code >V} excludes the post-releases of V unless V is one ({@code >1.7} excludes 1.7.post1, {@code >1.7rc1}
   * excludes 1.7rc1.post1 but not 1.7.post0) and the local versions of V ({@code >1.7} excludes 1.7+local but not
   * 1.7.1+local). "Of V" compares with V itself, not with V's release numbers.
   */
  private boolean greaterThan(Version candidate) {
    if (candidate.compareTo(version) <= 0) {
      return false;
    }
    if (!version.isPostrelease() && candidate.isPostrelease() && candidate.postBase().equals(version)) {
      return false;
    }
    return !(candidate.isLocal() && candidate.publicVersion().equals(version));
  }

  @Override
  public String toString() {
    if (operator == Operator.ARBITRARY) {
      return operator.symbol() + text;
    }
    return operator.symbol() + version + (wildcard ? ".*" : "");
  }
}
