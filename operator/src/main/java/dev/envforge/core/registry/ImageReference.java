package dev.envforge.core.registry;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A parsed, validated image reference: {@code registry/repository[:tag][@digest]}.
 *
 * <p>Parsing follows Docker's normalisation: a first path component is a registry host only when it contains a dot
 * or a colon, is {@code localhost}, is a bracketed IPv6 address or has upper-case letters; otherwise the image is on
 * Docker Hub ({@code docker.io}, served by {@code registry-1.docker.io}), where a one-component repository lives
 * under {@code library/}. A reference with neither tag nor digest means the tag {@code latest}.
 *
 * <p>References come from users and are untrusted, so every part is checked against the OCI distribution grammar
 * (repository components {@code [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*}, tags {@code [A-Za-z0-9_][A-Za-z0-9._-]{0,127}},
 * digests {@code sha256:<64 hex>} or {@code sha512:<128 hex>}), so that a reference can be put into a URL path as it
 * is. Anything else is rejected with an {@link IllegalArgumentException} that says what is wrong.
 *
 * @param registry   the registry as written by users, lower case, with port if any ({@code docker.io},
 *                   {@code ghcr.io}, {@code localhost:5000}, {@code [::1]:5000})
 * @param repository the repository path inside the registry ({@code library/python}, {@code team/app})
 * @param tag        the tag, or null when the reference names a digest only
 * @param digest     the manifest digest ({@code sha256:...}), or null
 */
public record ImageReference(String registry, String repository, String tag, String digest) {
  /** The registry name Docker Hub images have. */
  public static final String DOCKER_HUB = "docker.io";
  /** The host that actually serves Docker Hub's registry API. */
  public static final String DOCKER_HUB_HOST = "registry-1.docker.io";
  /** The tag a reference without tag or digest means. */
  public static final String DEFAULT_TAG = "latest";

  /** Docker's limit on {@code registry/repository}. */
  private static final int MAX_NAME_LENGTH = 255;
  /** Longer input cannot be valid (name + ':' + tag + '@' + sha512 digest); checked before any pattern runs. */
  private static final int MAX_REFERENCE_LENGTH = MAX_NAME_LENGTH + 1 + 128 + 1 + 7 + 128;

  private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
  private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128}");
  private static final Pattern HOST_LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]*[a-z0-9])?");
  private static final Pattern IPV6 = Pattern.compile("\\[[a-f0-9:.]+\\]");
  private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");

  public ImageReference {
    if (registry == null || repository == null) {
      throw new IllegalArgumentException("registry and repository are required");
    }
    registry = normalizeRegistry(registry);
    String problem = registryProblem(registry);
    if (problem == null) {
      problem = repositoryProblem(repository);
    }
    if (problem == null && registry.length() + 1 + repository.length() > MAX_NAME_LENGTH) {
      problem = "registry and repository together are longer than " + MAX_NAME_LENGTH + " characters";
    }
    if (problem == null && tag != null && !TAG.matcher(tag).matches()) {
      problem = "tag '" + printable(tag)
          + "' is not valid: up to 128 of A-Z a-z 0-9 _ . - and not starting with . or -";
    }
    if (problem == null && digest != null && !DIGEST.matcher(digest).matches()) {
      problem = "digest '" + printable(digest)
          + "' is not valid: expected sha256:<64 lower-case hex> or sha512:<128 hex>";
    }
    if (problem == null && tag == null && digest == null) {
      problem = "a tag or a digest is required";
    }
    if (problem != null) {
      throw new IllegalArgumentException("invalid image reference: " + problem);
    }
  }

  /** A reference to {@code tag} of {@code registry/repository}. */
  public static ImageReference of(String registry, String repository, String tag) {
    return new ImageReference(registry, repository, tag, null);
  }

  /**
   * Parses a reference as users write it ({@code python:3.12}, {@code ghcr.io/org/app:v1},
   * {@code localhost:5000/app@sha256:...}).
   *
   * @throws IllegalArgumentException when the text is not a valid reference; the message quotes the input (made
   *                                  printable and shortened) and says what is wrong
   */
  public static ImageReference parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("invalid image reference: it is empty");
    }
    if (text.length() > MAX_REFERENCE_LENGTH) {
      throw invalid(text, "it is longer than " + MAX_REFERENCE_LENGTH + " characters");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        throw invalid(text, "it contains whitespace, control or non-ASCII characters");
      }
    }
    if (text.contains("://")) {
      throw invalid(text, "write the reference without a URL scheme (registry/repository:tag)");
    }
    String rest = text;
    String digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.substring(at + 1);
      rest = rest.substring(0, at);
      if (!DIGEST.matcher(digest).matches()) {
        // not quoted: "user:password@host/repo" is a common mistake, and the password must not reach a log
        throw new IllegalArgumentException("invalid image reference: the part after '@' must be a digest"
            + " (sha256:<64 lower-case hex> or sha512:<128 hex>); credentials do not belong in an image reference");
      }
    }
    String tag = null;
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/') && colon > rest.lastIndexOf(']')) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      if (!TAG.matcher(tag).matches()) {
        throw invalid(text, "the tag must be 1 to 128 of A-Z a-z 0-9 _ . - and not start with . or -");
      }
    }
    if (rest.isEmpty()) {
      throw invalid(text, "the repository is missing");
    }
    String registry;
    String repository;
    int slash = rest.indexOf('/');
    String first = slash < 0 ? rest : rest.substring(0, slash);
    if (slash >= 0 && looksLikeRegistry(first)) {
      registry = normalizeRegistry(first);
      repository = rest.substring(slash + 1);
      String problem = registryProblem(registry);
      if (problem != null) {
        throw invalid(text, problem);
      }
    } else {
      registry = DOCKER_HUB;
      repository = rest;
    }
    if (registry.equals(DOCKER_HUB) && repository.indexOf('/') < 0) {
      repository = "library/" + repository;
    }
    String problem = repositoryProblem(repository);
    if (problem != null) {
      throw invalid(text, problem);
    }
    if (registry.length() + 1 + repository.length() > MAX_NAME_LENGTH) {
      throw invalid(text, "registry and repository together are longer than " + MAX_NAME_LENGTH + " characters");
    }
    if (tag == null && digest == null) {
      tag = DEFAULT_TAG;
    }
    return new ImageReference(registry, repository, tag, digest);
  }

  /** The host (and port) that serves this reference's registry API. */
  public String registryHost() {
    return registry.equals(DOCKER_HUB) ? DOCKER_HUB_HOST : registry;
  }

  /** What goes after {@code /manifests/}: the digest when there is one, else the tag. */
  public String manifestReference() {
    return digest != null ? digest : tag;
  }

  /** This repository with another tag and no digest. */
  public ImageReference withTag(String newTag) {
    return new ImageReference(registry, repository, newTag, null);
  }

  /** The canonical form, {@code registry/repository[:tag][@digest]}, which {@link #parse} reads back. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(registry).append('/').append(repository);
    if (tag != null) {
      out.append(':').append(tag);
    }
    if (digest != null) {
      out.append('@').append(digest);
    }
    return out.toString();
  }

  private static boolean looksLikeRegistry(String first) {
    return first.indexOf('.') >= 0 || first.indexOf(':') >= 0 || first.startsWith("[")
        || first.equals("localhost") || !first.toLowerCase(Locale.ROOT).equals(first);
  }

  private static String normalizeRegistry(String registry) {
    String lower = registry.toLowerCase(Locale.ROOT);
    return lower.equals("index.docker.io") ? DOCKER_HUB : lower;
  }

  /** Null when {@code registry} is a valid host (name, IPv4 or bracketed IPv6) with an optional port. */
  private static String registryProblem(String registry) {
    String host = registry;
    String port = null;
    int colon = registry.lastIndexOf(':');
    if (colon >= 0 && colon > registry.lastIndexOf(']')) {
      host = registry.substring(0, colon);
      port = registry.substring(colon + 1);
    }
    boolean validHost;
    if (host.startsWith("[")) {
      validHost = IPV6.matcher(host).matches();
    } else {
      validHost = !host.isEmpty() && host.length() <= 253;
      for (String label : host.split("\\.", -1)) {
        validHost &= label.length() <= 63 && HOST_LABEL.matcher(label).matches();
      }
    }
    if (!validHost) {
      return "registry '" + printable(registry) + "' is not a valid host name";
    }
    if (port != null
        && (!PORT.matcher(port).matches() || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535)) {
      return "registry '" + printable(registry) + "' has an invalid port";
    }
    return null;
  }

  private static String repositoryProblem(String repository) {
    if (repository.isEmpty()) {
      return "the repository is missing";
    }
    if (repository.length() > MAX_NAME_LENGTH) {
      return "the repository is longer than " + MAX_NAME_LENGTH + " characters";
    }
    for (String component : repository.split("/", -1)) {
      if (!PATH_COMPONENT.matcher(component).matches()) {
        return "repository '" + printable(repository) + "' is not valid: path components are lower-case letters and"
            + " digits, separated by single '.', '_', '__' or dashes, joined by single '/'";
      }
    }
    return null;
  }

  private static IllegalArgumentException invalid(String text, String problem) {
    return new IllegalArgumentException("invalid image reference '" + printable(text) + "': " + problem);
  }

  /** The text made safe to show in a message or a log line: printable ASCII only and at most 100 characters. */
  static String printable(String text) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length() && out.length() < 100; i++) {
      char c = text.charAt(i);
      out.append(c < ' ' || c >= 0x7f ? '?' : c);
    }
    if (text.length() > 100) {
      out.append("...");
    }
    return out.toString();
  }
}
