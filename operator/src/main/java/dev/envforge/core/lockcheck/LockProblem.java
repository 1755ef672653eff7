package dev.envforge.core.lockcheck;

import dev.envforge.core.lock.toml.Location;

/**
 * One finding of {@code check-lock}: where it is and why. {@code check} says which check found it: {@code lock} (the
 * lock is out of date with pyproject.toml) or {@code lint} (a rule of {@code [tool.envforge.lint]}), with the rule's
 * name in {@code rule}.
 */
public record LockProblem(String file, int line, int column, String check, String rule, String message) {
  public static final String LOCK = "lock";
  public static final String LINT = "lint";

  static LockProblem lock(Location at, String message) {
    return new LockProblem(at.file(), at.line(), at.column(), LOCK, null, message);
  }

  static LockProblem lint(Location at, String rule, String message) {
    return new LockProblem(at.file(), at.line(), at.column(), LINT, rule, message + " [" + rule + "]");
  }

  @Override
  public String toString() {
    return file + ":" + line + ":" + column + ": " + message;
  }
}
