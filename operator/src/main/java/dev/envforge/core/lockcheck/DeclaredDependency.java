package dev.envforge.core.lockcheck;

import dev.envforge.core.lock.toml.Location;

/**
 * A dependency as pyproject.toml declares it, in one of its sets: the main dependencies, an extra, or a dependency
 * group. {@code constraint} is the version constraint as written (Poetry or PEP 440 syntax), null when there is none;
 * {@code directReference} is true for a git, URL or path dependency.
 */
public record DeclaredDependency(String name, Scope scope, String owner, String constraint, boolean directReference,
    Location where) {

  /** Which set a declaration belongs to. */
  public enum Scope {
    DEPENDENCIES("dependencies"),
    OPTIONAL_DEPENDENCIES("optional-dependencies"),
    DEPENDENCY_GROUPS("dependency-groups");

    private final String id;

    Scope(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }
  }

  /** How the declaration is named in messages: {@code requests} or {@code pytest (group dev)}. */
  public String describe() {
    return switch (scope) {
      case DEPENDENCIES -> name;
      case OPTIONAL_DEPENDENCIES -> name + " (extra " + owner + ")";
      case DEPENDENCY_GROUPS -> name + " (group " + owner + ")";
    };
  }
}
