package dev.envforge.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A registry token endpoint (the Docker Registry v2 token protocol) on 127.0.0.1, as Docker Hub, GHCR and Harbor run
 * one: {@code GET /token?service=..&scope=..} with optional Basic credentials, and {@code POST /token} with
 * {@code grant_type=refresh_token} for identity tokens. It issues opaque random tokens and remembers what each
 * grants; {@link RegistryProxy#requireBearerTokens} puts it in front of a real {@link RegistryServer}, which cannot
 * do token auth itself.
 *
 * <p>Anonymous requests get pull rights when {@link Options#anonymousPull()} is set; a configured user gets pull and
 * push. Every token request is recorded.
 */
public final class TokenAuthServer implements AutoCloseable {
  /** The {@code service} this endpoint issues tokens for. */
  public static final String SERVICE = "envforge-test-registry";

  /**
   * What the endpoint accepts and answers.
   *
   * @param username        a user allowed to log in with Basic credentials, or null for none
   * @param password        that user's password
   * @param identityToken   a refresh token accepted with {@code grant_type=refresh_token}, or null for none
   * @param anonymousPull   whether requests without credentials get pull tokens
   * @param lifetime        the {@code expires_in} of issued tokens
   * @param accessTokenOnly answer with {@code access_token} instead of {@code token} (both are in the wild)
   */
  public record Options(String username, String password, String identityToken, boolean anonymousPull,
      Duration lifetime, boolean accessTokenOnly) {
    /** Anonymous pulls allowed, tokens valid for 5 minutes, answered in the {@code token} field. */
    public static Options anonymous() {
      return new Options(null, null, null, true, Duration.ofMinutes(5), false);
    }

    /** Only this user gets tokens. */
    public Options withUser(String user, String pass) {
      return new Options(Objects.requireNonNull(user), Objects.requireNonNull(pass), identityToken, false, lifetime,
          accessTokenOnly);
    }

    public Options withIdentityToken(String token) {
      return new Options(username, password, Objects.requireNonNull(token), anonymousPull, lifetime, accessTokenOnly);
    }

    public Options withLifetime(Duration tokenLifetime) {
      return new Options(username, password, identityToken, anonymousPull, tokenLifetime, accessTokenOnly);
    }

    public Options withAccessTokenField() {
      return new Options(username, password, identityToken, anonymousPull, lifetime, true);
    }
  }

  /**
   * One request to the token endpoint.
   *
   * @param method    GET or POST
   * @param service   the {@code service} asked for, or null
   * @param scope     the {@code scope} asked for, or null
   * @param subject   who was authenticated (a user name, "identity-token"), or null for anonymous
   * @param status    the HTTP status answered
   */
  public record TokenRequest(String method, String service, String scope, String subject, int status) { }

  private record Grant(Set<String> rights, Instant expiresAt) { }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Options options;
  private final HttpServer server;
  private final ExecutorService executor;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Map<String, Grant> grants = new ConcurrentHashMap<>();
  private final List<TokenRequest> requests = new CopyOnWriteArrayList<>();

  private TokenAuthServer(Options options) throws IOException {
    this.options = options;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    this.executor = Executors.newCachedThreadPool(runnable -> {
      Thread thread = new Thread(runnable, "token-auth-server");
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(executor);
    server.createContext("/token", this::handle);
    server.start();
  }

  /** An endpoint that gives anyone pull tokens. */
  public static TokenAuthServer start() {
    return start(Options.anonymous());
  }

  public static TokenAuthServer start(Options options) {
    try {
      return new TokenAuthServer(options);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the token endpoint", e);
    }
  }

  /** {@code http://127.0.0.1:PORT/token}: what goes into {@code realm} of a Bearer challenge. */
  public URI realm() {
    return URI.create("http://" + hostPort() + "/token");
  }

  /** {@code 127.0.0.1:PORT}. */
  public String hostPort() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  public String service() {
    return SERVICE;
  }

  /** Whether {@code token} was issued here, has not expired and grants {@code action} on {@code repository}. */
  public boolean allows(String token, String repository, String action) {
    Grant grant = token == null ? null : grants.get(token);
    return grant != null && Instant.now().isBefore(grant.expiresAt())
        && grant.rights().contains(repository + ":" + action);
  }

  /** Whether {@code token} was issued here and has not expired, whatever it grants. */
  public boolean isValid(String token) {
    Grant grant = token == null ? null : grants.get(token);
    return grant != null && Instant.now().isBefore(grant.expiresAt());
  }

  /** Every token request so far, in order. */
  public List<TokenRequest> requests() {
    return List.copyOf(requests);
  }

  /** Makes every issued token invalid, as a token signing key rotation would. */
  public void revokeAll() {
    grants.clear();
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      server.stop(0);
      executor.shutdownNow();
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      String method = exchange.getRequestMethod();
      Map<String, String> parameters = new LinkedHashMap<>(parse(exchange.getRequestURI().getRawQuery()));
      if (method.equals("POST")) {
        parameters.putAll(parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
      } else if (!method.equals("GET")) {
        respond(exchange, new TokenRequest(method, null, null, null, 405), error("UNSUPPORTED", "GET or POST"));
        return;
      }
      String service = parameters.get("service");
      String scope = parameters.get("scope");
      String subject;
      boolean authenticated;
      if (method.equals("POST")) {
        authenticated = "refresh_token".equals(parameters.get("grant_type")) && options.identityToken() != null
            && options.identityToken().equals(parameters.get("refresh_token"));
        subject = authenticated ? "identity-token" : null;
      } else {
        String user = basicUser(exchange.getRequestHeaders().getFirst("Authorization"));
        authenticated = user != null;
        subject = user;
        if (exchange.getRequestHeaders().containsKey("Authorization") && user == null) {
          challenge(exchange, new TokenRequest(method, service, scope, null, 401));
          return;
        }
      }
      if (method.equals("POST") && !authenticated) {
        challenge(exchange, new TokenRequest(method, service, scope, null, 401));
        return;
      }
      if (!authenticated && !options.anonymousPull()) {
        challenge(exchange, new TokenRequest(method, service, scope, null, 401));
        return;
      }
      Set<String> rights = new HashSet<>();
      if (scope != null) {
        for (String one : scope.split(" ")) {
          String[] parts = one.split(":");
          if (parts.length == 3 && parts[0].equals("repository")) {
            for (String action : parts[2].split(",")) {
              if (action.equals("pull") || authenticated) {
                rights.add(parts[1] + ":" + action);
              }
            }
          }
        }
      }
      String token = UUID.randomUUID().toString();
      grants.put(token, new Grant(Set.copyOf(rights), Instant.now().plus(options.lifetime())));
      Map<String, Object> body = new LinkedHashMap<>();
      body.put(options.accessTokenOnly() ? "access_token" : "token", token);
      body.put("expires_in", options.lifetime().toSeconds());
      body.put("issued_at", Instant.now().toString());
      respond(exchange, new TokenRequest(method, service, scope, subject, 200), JSON.writeValueAsString(body));
    } finally {
      exchange.close();
    }
  }

  private String basicUser(String authorization) {
    if (authorization == null || !authorization.startsWith("Basic ") || options.username() == null) {
      return null;
    }
    String pair;
    try {
      pair = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    return pair.equals(options.username() + ":" + options.password()) ? options.username() : null;
  }

  private void challenge(HttpExchange exchange, TokenRequest request) throws IOException {
    exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"envforge-test-token\"");
    respond(exchange, request, error("UNAUTHORIZED", "authentication required"));
  }

  private void respond(HttpExchange exchange, TokenRequest request, String body) throws IOException {
    requests.add(request);
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(request.status(), bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private static String error(String code, String message) {
    return "{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}]}";
  }

  private static Map<String, String> parse(String encoded) {
    Map<String, String> parameters = new LinkedHashMap<>();
    if (encoded == null || encoded.isEmpty()) {
      return parameters;
    }
    for (String pair : encoded.split("&")) {
      int equals = pair.indexOf('=');
      String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
      String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
      parameters.merge(name, value, (first, second) -> first + " " + second); // repeated scope= adds scopes
    }
    return parameters;
  }
}
