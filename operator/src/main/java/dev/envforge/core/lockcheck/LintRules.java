package dev.envforge.core.lockcheck;

import dev.envforge.core.lock.toml.Location;
import dev.envforge.core.lock.toml.TomlArray;
import dev.envforge.core.lock.toml.TomlTable;
import dev.envforge.core.lockcheck.DeclaredDependency.Scope;
import dev.envforge.core.pep.PackageNames;
import dev.envforge.core.text.Texts;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Opt-in rules on how dependencies are declared, configured in {@code [tool.envforge.lint]} of pyproject.toml:
 *
 * <pre>
 * [tool.envforge.lint]
 * rules = ["explicit-range", "upper-bound"]        # required; the rules to apply
 * scopes = ["dependencies", "optional-dependencies"] # default: what a library publishes
 * ignore = ["torch"]                                # package names the rules skip
 * </pre>
 *
 * Rules: {@code explicit-range} (write {@code >=x,<y}, not Poetry's caret {@code ^} or tilde {@code ~}, nor PEP 440's
 * compatible release {@code ~=}), {@code upper-bound} (every version constraint has an upper bound), {@code
 * lower-bound} (every version constraint has a lower bound), {@code no-direct-reference} (no git, URL or path
 * dependencies, which a package on an index cannot have). A project without the table has no rules.
 */
public final class LintRules {
  public static final String EXPLICIT_RANGE = "explicit-range";
  public static final String UPPER_BOUND = "upper-bound";
  public static final String LOWER_BOUND = "lower-bound";
  public static final String NO_DIRECT_REFERENCE = "no-direct-reference";
  public static final List<String> RULES = List.of(EXPLICIT_RANGE, UPPER_BOUND, LOWER_BOUND, NO_DIRECT_REFERENCE);
  private static final Set<String> KEYS = Set.of("rules", "scopes", "ignore");

  /** One clause of a constraint: an operator (empty for a bare version) and a version. */
  private static final Pattern CLAUSE = Pattern.compile("\\s*(===|==|!=|~=|<=|>=|<|>|\\^|~|=)?\\s*([^\\s,<>=!~^]+)\\s*");

  private final Set<String> rules;
  private final Set<Scope> scopes;
  private final Set<String> ignored;

  private LintRules(Set<String> rules, Set<Scope> scopes, Set<String> ignored) {
    this.rules = rules;
    this.scopes = scopes;
    this.ignored = ignored;
  }

  /**
   * The rules of {@code [tool.envforge.lint]}, or none without it.
   *
   * @throws dev.envforge.core.lock.LockInputException at the key or value that is not understood
   */
  public static LintRules of(TomlTable pyproject) {
    TomlTable tool = pyproject.table("tool");
    TomlTable envforge = tool == null ? null : tool.table("envforge");
    TomlTable lint = envforge == null ? null : envforge.table("lint");
    if (lint == null) {
      return new LintRules(Set.of(), Set.of(), Set.of());
    }
    for (String key : lint.keys()) {
      if (!KEYS.contains(key)) {
        throw lint.error(key, "unknown key " + Texts.quote(key) + " in [tool.envforge.lint] (known: rules, scopes,"
            + " ignore)");
      }
    }
    if (!lint.has("rules")) {
      throw lint.error("[tool.envforge.lint] needs rules = [...], some of " + String.join(", ", RULES));
    }
    Set<String> rules = new LinkedHashSet<>();
    for (String rule : strings(lint, "rules")) {
      rules.add(rule);
    }
    TomlArray ruleArray = lint.array("rules");
    for (int i = 0; i < ruleArray.size(); i++) {
      if (!RULES.contains(ruleArray.string(i))) {
        throw ruleArray.location(i).error("unknown lint rule " + Texts.quote(ruleArray.string(i)) + " (known: "
            + String.join(", ", RULES) + ")");
      }
    }
    Set<Scope> scopes = EnumSet.of(Scope.DEPENDENCIES, Scope.OPTIONAL_DEPENDENCIES);
    if (lint.has("scopes")) {
      scopes = EnumSet.noneOf(Scope.class);
      TomlArray scopeArray = lint.array("scopes");
      strings(lint, "scopes");
      for (int i = 0; i < scopeArray.size(); i++) {
        Scope scope = scope(scopeArray.string(i));
        if (scope == null) {
          throw scopeArray.location(i).error("unknown scope " + Texts.quote(scopeArray.string(i))
              + " (known: dependencies, optional-dependencies, dependency-groups)");
        }
        scopes.add(scope);
      }
    }
    Set<String> ignored = new HashSet<>();
    if (lint.has("ignore")) {
      for (String name : strings(lint, "ignore")) {
        ignored.add(PackageNames.normalize(name));
      }
    }
    return new LintRules(rules, scopes, ignored);
  }

  public boolean isEmpty() {
    return rules.isEmpty();
  }

