package dev.envforge.core.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.envforge.core.registry.ManifestCheck.UnknownKind;
import dev.envforge.core.registry.RegistryCredentials.Login;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Asks an OCI registry whether a manifest exists, with {@code HEAD /v2/<name>/manifests/<tag or digest>}.
 *
 * <p>The answer is {@link ManifestCheck.Outcome#PRESENT} with the manifest digest (from {@code Docker-Content-Digest},
 * or the sha256 of the manifest fetched with GET when a registry leaves that header out), {@code ABSENT} on 404, or
 * {@code UNKNOWN} for anything else. The {@code Accept} header lists all four manifest media types: strict registries
 * answer 404 for a manifest whose type is not accepted, which would look like "absent".
 *
 * <p>Authentication follows the registry's {@code WWW-Authenticate} challenge: Basic with the configured login, or the
 * Bearer token flow (GET the realm with service and scope {@code repository:<name>:pull}, with the login as Basic
 * credentials when there is one, or POST the identity token as an OAuth2 refresh token). Tokens are cached per
 * registry and scope until they expire. Over HTTPS a configured user name and password are sent with the first
 * request. Redirects are not followed, so credentials never go to another host.
 *
 * <p>HTTPS is used unless a registry is explicitly listed as insecure. A registry may have its own CA bundle (PEM),
 * trusted in addition to the JVM's default trust anchors.
 *
 * <p>Present answers are cached per registry, repository and tag for a configurable time (10 minutes by default), so a
 * tag pushed again within that time may be reported with its previous digest; absent and unknown answers are never
 * cached. Instances are thread-safe and meant to be shared.
 */
public final class RegistryClient {
  /** The four manifest media types, in the order they are offered. */
  public static final List<String> MANIFEST_MEDIA_TYPES = List.of(
      "application/vnd.oci.image.manifest.v1+json",
      "application/vnd.oci.image.index.v1+json",
      "application/vnd.docker.distribution.manifest.v2+json",
      "application/vnd.docker.distribution.manifest.list.v2+json");
  /** The {@code Accept} header of every manifest request. */
  public static final String MANIFEST_ACCEPT = String.join(", ", MANIFEST_MEDIA_TYPES);

