package dev.envforge.api.v1alpha1;

/**
 * Why part of a resource could not be read: the part ({@code spec} or {@code status}), the field, e.g.
 * {@code spec.variants[0].groups}, and what was expected and found there. A resource with a spec problem is skipped;
 * a status problem only means the status is computed afresh.
 */
public record ReadProblem(String part, String field, String message) {
  public static final String SPEC = "spec";
  public static final String STATUS = "status";

  @Override
  public String toString() {
    return field + ": " + message;
  }
}
