package dev.envforge.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * An HTTP proxy on 127.0.0.1 in front of a registry, for tests that need to see or bend the traffic: it records every
 * request, can demand Bearer tokens from a {@link TokenAuthServer} (answering 401 with a {@code WWW-Authenticate:
 * Bearer} challenge as Docker Hub does), can leave {@code Docker-Content-Digest} out of HEAD answers, can refuse
 * cross-repository mounts as registries without them do, and can answer every request with a fixed status or only
 * after a delay.
 *
 * <p>In front of a TLS {@link RegistryServer} it serves TLS itself, with the registry's certificate, so clients trust
 * it with the same {@link RegistryServer#caPem()}.
 */
public final class RegistryProxy implements AutoCloseable {
  /**
   * One request the proxy answered.
   *
   * @param method        HTTP method
   * @param path          path and query
   * @param authorization the Authorization header as received, or null
   * @param accept        the Accept header, or null
   * @param status        the status answered
   */
  public record RecordedRequest(String method, String path, String authorization, String accept, int status) { }

  private record Fault(int status, Map<String, String> headers) { }

  private static final Pattern REPOSITORY_PATH = Pattern.compile("^/v2/(.+?)/(?:manifests|blobs|tags)/.*");
  /** Headers the JDK client sets itself, or that describe one hop only. */
  private static final Set<String> HOP_HEADERS = Set.of("connection", "content-length", "expect", "host", "upgrade",
      "transfer-encoding", "keep-alive", "date");

  private static final Pattern REFERRERS_PATH = Pattern.compile("^/v2/(.+?)/referrers/(sha256:[a-f0-9]{64})$");
  private static final Pattern MANIFEST_PATH = Pattern.compile("^/v2/(.+?)/manifests/[^/]+$");
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();
  /** The descriptors of manifests with a subject, by "repository subject-digest"; null: no referrers API. */
  private volatile Map<String, List<Map<String, Object>>> referrers;
  private final URI upstream;
  private final HttpClient upstreamClient;
  private final HttpServer server;
  private final ExecutorService executor;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final boolean tls;
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private final java.util.concurrent.atomic.AtomicLong bytesReceived = new java.util.concurrent.atomic.AtomicLong();
  private volatile TokenAuthServer tokenAuth;
  private volatile Fault fault;
  private volatile Duration delay = Duration.ZERO;
  private volatile boolean stripDigestOnHead;
  /** 0: mounts go to the registry; 202: mounts open a plain upload instead; another status: mounts answer it. */
  private volatile int mountRefusal;

  private RegistryProxy(URI upstream, SSLContext upstreamTrust, SSLContext serverTls) throws IOException {
    this(upstream, upstreamTrust, serverTls, 0);
  }

  private RegistryProxy(URI upstream, SSLContext upstreamTrust, SSLContext serverTls, int port) throws IOException {
    this.upstream = upstream;
    HttpClient.Builder client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5));
    if (upstreamTrust != null) {
      client.sslContext(upstreamTrust);
    }
    this.upstreamClient = client.build();
    InetSocketAddress address = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port);
    if (serverTls != null) {
      HttpsServer https = HttpsServer.create(address, 0);
      https.setHttpsConfigurator(new HttpsConfigurator(serverTls));
      this.server = https;
    } else {
      this.server = HttpServer.create(address, 0);
    }
    this.tls = serverTls != null;
    this.executor = Executors.newCachedThreadPool(runnable -> {
      Thread thread = new Thread(runnable, "registry-proxy");
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** A proxy in front of {@code registry}, serving TLS (with the registry's certificate) when the registry does. */
  public static RegistryProxy inFrontOf(RegistryServer registry) {
    try {
      SSLContext serverTls = registry.tls()
          ? serverContext(registry.certificateFile(), registry.privateKeyFile()) : null;
      return new RegistryProxy(registry.url(), registry.sslContext(), serverTls);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the registry proxy", e);
    }
  }

  /**
   * A plain proxy in front of {@code registry} on a given port: a registry that comes up where there was none (the
   * port chosen free beforehand, so clients first meet a refused connection).
   */
  public static RegistryProxy inFrontOf(RegistryServer registry, int port) {
    try {
      return new RegistryProxy(registry.url(), registry.sslContext(), null, port);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the registry proxy on port " + port, e);
    }
  }

  /** A plain-HTTP proxy in front of any upstream URL (trusting {@code upstreamTrust} for an https upstream). */
  public static RegistryProxy start(URI upstream, SSLContext upstreamTrust) {
    try {
      return new RegistryProxy(upstream, upstreamTrust, null);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the registry proxy", e);
    }
  }

  /** Demands a token from {@code auth} for every {@code /v2/} request; the upstream is reached without credentials. */
  public RegistryProxy requireBearerTokens(TokenAuthServer auth) {
    this.tokenAuth = auth;
    return this;
  }

  /** Answers every request with {@code status} (and these headers) without asking the upstream. */
  public void failWith(int status, Map<String, String> headers) {
    this.fault = new Fault(status, Map.copyOf(headers));
  }

  public void failWith(int status) {
    failWith(status, Map.of());
  }

  /** Waits this long before answering each request. */
  public void delayAnswers(Duration wait) {
    this.delay = wait;
  }

  /** Leaves {@code Docker-Content-Digest} out of HEAD answers, as some registries do. */
  public void stripDigestOnHead(boolean strip) {
    this.stripDigestOnHead = strip;
  }

  /**
   * Refuses cross-repository mounts ({@code POST /v2/<name>/blobs/uploads/?mount=...&from=...}) as registries without
   * them do: with {@code 202}, the registry opens a plain upload session instead (the distribution spec allows it; the
   * client must upload the blob); with another status (401, 403, 404, 405, ...), the mount is answered with that
   * status and an error body. {@code 0} forwards mounts again.
   */
  public RegistryProxy refuseMounts(int status) {
    this.mountRefusal = status;
    return this;
  }

  /**
   * Serves the OCI 1.1 referrers API in front of a registry that lacks it, as a registry with the API does: a
   * manifest PUT with a {@code subject} is answered with {@code OCI-Subject}, and
   * {@code GET /v2/<name>/referrers/<digest>} lists the manifests naming that subject (filtered by
   * {@code artifactType}).
   */
  public RegistryProxy serveReferrers() {
    referrers = new java.util.concurrent.ConcurrentHashMap<>();
    return this;
  }

  /** Forwards everything as it is again: no fixed status, no delay, digests kept. Token auth stays. */
  public void behaveNormally() {
    fault = null;
    delay = Duration.ZERO;
    stripDigestOnHead = false;
    mountRefusal = 0;
  }

  /** Every request answered so far, in order. */
  public List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  /** How many requests with this method were answered. */
  public long count(String method) {
    return requests.stream().filter(r -> r.method().equals(method)).count();
  }

  /** The request body bytes received since the start or the last {@link #clearRequests()}: what clients uploaded. */
  public long bytesReceived() {
    return bytesReceived.get();
  }

  public void clearRequests() {
    bytesReceived.set(0);
    requests.clear();
  }

  /** {@code 127.0.0.1:PORT}: the registry part of image references through this proxy. */
  public String hostPort() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  public URI url() {
    return URI.create((tls ? "https" : "http") + "://" + hostPort());
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      server.stop(0);
      executor.shutdownNow();
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getRawPath()
        + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    String accept = exchange.getRequestHeaders().getFirst("Accept");
    RecordedRequest[] recorded = new RecordedRequest[1];
    Answer answer = (status, bytes) -> {
      // recorded before answering, so a test sees the request as soon as its client has the answer
      recorded[0] = new RecordedRequest(method, path, authorization, accept, status);
      requests.add(recorded[0]);
      respond(exchange, method, status, bytes);
    };
    try {
      byte[] requestBody = exchange.getRequestBody().readAllBytes();
      bytesReceived.addAndGet(requestBody.length);
      Duration wait = delay;
      if (!wait.isZero()) {
        Thread.sleep(wait.toMillis());
      }
      Fault currentFault = fault;
      TokenAuthServer auth = tokenAuth;
      if (currentFault != null) {
        currentFault.headers().forEach(exchange.getResponseHeaders()::add);
        answer.send(currentFault.status(), error("FAULT", "injected HTTP " + currentFault.status()));
        return;
      }
      if (auth != null && path.startsWith("/v2/")) {
        Matcher repository = REPOSITORY_PATH.matcher(exchange.getRequestURI().getRawPath());
        String action = method.equals("GET") || method.equals("HEAD") ? "pull" : "push";
        String token = authorization != null && authorization.startsWith("Bearer ")
            ? authorization.substring(7) : null;
        boolean allowed = repository.matches() ? auth.allows(token, repository.group(1), action) : auth.isValid(token);
        if (!allowed) {
          String challenge = "Bearer realm=\"" + auth.realm() + "\",service=\"" + auth.service() + "\""
              + (repository.matches() ? ",scope=\"repository:" + repository.group(1) + ":" + action + "\"" : "");
          exchange.getResponseHeaders().add("WWW-Authenticate", challenge);
          answer.send(401, error("UNAUTHORIZED", "authentication required"));
          return;
        }
      }
      Map<String, List<Map<String, Object>>> index = referrers;
      Matcher referrersPath = REFERRERS_PATH.matcher(exchange.getRequestURI().getRawPath());
      if (index != null && method.equals("GET") && referrersPath.matches()) {
        String artifactType = exchange.getRequestURI().getQuery() == null ? null
            : exchange.getRequestURI().getQuery().replaceFirst("^.*artifactType=([^&]*).*$", "$1");
        List<Map<String, Object>> listed = index.getOrDefault(referrersPath.group(1) + " " + referrersPath.group(2),
            List.of()).stream().filter(d -> artifactType == null || artifactType.equals(d.get("artifactType")))
            .toList();
        exchange.getResponseHeaders().add("Content-Type", "application/vnd.oci.image.index.v1+json");
        if (artifactType != null) {
          exchange.getResponseHeaders().add("OCI-Filters-Applied", "artifactType");
        }
        answer.send(200, JSON.writeValueAsBytes(Map.of("schemaVersion", 2,
            "mediaType", "application/vnd.oci.image.index.v1+json", "manifests", listed)));
        return;
      }
      String forwardPath = path;
      int refusal = mountRefusal;
      if (refusal != 0 && method.equals("POST") && exchange.getRequestURI().getRawPath().endsWith("/blobs/uploads/")
          && exchange.getRequestURI().getRawQuery() != null
          && exchange.getRequestURI().getRawQuery().contains("mount=")) {
        if (refusal != 202) {
          answer.send(refusal, error(refusal == 404 ? "BLOB_UNKNOWN" : "DENIED", "cross-repository mount refused"));
          return;
        }
        forwardPath = exchange.getRequestURI().getRawPath(); // a plain upload: the registry answers 202 and a Location
      }
      HttpRequest.Builder forward = HttpRequest.newBuilder(upstream.resolve(forwardPath)).timeout(Duration.ofSeconds(30))
          .method(method, requestBody.length == 0 ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(requestBody));
      exchange.getRequestHeaders().forEach((name, values) -> {
        String lower = name.toLowerCase(Locale.ROOT);
        boolean dropAuthorization = lower.equals("authorization") && auth != null;
        if (!HOP_HEADERS.contains(lower) && !dropAuthorization) {
          values.forEach(value -> forward.header(name, value));
        }
      });
      HttpResponse<byte[]> upstreamAnswer =
          upstreamClient.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
      upstreamAnswer.headers().map().forEach((name, values) -> {
        String lower = name.toLowerCase(Locale.ROOT);
        if (HOP_HEADERS.contains(lower) || lower.startsWith(":")
            || (stripDigestOnHead && method.equals("HEAD") && lower.equals("docker-content-digest"))) {
          return;
        }
        for (String value : values) {
          // upload locations point at the upstream: send the client back through the proxy
          exchange.getResponseHeaders().add(name,
              lower.equals("location") ? value.replace(upstream.toString(), url().toString()) : value);
        }
      });
      Matcher manifestPath = MANIFEST_PATH.matcher(exchange.getRequestURI().getRawPath());
      if (index != null && method.equals("PUT") && manifestPath.matches() && upstreamAnswer.statusCode() == 201) {
        var manifest = JSON.readTree(requestBody);
        String subject = manifest.path("subject").path("digest").asText("");
        if (!subject.isEmpty()) {
          Map<String, Object> descriptor = new java.util.LinkedHashMap<>();
          descriptor.put("mediaType", manifest.path("mediaType").asText());
          descriptor.put("digest", upstreamAnswer.headers().firstValue("Docker-Content-Digest").orElseThrow());
          descriptor.put("size", requestBody.length);
          descriptor.put("artifactType", manifest.path("artifactType").asText(
              manifest.path("config").path("mediaType").asText()));
          if (manifest.path("annotations").isObject()) {
            descriptor.put("annotations", JSON.convertValue(manifest.path("annotations"), Map.class));
          }
          List<Map<String, Object>> listed = index.computeIfAbsent(manifestPath.group(1) + " " + subject,
              k -> new CopyOnWriteArrayList<>());
          if (listed.stream().noneMatch(d -> d.get("digest").equals(descriptor.get("digest")))) {
            listed.add(descriptor);
          }
          exchange.getResponseHeaders().add("OCI-Subject", subject);
        }
      }
      answer.send(upstreamAnswer.statusCode(), upstreamAnswer.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      try {
        if (recorded[0] == null) {
          answer.send(502, error("PROXY", "upstream failed"));
        }
      } catch (IOException | RuntimeException alreadyAnswered) {
        // the client is gone or headers were sent: nothing more to say
      }
    } finally {
      exchange.close();
    }
  }

  @FunctionalInterface
  private interface Answer {
    void send(int status, byte[] body) throws IOException;

    default void send(int status, String body) throws IOException {
      send(status, body.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static void respond(HttpExchange exchange, String method, int status, byte[] body) throws IOException {
    if (method.equals("HEAD") || body.length == 0) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
  }

  private static String error(String code, String message) {
    return "{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}]}";
  }

  /** A server SSLContext from a PEM certificate and its PKCS#8 PEM EC private key (what openssl req writes). */
  private static SSLContext serverContext(Path certificateFile, Path keyFile) throws IOException {
    try {
      Certificate certificate = CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(certificateFile)));
      String pem = Files.readString(keyFile);
      String base64 = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
      PrivateKey key = KeyFactory.getInstance("EC")
          .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      char[] password = "proxy".toCharArray();
      store.setKeyEntry("proxy", key, password, new Certificate[] {certificate});
      KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      return context;
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("cannot serve TLS with " + certificateFile, e);
    }
  }
}