  /** The distribution spec allows registries to refuse manifests over 4 MiB, so nothing larger is read. */
  private static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
  private static final int MAX_SMALL_BODY_BYTES = 64 * 1024;
  private static final int MAX_TOKENS = 10_000;
  private static final long DEFAULT_TOKEN_SECONDS = 60;
  private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128}");
  private static final Pattern HEADER_SAFE = Pattern.compile("[\\x21-\\x7e]+");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RegistryCredentials credentials;
  private final Set<String> insecureRegistries;
  private final Map<String, HttpClient> clientsByRegistry;
  private final HttpClient defaultClient;
  private final Duration requestTimeout;
  private final Duration cacheTtl;
  /** Present answers: the digest and when the registry gave it. */
  private final ExpiringCache<PresentAnswer> presentDigests;
  private final ExpiringCache<String> tokens;
  /** The last usable challenge each registry sent, so later checks can authenticate without a 401 first. */
  private final Map<String, AuthChallenge> challenges = new ConcurrentHashMap<>();
  private final RegistryCheckListener listener;
  private final Clock clock;
  private final long uploadChunkSize;

  private RegistryClient(Builder builder) {
    this.credentials = builder.credentials;
    this.insecureRegistries = Set.copyOf(builder.insecureRegistries);
    this.requestTimeout = builder.requestTimeout;
    this.cacheTtl = builder.cacheTtl;
    this.clock = builder.clock;
    this.listener = builder.listener;
    this.uploadChunkSize = builder.uploadChunkSize;
    this.defaultClient = newHttpClient(builder.connectTimeout, null);
    Map<String, HttpClient> clients = new HashMap<>();
    builder.caBundles.forEach((registry, pem) ->
        clients.put(registry, newHttpClient(builder.connectTimeout, sslContextTrusting(registry, pem))));
    this.clientsByRegistry = Map.copyOf(clients);
    this.presentDigests = new ExpiringCache<>(builder.cacheSize, clock);
    this.tokens = new ExpiringCache<>(MAX_TOKENS, clock);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Whether the manifest {@code reference} names exists. Never throws for registry or network trouble: that is an
   * {@code UNKNOWN} answer. The listener hears about every call.
   */
  public ManifestCheck check(ImageReference reference) {
    return check(reference, null);
  }

  /**
   * The same, but a remembered answer the registry gave before {@code notBefore} is not used: after a push the tag
   * may name another manifest. Null accepts any remembered answer.
   */
  public ManifestCheck check(ImageReference reference, Instant notBefore) {
    long start = System.nanoTime();
    String cacheKey = reference.registry() + "/" + reference.repository()
        + (reference.digest() != null ? "@" + reference.digest() : ":" + reference.tag());
    ManifestCheck result;
    PresentAnswer cached = presentDigests.get(cacheKey);
    if (cached != null && (notBefore == null || !cached.answeredAt().isBefore(notBefore))) {
      result = ManifestCheck.present(cached.digest()).asCached();
    } else {
      Instant asked = clock.instant();
      Login login = credentials.find(reference.registry()).orElse(null);
      try {
        result = new Check(reference).run();
      } catch (Failure failure) {
        result = ManifestCheck.unknown(failure.kind, scrub(failure.getMessage(), login));
      }
      if (result.isPresent() && !cacheTtl.isZero()) {
        presentDigests.put(cacheKey, new PresentAnswer(result.digest(), asked), asked.plus(cacheTtl));
      }
    }
    long duration = System.nanoTime() - start;
    try {
      listener.onCheck(reference.registry(), result, duration);
    } catch (RuntimeException ignored) {
      // metrics must never change the answer
    }
    return result;
  }

  /**
   * A session to read ({@code push} false) or read and write one repository, the registry and repository of
   * {@code repository} (its tag is ignored). {@code mountFrom} are repositories of the same registry that blobs may be
   * mounted from; the token asks for {@code pull} on them.
   */
  public RegistrySession session(ImageReference repository, boolean push, Collection<String> mountFrom) {
    List<String> scopes = new java.util.ArrayList<>();
    scopes.add("repository:" + repository.repository() + (push ? ":pull,push" : ":pull"));
    mountFrom.stream().filter(from -> !from.equals(repository.repository())).distinct()
        .forEach(from -> scopes.add("repository:" + from + ":pull"));
    return new RegistrySession(new Auth(repository.registry(), repository.registryHost(), scopes),
        repository.repository(), uploadChunkSize);
  }

  private record PresentAnswer(String digest, Instant answeredAt) {}

  /** Forgets every cached present answer, for example after pushing images. Tokens are kept. */
  public void clearCache() {
    presentDigests.clear();
  }

  /** How many present answers are cached now. */
  public int cachedAnswers() {
    return presentDigests.size();
  }

  @Override
  public String toString() {
    return "RegistryClient[credentials=" + credentials + ", insecure=" + insecureRegistries
        + ", customCa=" + clientsByRegistry.keySet() + "]";
  }

  /** One check: the manifest request with at most one retry after a 401 challenge, and a GET when needed. */
  private final class Check extends Auth {
    private final ImageReference reference;
    private final URI manifestUri;

    Check(ImageReference reference) {
      super(reference.registry(), reference.registryHost(), List.of("repository:" + reference.repository() + ":pull"));
      this.reference = reference;
      this.manifestUri = base.resolve(reference.repository() + "/manifests/" + reference.manifestReference());
    }

    ManifestCheck run() throws Failure {
      String authorization = initialAuthorization();
      Reply reply = send(manifestRequest("HEAD", authorization), 0, "registry " + registry);
      if (reply.status() == 401) {
        authorization = authorizationAfterChallenge(reply, authorization);
        reply = send(manifestRequest("HEAD", authorization), 0, "registry " + registry);
        if (reply.status() == 401) {
          throw rejected(authorization);
        }
      }
      if (reply.status() != 200) {
        return notPresent(reply);
      }
      String digest = reply.headers().firstValue("Docker-Content-Digest").orElse(null);
      if (reference.digest() != null) {
        if (digest != null && !digest.equals(reference.digest())) {
          throw new Failure(UnknownKind.UNEXPECTED_RESPONSE, "registry " + registry + " answered digest "
              + printable(digest) + " for a request by digest " + reference.digest());
        }
        return ManifestCheck.present(reference.digest());
      }
      if (digest != null && DIGEST.matcher(digest).matches()) {
        return ManifestCheck.present(digest);
      }
      // Some registries leave the digest header out on HEAD: the digest is the sha256 of the manifest bytes.
      Reply full = send(manifestRequest("GET", authorization), MAX_MANIFEST_BYTES, "registry " + registry);
      if (full.status() != 200) {
        return notPresent(full);
      }
      // Only a manifest's own bytes give its digest: a web server that answers 200 to anything is not a registry.
      String contentType = full.headers().firstValue("Content-Type").orElse("").split(";")[0].trim();
      if (!MANIFEST_MEDIA_TYPES.contains(contentType.toLowerCase(Locale.ROOT))) {
        throw new Failure(UnknownKind.UNEXPECTED_RESPONSE, "registry " + registry + " answered a manifest request"
            + " without a digest and with Content-Type '" + printable(contentType) + "'");
      }
      return ManifestCheck.present("sha256:" + sha256Hex(full.body()));
    }

    private HttpRequest manifestRequest(String method, String authorization) {
      HttpRequest.Builder request = HttpRequest.newBuilder(manifestUri)
          .method(method, HttpRequest.BodyPublishers.noBody())
          .timeout(requestTimeout)
          .header("Accept", MANIFEST_ACCEPT);
      if (authorization != null) {
        request.header("Authorization", authorization);
      }
      return request.build();
    }

    private ManifestCheck notPresent(Reply reply) throws Failure {
      int status = reply.status();
      if (status == 404) {
        return ManifestCheck.absent();
      }
      String where = "registry " + registry;
      if (status == 401 || status == 403) {
        throw new Failure(UnknownKind.UNAUTHORIZED, where + " denied access to " + reference.repository()
            + " (HTTP " + status + ")" + errorDetail(reply) + loginNote());
      }
      throw failureForStatus(where, reply);
    }

  }

  /**
   * Authentication for the requests to one repository: the first Authorization header, the answer to a 401 challenge
   * (Basic, or the Bearer token flow for the scopes), and the token cache. Shared by checks and {@link RegistrySession}.
   */
  class Auth {
    final Login login;
    final String registry;
    /** The token scopes, such as {@code repository:app:pull}; a push session also asks for its mount sources. */
    final List<String> scopes;
    final String scope;
    final HttpClient client;
    final URI base;

    Auth(String registry, String registryHost, List<String> scopes) {
      this.login = credentials.find(registry).orElse(null);
      this.registry = registry;
      this.scopes = List.copyOf(scopes);
      this.scope = String.join(" ", scopes);
      this.client = clientsByRegistry.getOrDefault(registry, defaultClient);
      String scheme = isInsecure(registry) ? "http" : "https";
      this.base = URI.create(scheme + "://" + registryHost + "/v2/");
    }

    Duration requestTimeout() {
      return requestTimeout;
    }

    /** A message with the configured secrets removed, safe to show. */
    String scrub(String message) {
      return RegistryClient.this.scrub(message, login);
    }

    /** A cached token, a token for a registry known to use Bearer, or Basic when it is safe to send up front. */
    String initialAuthorization() throws Failure {
      String token = tokens.get(tokenKey());
      if (token != null) {
        return "Bearer " + token;
      }
      AuthChallenge known = challenges.get(registry);
      if (known != null && known.isBearer()) {
        return "Bearer " + fetchToken(known);
      }
      boolean basicWanted = known != null ? known.isBasic() : base.getScheme().equals("https");
      if (basicWanted && login != null && login.hasBasic()) {
        return login.basicAuthorization();
      }
      return null;
    }

    String authorizationAfterChallenge(Reply reply, String previous) throws Failure {
      List<AuthChallenge> offered = AuthChallenge.parse(reply.headers().allValues("WWW-Authenticate"));
      AuthChallenge bearer = offered.stream().filter(c -> c.isBearer() && c.parameter("realm") != null)
          .findFirst().orElse(null);
      if (bearer != null) {
        challenges.put(registry, bearer);
        tokens.remove(tokenKey());
        return "Bearer " + fetchToken(bearer);
      }
      AuthChallenge basic = offered.stream().filter(AuthChallenge::isBasic).findFirst().orElse(null);
      if (basic != null) {
        challenges.put(registry, basic);
        if (login == null || !login.hasBasic()) {
          throw new Failure(UnknownKind.UNAUTHORIZED, "registry " + registry
              + " requires a user name and password (Basic) and none is configured for it");
        }
        if (login.basicAuthorization().equals(previous)) {
          throw rejected(previous);
        }
        return login.basicAuthorization();
      }
      throw new Failure(UnknownKind.UNAUTHORIZED, "registry " + registry
          + " answered 401 without a Basic or Bearer challenge" + loginNote());
    }

    Failure rejected(String authorization) {
      if (authorization != null && authorization.startsWith("Bearer ")) {
        return new Failure(UnknownKind.UNAUTHORIZED, "registry " + registry + " refused the token issued for scope "
            + scope + loginNote());
      }
      return new Failure(UnknownKind.UNAUTHORIZED, "registry " + registry + " rejected the credentials" + loginNote());
    }

    String loginNote() {
      if (login == null) {
        return " (no credentials are configured for this registry)";
      }
      return login.hasBasic() ? " (user " + printable(login.username()) + ")" : " (identity token)";
    }

    String tokenKey() {
      return registry + " " + scope;
    }

    /** Runs the token flow for the challenge, caches the token and returns it. */
    String fetchToken(AuthChallenge bearer) throws Failure {
      URI realm;
      try {
        realm = new URI(bearer.parameter("realm"));
      } catch (URISyntaxException e) {
        throw new Failure(UnknownKind.UNEXPECTED_RESPONSE,
            "registry " + registry + " sent a Bearer challenge with an invalid realm");
      }
      String where = "token endpoint " + printable(String.valueOf(realm.getRawAuthority()));
      if (!realm.isAbsolute() || realm.getHost() == null
          || !(realm.getScheme().equalsIgnoreCase("https") || realm.getScheme().equalsIgnoreCase("http"))) {
        throw new Failure(UnknownKind.UNEXPECTED_RESPONSE,
            "registry " + registry + " sent a Bearer challenge whose realm is not an http(s) URL");
      }
      String realmAuthority = realm.getRawAuthority().toLowerCase(Locale.ROOT);
      if (realm.getScheme().equalsIgnoreCase("http") && !isInsecure(realmAuthority)) {
        throw new Failure(UnknownKind.UNEXPECTED_RESPONSE, "registry " + registry + " sends clients to plain-HTTP "
            + where + "; list " + printable(realmAuthority) + " as an insecure registry to allow it");
      }
      String service = bearer.parameter("service");
      HttpRequest.Builder request;
      if (login != null && login.identityToken() != null) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", login.identityToken());
        if (service != null) {
          form.put("service", service);
        }
        form.put("scope", scope);
        form.put("client_id", "envforge");
        request = HttpRequest.newBuilder(realm)
            .POST(HttpRequest.BodyPublishers.ofString(formEncode(form)))
            .header("Content-Type", "application/x-www-form-urlencoded");
      } else {
        Map<String, String> query = new LinkedHashMap<>();
        if (service != null) {
          query.put("service", service);
        }
        String separator = realm.getRawQuery() == null ? "?" : "&";
        StringBuilder encoded = new StringBuilder(formEncode(query));
        for (String each : scopes) {
          encoded.append(encoded.length() == 0 ? "" : "&").append(formEncode(Map.of("scope", each)));
        }
        request = HttpRequest.newBuilder(URI.create(realm + separator + encoded)).GET();
        if (login != null && login.hasBasic()) {
          request.header("Authorization", login.basicAuthorization());
        }
      }
      request.timeout(requestTimeout).header("Accept", "application/json");
      Reply reply = send(request.build(), MAX_SMALL_BODY_BYTES, where);
      if (reply.status() == 401 || reply.status() == 403) {
        throw new Failure(UnknownKind.UNAUTHORIZED, where + " refused a token for " + scope + " (HTTP "
            + reply.status() + ")" + errorDetail(reply) + loginNote());
      }
      if (reply.status() != 200) {
        throw failureForStatus(where, reply);
      }
      JsonNode body;
      try {
        body = JSON.readTree(reply.body());
      } catch (IOException e) {
        body = null;
      }
      String token = body == null ? null : firstText(body, "token", "access_token");
      if (token == null || !HEADER_SAFE.matcher(token).matches()) {
        throw new Failure(UnknownKind.UNEXPECTED_RESPONSE, where + " answered without a usable token");
      }
      long seconds = body.path("expires_in").asLong(DEFAULT_TOKEN_SECONDS);
      if (seconds <= 0) {
        seconds = DEFAULT_TOKEN_SECONDS;
      }
      // Stop using a token a little before it expires, so it is not refused in flight.
      long margin = Math.min(5, seconds / 10);
      tokens.put(tokenKey(), token, clock.instant().plusSeconds(seconds - margin));
      return token;
    }

    Reply send(HttpRequest request, int maxBodyBytes, String where) throws Failure {
      return exchange(clientFor(request), request, maxBodyBytes, where);
    }

    HttpClient clientFor(HttpRequest request) {
      return request.uri().getRawAuthority().equalsIgnoreCase(base.getRawAuthority())
          ? client : clientsByRegistry.getOrDefault(request.uri().getRawAuthority().toLowerCase(Locale.ROOT), client);
    }
  }

  static Reply exchange(HttpClient client, HttpRequest request, int maxBodyBytes, String where)
      throws Failure {
    CompletableFuture<HttpResponse<byte[]>> pending =
        client.sendAsync(request, info -> new LimitedBody(Math.max(maxBodyBytes, 0)));
    // The request timeout covers the headers; this deadline also covers a slow body.
    Duration deadline = request.timeout().orElse(Duration.ofSeconds(10)).plusSeconds(1);
    try {
      HttpResponse<byte[]> response = pending.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
      return new Reply(response.statusCode(), response.headers(), response.body());
    } catch (InterruptedException e) {
      pending.cancel(true);
      Thread.currentThread().interrupt();
      throw new Failure(UnknownKind.INTERRUPTED, where + ": interrupted while waiting for an answer");
    } catch (TimeoutException e) {
      pending.cancel(true);
      throw new Failure(UnknownKind.TIMEOUT, where + ": no answer within " + deadline.toMillis() + " ms");
    } catch (ExecutionException e) {
      throw classify(e.getCause(), where, request);
    }
  }

  static Failure classify(Throwable error, String where, HttpRequest request) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof HttpConnectTimeoutException) {
        return new Failure(UnknownKind.TIMEOUT, where + ": connecting timed out");
      }
      if (cause instanceof HttpTimeoutException) {
        return new Failure(UnknownKind.TIMEOUT, where + ": no answer within "
            + request.timeout().map(Duration::toMillis).orElse(0L) + " ms");
      }
      if (cause instanceof SSLException) {
        return new Failure(UnknownKind.TLS, where + ": TLS handshake failed: " + rootMessage(cause));
      }
      if (cause instanceof ConnectException) {
        return new Failure(UnknownKind.CONNECTION, where + ": connection failed: " + rootMessage(cause));
      }
      if (cause instanceof UnknownHostException) {
        return new Failure(UnknownKind.CONNECTION, where + ": unknown host " + printable(cause.getMessage()));
      }
      if (cause instanceof BodyTooLargeException) {
        return new Failure(UnknownKind.UNEXPECTED_RESPONSE, where + ": " + cause.getMessage());
      }
    }
    return new Failure(UnknownKind.CONNECTION, where + ": request failed: " + rootMessage(error));
  }

  static Failure failureForStatus(String where, Reply reply) {
    int status = reply.status();
    if (status == 429) {
      String retryAfter = reply.headers().firstValue("Retry-After").map(v -> ", retry after " + printable(v))
          .orElse("");
      return new Failure(UnknownKind.RATE_LIMITED, where + " is rate limiting (HTTP 429" + retryAfter + ")");
    }
    if (status >= 500) {
      return new Failure(UnknownKind.SERVER_ERROR, where + " failed with HTTP " + status + errorDetail(reply));
    }
    if (status >= 300 && status < 400) {
      return new Failure(UnknownKind.UNEXPECTED_RESPONSE, where + " redirected (HTTP " + status + ") to "
          + printable(reply.headers().firstValue("Location").orElse("nowhere")) + "; redirects are not followed");
    }
    return new Failure(UnknownKind.UNEXPECTED_RESPONSE, where + " answered HTTP " + status + errorDetail(reply));
  }

  /** The registry's error codes and messages ({@code {"errors":[{"code":..,"message":..}]}}), shortened. */
  static String errorDetail(Reply reply) {
    if (reply.body().length == 0) {
      return "";
    }
    StringBuilder detail = new StringBuilder();
    try {
      JsonNode errors = JSON.readTree(reply.body()).path("errors");
      for (JsonNode error : errors) {
        detail.append(detail.length() == 0 ? "" : "; ").append(error.path("code").asText("?"));
        String message = error.path("message").asText("");
        if (!message.isEmpty()) {
          detail.append(": ").append(message);
        }
      }
    } catch (IOException e) {
      return "";
    }
    return detail.length() == 0 ? "" : ": " + printable(detail.toString());
  }

  private static String rootMessage(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    return printable(message);
  }

  private boolean isInsecure(String registryOrAuthority) {
    String key = registryOrAuthority.toLowerCase(Locale.ROOT);
    if (insecureRegistries.contains(key)) {
      return true;
    }
    int colon = key.lastIndexOf(':');
    return colon > key.lastIndexOf(']') && insecureRegistries.contains(key.substring(0, colon));
  }

  private String scrub(String message, Login login) {
    String scrubbed = message;
    if (login != null) {
      for (String secret : login.secrets()) {
        scrubbed = scrubbed.replace(secret, "***");
      }
    }
    return scrubbed;
  }

  static String printable(String text) {
    return ImageReference.printable(text == null ? "null" : text);
  }

  private static String firstText(JsonNode body, String... fields) {
    for (String field : fields) {
      JsonNode value = body.get(field);
      if (value != null && value.isTextual() && !value.asText().isEmpty()) {
        return value.asText();
      }
    }
    return null;
  }

  private static String formEncode(Map<String, String> fields) {
    StringBuilder out = new StringBuilder();
    fields.forEach((name, value) -> out.append(out.length() == 0 ? "" : "&")
        .append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
        .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
    return out.toString();
  }

  static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }

  private static HttpClient newHttpClient(Duration connectTimeout, SSLContext sslContext) {
    HttpClient.Builder builder = HttpClient.newBuilder()
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .version(HttpClient.Version.HTTP_1_1);
    if (sslContext != null) {
      builder.sslContext(sslContext);
    }
    return builder.build();
  }

  /** Trusts the certificates of a PEM bundle and the JVM's default trust anchors, as Docker does with certs.d. */
  static SSLContext sslContextTrusting(String registry, String pem) {
    try {
      Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
      if (certificates.isEmpty()) {
        throw new IllegalArgumentException("the CA bundle for registry " + registry + " holds no certificate");
      }
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      int index = 0;
      for (Certificate certificate : certificates) {
        trusted.setCertificateEntry("custom-" + index++, certificate);
      }
      TrustManagerFactory defaults = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      defaults.init((KeyStore) null);
      for (TrustManager manager : defaults.getTrustManagers()) {
        if (manager instanceof X509TrustManager x509) {
          for (X509Certificate anchor : x509.getAcceptedIssuers()) {
            trusted.setCertificateEntry("default-" + index++, anchor);
          }
        }
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (CertificateException e) {
      throw new IllegalArgumentException("the CA bundle for registry " + registry + " is not valid PEM: "
          + printable(e.getMessage()));
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot set up TLS for registry " + registry, e);
    }
  }

  record Reply(int status, HttpHeaders headers, byte[] body) { }

  /** A check that ends without an answer; carries the kind and a message safe to show. */
  static final class Failure extends Exception {
    private final UnknownKind kind;

    Failure(UnknownKind kind, String message) {
      super(message, null, false, false);
      this.kind = kind;
    }

    UnknownKind kind() {
      return kind;
    }
  }

  private static final class BodyTooLargeException extends IOException {
    BodyTooLargeException(int limit) {
      super("answer body larger than " + limit + " bytes");
    }
  }

  /** Collects a response body up to a limit and fails beyond it, so a hostile server cannot exhaust memory. */
  private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final int limit;
    private final ByteArrayOutputStream collected = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private Flow.Subscription subscription;

    LimitedBody(int limit) {
      this.limit = limit;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      for (ByteBuffer buffer : buffers) {
        if (result.isDone()) {
          return;
        }
        if (collected.size() + buffer.remaining() > limit) {
          subscription.cancel();
          result.completeExceptionally(new BodyTooLargeException(limit));
          return;
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        collected.write(bytes, 0, bytes.length);
      }
    }

    @Override
    public void onError(Throwable error) {
      result.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
      result.complete(collected.toByteArray());
    }
  }

  /** Options of a {@link RegistryClient}; every one has a default. */
  public static final class Builder {
    private RegistryCredentials credentials = RegistryCredentials.NONE;
    private final Map<String, String> caBundles = new HashMap<>();
    private final Set<String> insecureRegistries = new HashSet<>();
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(10);
    private Duration cacheTtl = Duration.ofMinutes(10);
    private int cacheSize = 10_000;
    private RegistryCheckListener listener = RegistryCheckListener.NONE;
    private Clock clock = Clock.systemUTC();
    private long uploadChunkSize = 64L * 1024 * 1024;

    private Builder() {
    }

    /**
     * Blobs larger than this are uploaded in PATCH chunks of this size, smaller ones with one PUT; zero uploads every
     * blob with one PUT. 64 MiB by default. Either way the content is streamed, never held in memory.
     */
    public Builder uploadChunkSize(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("upload chunk size must not be negative");
      }
      this.uploadChunkSize = bytes;
      return this;
    }

    /** Logins by registry; none by default. */
    public Builder credentials(RegistryCredentials credentials) {
      this.credentials = Objects.requireNonNull(credentials);
      return this;
    }

    /**
     * Trusts the certificates of a PEM bundle for one registry (host and port as in image references), in addition
     * to the JVM's defaults. Also used for a token endpoint on that host.
     *
     * @throws IllegalArgumentException at {@link #build()} when the bundle is not valid PEM
     */
    public Builder caCertificates(String registry, String pemBundle) {
      caBundles.put(RegistryCredentials.normalizeKey(registry), Objects.requireNonNull(pemBundle));
      return this;
    }

    /**
     * Allows plain HTTP for these registries ({@code host:port} for one port, {@code host} for all). A token endpoint
     * on plain HTTP must be listed too. Nothing is insecure by default, loopback included.
     */
    public Builder insecureRegistries(Collection<String> registries) {
      registries.forEach(this::insecureRegistry);
      return this;
    }

    public Builder insecureRegistry(String registry) {
      insecureRegistries.add(RegistryCredentials.normalizeKey(registry));
      return this;
    }

    /** Time to open a connection (TLS handshake included); 10 s by default. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connect timeout");
      return this;
    }

    /** Time to wait for each answer; 10 s by default. */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive(timeout, "request timeout");
      return this;
    }

    /** How long a present answer is reused without asking again; 10 min by default, zero to never reuse. */
    public Builder cacheTtl(Duration ttl) {
      if (ttl.isNegative()) {
        throw new IllegalArgumentException("cache TTL must not be negative");
      }
      this.cacheTtl = ttl;
      return this;
    }

    /** How many present answers are kept at most; 10,000 by default. */
    public Builder cacheSize(int entries) {
      if (entries < 0) {
        throw new IllegalArgumentException("cache size must not be negative");
      }
      this.cacheSize = entries;
      return this;
    }

    public Builder listener(RegistryCheckListener listener) {
      this.listener = Objects.requireNonNull(listener);
      return this;
    }

    /** The clock for cache and token expiry. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    public RegistryClient build() {
      return new RegistryClient(this);
    }

    private static Duration positive(Duration duration, String what) {
      if (duration.isZero() || duration.isNegative()) {
        throw new IllegalArgumentException(what + " must be positive");
      }
      return duration;
    }
  }
}
