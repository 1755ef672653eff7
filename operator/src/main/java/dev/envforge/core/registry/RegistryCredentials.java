package dev.envforge.core.registry;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Registry logins by registry host, as read from a {@code .dockerconfigjson} document (the content of a Kubernetes
 * {@code kubernetes.io/dockerconfigjson} secret).
 *
 * <p>Each {@code auths} entry may hold {@code auth} (base64 of {@code user:password}, which wins when present),
 * {@code username} and {@code password}, and {@code identitytoken} (an OAuth2 refresh token, used with registries
 * that answer with a Bearer challenge). Keys are matched the way Docker and the kubelet match them: scheme and path
 * are ignored ({@code https://index.docker.io/v1/} is Docker Hub), host names are case-insensitive, the port must be
 * equal, and a label may be a glob such as {@code *.example.com}. The Docker Hub names {@code docker.io},
 * {@code index.docker.io}, {@code registry-1.docker.io} and {@code registry.hub.docker.com} are one registry.
 *
 * <p>Secrets are never part of {@link #toString()} nor of any exception message thrown here.
 */
public final class RegistryCredentials {
  /** No logins: every registry is accessed anonymously. */
  public static final RegistryCredentials NONE = new RegistryCredentials(Map.of());

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> DOCKER_HUB_ALIASES =
      Set.of("docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com");

  /** Normalised registry key to login, in document order. */
  private final Map<String, Login> logins;

  private RegistryCredentials(Map<String, Login> logins) {
    this.logins = Collections.unmodifiableMap(new LinkedHashMap<>(logins));
  }

  /** Credentials for the given registries; keys are matched as in a {@code .dockerconfigjson} document. */
  public static RegistryCredentials of(Map<String, Login> loginsByRegistry) {
    Map<String, Login> normalized = new LinkedHashMap<>();
    loginsByRegistry.forEach((registry, login) ->
        normalized.put(normalizeKey(registry), Objects.requireNonNull(login)));
    return new RegistryCredentials(normalized);
  }

  /**
   * Reads a {@code .dockerconfigjson} document.
   *
   * @throws IllegalArgumentException when it is not valid JSON or an entry is malformed; the message names the
   *                                  entry and never quotes the document
   */
  public static RegistryCredentials fromDockerConfigJson(String document) {
    JsonNode root;
    try {
      root = JSON.readTree(document);
    } catch (JsonProcessingException e) {
      // Jackson quotes the offending text in its messages, which may be a secret: keep only the location.
      JsonLocation where = e.getLocation();
      throw new IllegalArgumentException(".dockerconfigjson is not valid JSON"
          + (where == null ? "" : " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")"));
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(".dockerconfigjson must be a JSON object with an \"auths\" object");
    }
    JsonNode auths = root.get("auths");
    if (auths == null || auths.isNull()) {
      return NONE;
    }
    if (!auths.isObject()) {
      throw new IllegalArgumentException(".dockerconfigjson: \"auths\" must be an object");
    }
    Map<String, Login> logins = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = auths.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String where = ".dockerconfigjson: auths[\"" + ImageReference.printable(entry.getKey()) + "\"]";
      Login login = readLogin(entry.getValue(), where);
      if (login != null) {
        logins.putIfAbsent(normalizeKey(entry.getKey()), login);
      }
    }
    return new RegistryCredentials(logins);
  }

  /** The login for a registry as named in an {@link ImageReference#registry()}, if any. */
  public Optional<Login> find(String registry) {
    String wanted = normalizeKey(registry);
    Login exact = logins.get(wanted);
    if (exact != null) {
      return Optional.of(exact);
    }
    Login best = null;
    int bestWildcards = Integer.MAX_VALUE;
    for (Map.Entry<String, Login> entry : logins.entrySet()) {
      if (entry.getKey().indexOf('*') >= 0 && globMatches(entry.getKey(), wanted)) {
        int wildcards = (int) entry.getKey().chars().filter(c -> c == '*').count();
        if (wildcards < bestWildcards) {
          best = entry.getValue();
          bestWildcards = wildcards;
        }
      }
    }
    return Optional.ofNullable(best);
  }

  /** The normalised registry keys that have a login. */
  public Set<String> registries() {
    return logins.keySet();
  }

  public boolean isEmpty() {
    return logins.isEmpty();
  }

  @Override
  public String toString() {
    return "RegistryCredentials" + logins;
  }

  private static Login readLogin(JsonNode node, String where) {
    if (!node.isObject()) {
      throw new IllegalArgumentException(where + " must be an object");
    }
    String username = text(node, "username", where);
    String password = text(node, "password", where);
    String auth = text(node, "auth", where);
    String identityToken = text(node, "identitytoken", where);
    if (auth != null && !auth.isBlank()) {
      byte[] decoded;
      try {
        decoded = Base64.getDecoder().decode(auth.trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ".auth is not valid base64");
      }
      String pair = new String(decoded, StandardCharsets.UTF_8);
      int colon = pair.indexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException(where + ".auth must be base64 of user:password");
      }
      username = pair.substring(0, colon);
      password = pair.substring(colon + 1);
    }
    if (identityToken != null && identityToken.isEmpty()) {
      identityToken = null;
    }
    if (username != null && username.isEmpty() && (password == null || password.isEmpty())) {
      username = null;
      password = null;
    }
    if (identityToken == null && username == null) {
      if (password != null && !password.isEmpty()) {
        throw new IllegalArgumentException(where + " has a password but no username");
      }
      return null;
    }
    return new Login(username, password == null ? "" : password, identityToken);
  }

  private static String text(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new IllegalArgumentException(where + "." + field + " must be a string");
    }
    return value.asText();
  }

  /**
   * {@code https://Index.Docker.io/v1/} becomes {@code docker.io}; {@code http://r.example:5000/x} becomes
   * {@code r.example:5000}.
   */
  static String normalizeKey(String key) {
    String host = key.trim().toLowerCase(Locale.ROOT);
    int scheme = host.indexOf("://");
    if (scheme >= 0) {
      host = host.substring(scheme + 3);
    }
    int slash = host.indexOf('/');
    if (slash >= 0) {
      host = host.substring(0, slash);
    }
    return DOCKER_HUB_ALIASES.contains(host) ? ImageReference.DOCKER_HUB : host;
  }

  /** Label-wise glob match as the kubelet does it: same port, same number of labels, '*' within a label. */
  private static boolean globMatches(String pattern, String registry) {
    String[] patternHostPort = splitPort(pattern);
    String[] hostPort = splitPort(registry);
    if (!Objects.equals(patternHostPort[1], hostPort[1])) {
      return false;
    }
    String[] patternLabels = patternHostPort[0].split("\\.", -1);
    String[] labels = hostPort[0].split("\\.", -1);
    if (patternLabels.length != labels.length) {
      return false;
    }
    for (int i = 0; i < labels.length; i++) {
      if (!labelMatches(patternLabels[i], labels[i])) {
        return false;
      }
    }
    return true;
  }

  private static boolean labelMatches(String pattern, String label) {
    List<String> literals = new ArrayList<>(List.of(pattern.split("\\*", -1)));
    if (literals.size() == 1) {
      return pattern.equals(label);
    }
    String first = literals.get(0);
    String last = literals.get(literals.size() - 1);
    if (!label.startsWith(first) || !label.endsWith(last) || label.length() < first.length() + last.length()) {
      return false;
    }
    int position = first.length();
    int end = label.length() - last.length();
    for (String middle : literals.subList(1, literals.size() - 1)) {
      int found = label.indexOf(middle, position);
      if (found < 0 || found + middle.length() > end) {
        return false;
      }
      position = found + middle.length();
    }
    return true;
  }

  private static String[] splitPort(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon >= 0 && colon > hostPort.lastIndexOf(']')) {
      return new String[] {hostPort.substring(0, colon), hostPort.substring(colon + 1)};
    }
    return new String[] {hostPort, null};
  }

  /**
   * One registry login: a user name and password, an identity (refresh) token, or both. Its {@link #toString()} shows
   * the user name only.
   */
  public static final class Login {
    private final String username;
    private final String password;
    private final String identityToken;

    private Login(String username, String password, String identityToken) {
      this.username = username;
      this.password = password;
      this.identityToken = identityToken;
    }

    /** A user name and password (or a registry access token used as the password). */
    public static Login basic(String username, String password) {
      if (username == null || username.isEmpty()) {
        throw new IllegalArgumentException("a registry login needs a user name");
      }
      return new Login(username, Objects.requireNonNull(password, "password"), null);
    }

    /**
     * An OAuth2 refresh token, exchanged at the registry's token endpoint (what {@code docker login} stores for ACR).
     */
    public static Login identityToken(String token) {
      if (token == null || token.isEmpty()) {
        throw new IllegalArgumentException("an identity token must not be empty");
      }
      return new Login(null, "", token);
    }

    /** The user name, or null for an identity-token login. */
    public String username() {
      return username;
    }

    public String password() {
      return password;
    }

    /** The identity token, or null. */
    public String identityToken() {
      return identityToken;
    }

    /** True when there is a user name to send with HTTP Basic authentication. */
    public boolean hasBasic() {
      return username != null;
    }

    /** The HTTP {@code Authorization} value for Basic authentication. */
    public String basicAuthorization() {
      if (username == null) {
        throw new IllegalStateException("this login has no user name");
      }
      String pair = username + ":" + password;
      return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    /** Every form in which this login's secrets could appear, so that text can be scrubbed of them. */
    List<String> secrets() {
      List<String> secrets = new ArrayList<>();
      if (password != null && !password.isEmpty()) {
        secrets.add(password);
      }
      if (identityToken != null) {
        secrets.add(identityToken);
      }
      if (username != null) {
        secrets.add(basicAuthorization().substring("Basic ".length()));
      }
      return secrets;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Login that && Objects.equals(username, that.username)
          && Objects.equals(password, that.password) && Objects.equals(identityToken, that.identityToken);
    }

    @Override
    public int hashCode() {
      return Objects.hash(username, password, identityToken);
    }

    @Override
    public String toString() {
      if (username == null) {
        return "Login[identity token]";
      }
      return "Login[user=" + ImageReference.printable(username)
          + (identityToken != null ? ", identity token" : "") + "]";
    }
  }
}