  /** The problems the rules find in the declarations, in the order written. */
  public List<LockProblem> check(List<DeclaredDependency> declarations) {
    List<LockProblem> problems = new ArrayList<>();
    for (DeclaredDependency d : declarations) {
      if (!scopes.contains(d.scope()) || ignored.contains(d.name())) {
        continue;
      }
      Location at = d.where();
      if (d.directReference()) {
        if (rules.contains(NO_DIRECT_REFERENCE)) {
          problems.add(LockProblem.lint(at, NO_DIRECT_REFERENCE, d.describe() + " is a git, URL or path dependency;"
              + " depend on a released version instead"));
        }
        continue; // a direct reference has no version constraint to check
      }
      String constraint = d.constraint();
      if (rules.contains(EXPLICIT_RANGE) && constraint != null) {
        for (String alternative : constraint.split("\\|\\|?")) {
          String shorthand = shorthand(alternative);
          if (shorthand != null) {
            String range = range(shorthand);
            problems.add(LockProblem.lint(at, EXPLICIT_RANGE, d.describe() + ": write "
                + (range == null ? "an explicit range >=x,<y" : Texts.quote(range)) + " rather than "
                + Texts.quote(shorthand)));
          }
        }
      }
      if (rules.contains(LOWER_BOUND) && !bounded(constraint, true)) {
        problems.add(LockProblem.lint(at, LOWER_BOUND, d.describe() + " has no lower bound"
            + (constraint == null ? "" : " in " + Texts.quote(constraint)) + "; add >=x"));
      }
      if (rules.contains(UPPER_BOUND) && !bounded(constraint, false)) {
        problems.add(LockProblem.lint(at, UPPER_BOUND, d.describe() + " has no upper bound"
            + (constraint == null ? "" : " in " + Texts.quote(constraint)) + "; add <y"));
      }
    }
    return problems;
  }

  private static Scope scope(String id) {
    for (Scope s : Scope.values()) {
      if (s.id().equals(id)) {
        return s;
      }
    }
    return null;
  }

  private static List<String> strings(TomlTable table, String key) {
    TomlArray array = table.array(key);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      out.add(array.string(i));
    }
    return out;
  }

  /** The caret, tilde or compatible-release clause of one alternative, or null when it has none. */
  private static String shorthand(String alternative) {
    for (String clause : clauses(alternative)) {
      if (clause.startsWith("^") || clause.startsWith("~")) {
        return clause;
      }
    }
    return null;
  }

  /** Whether every alternative of the constraint is bounded below (or above). No constraint is unbounded. */
  static boolean bounded(String constraint, boolean lower) {
    if (constraint == null || constraint.isBlank()) {
      return false;
    }
    for (String alternative : constraint.split("\\|\\|?")) {
      boolean found = false;
      for (String clause : clauses(alternative)) {
        Matcher m = CLAUSE.matcher(clause);
        if (!m.matches()) {
          return true; // not understood: not this rule's to refuse
        }
        String op = m.group(1) == null ? "" : m.group(1);
        String version = m.group(2);
        boolean exact = (op.isEmpty() || op.equals("=") || op.equals("==") || op.equals("==="))
            && !version.equals("*");
        found |= exact || op.equals("^") || op.equals("~") || op.equals("~=")
            || (lower ? op.equals(">=") || op.equals(">") : op.equals("<=") || op.equals("<"))
            || (!lower && exact);
        if ((op.isEmpty() || op.equals("==")) && version.endsWith("*") && !version.equals("*")) {
          found = true; // ==1.2.* is bounded both ways
        }
      }
      if (!found) {
        return false;
      }
    }
    return true;
  }

  /** The clauses of one alternative, split on commas (PEP 440) or blanks (Poetry), operators kept with versions. */
  private static List<String> clauses(String alternative) {
    List<String> out = new ArrayList<>();
    for (String part : alternative.split(",")) {
      Matcher m = CLAUSE.matcher(part);
      int at = 0;
      while (at < part.length() && m.find(at) && m.start() == at) {
        String clause = m.group().trim();
        if (!clause.isEmpty()) {
          out.add(clause.replace(" ", ""));
        }
        if (m.end() == at) {
          break;
        }
        at = m.end();
      }
      if (at < part.length() && !part.substring(at).isBlank()) {
        out.add(part.substring(at).trim());
      }
    }
    return out;
  }

  /** The explicit range a caret, tilde or compatible-release clause stands for, or null when it is not plain. */
  static String range(String clause) {
    String op = clause.startsWith("^") ? "^" : clause.startsWith("~=") ? "~=" : "~";
    String version = clause.substring(op.length()).trim();
    if (!version.matches("[0-9]+(\\.[0-9]+)*")) {
      return null;
    }
    String[] parts = version.split("\\.");
    int[] n = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        n[i] = Integer.parseInt(parts[i]);
      } catch (NumberFormatException e) {
        return null;
      }
    }
    int bump; // index of the part that is raised for the upper bound; the parts after it are dropped
    switch (op) {
      case "^" -> {
        bump = n.length - 1;
        for (int i = 0; i < n.length; i++) {
          if (n[i] != 0) {
            bump = i;
            break;
          }
        }
      }
      case "~" -> bump = n.length == 1 ? 0 : 1;
      default -> {
        if (n.length < 2) {
          return null; // ~=1 is not valid PEP 440
        }
        bump = n.length - 2;
      }
    }
    StringBuilder upper = new StringBuilder();
    for (int i = 0; i <= bump; i++) {
      upper.append(i == 0 ? "" : ".").append(i == bump ? n[i] + 1 : n[i]);
    }
    return ">=" + version + ",<" + upper;
  }
}
