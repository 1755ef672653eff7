package dev.envforge.api.v1alpha1;

/**
 * Regular expressions of the schema, shared by the annotations of the API types. They use only the syntax that
 * both the API server (RE2) and Java accept: no look-around, no back-references.
 */
public final class Patterns {

  /** A DNS subdomain (RFC 1123), the form of ConfigMap, Secret and ServiceAccount names. */
  public static final String DNS_SUBDOMAIN =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  /** A key of a ConfigMap's or Secret's data. */
  public static final String DATA_KEY = "^[-._a-zA-Z0-9]+$";

  /** A variant name: lower case, at most 32 characters, usable in labels and messages. */
  public static final String VARIANT_NAME = "^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$";

  /** A Python version "3.x" or "3.x.y". */
  public static final String PYTHON_VERSION = "^3\\.[0-9]+(\\.[0-9]+)?$";

  /** A dependency group or extra name (PEP 685 / PEP 735 names, before normalisation). */
  public static final String GROUP_OR_EXTRA =
      "^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$";

  private static final String PATH_SEGMENT =
      "([A-Za-z0-9_-][A-Za-z0-9._-]*|\\.[A-Za-z0-9_-][A-Za-z0-9._-]*|\\.\\.[A-Za-z0-9._-]+)";

  /**
   * A relative path inside the project: segments separated by "/", no leading "/", no empty, "." or ".."
   * segments, so a file can never be written outside the project directory.
   */
  public static final String RELATIVE_PATH = "^" + PATH_SEGMENT + "(/" + PATH_SEGMENT + ")*$";

  private static final String DOMAIN_COMPONENT = "([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
  private static final String PATH_COMPONENT = "[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*";
  private static final String REPOSITORY = "(" + DOMAIN_COMPONENT + "(\\." + DOMAIN_COMPONENT + ")*(:[0-9]+)?/)?"
      + PATH_COMPONENT + "(/" + PATH_COMPONENT + ")*";

  /**
   * An image repository without tag or digest, in the grammar of the distribution reference: an optional
   * registry host (with port) followed by lower-case path components, e.g. {@code registry.example.com:5000/team/env}.
   */
  public static final String IMAGE_REPOSITORY = "^" + REPOSITORY + "$";

  /**
   * An http(s) URL of a package index: no spaces, quotes, backslashes, user info ("@" anywhere), query or fragment.
   */
  public static final String INDEX_URL = "^https?://[A-Za-z0-9.-]+(:[0-9]+)?(/[A-Za-z0-9._~!$&()*+,;=:%/-]*)?$";

  /**
   * An image reference a build pulls: a repository with an optional tag and an optional digest, which must be
   * {@code @sha256:} and 64 lower-case hex digits.
   */
  public static final String PINNABLE_IMAGE = "^" + REPOSITORY
      + "(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$";

  private Patterns() {}
}
