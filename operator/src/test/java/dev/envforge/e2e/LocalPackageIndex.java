package dev.envforge.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A PEP 503 "simple" package index on 127.0.0.1, serving files held in memory.
 *
 * <ul>
 *   <li>{@code GET /simple/}: the list of projects.</li>
 *   <li>{@code GET /simple/<project>/}: links to the project's files, each with a {@code #sha256=} fragment of the
 *       bytes served.</li>
 *   <li>{@code GET /files/<filename>}: a file.</li>
 * </ul>
 * With credentials, every request without the right HTTP basic authorization gets 401 and a
 * {@code WWW-Authenticate} challenge, as private indexes answer. Every request is recorded, so tests can tell
 * whether a build reached the index at all.
 */
public final class LocalPackageIndex implements AutoCloseable {
  /**
   * A request the index answered.
   *
   * @param method HTTP method
   * @param path request path
   * @param status the status sent
   * @param authorization the Authorization header received, or null
   */
  public record Request(String method, String path, int status, String authorization) {}

  /** Basic-auth credentials the index demands. */
  public record Credentials(String user, String password) {
    String header() {
      return "Basic " + Base64.getEncoder()
          .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final Map<String, Map<String, TestWheels.Distribution>> projects = new TreeMap<>();
  private final Optional<Credentials> credentials;
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  private LocalPackageIndex(Collection<TestWheels.Distribution> files, Optional<Credentials> credentials)
      throws IOException {
    for (TestWheels.Distribution file : files) {
      projects.computeIfAbsent(normalize(file.project()), k -> new TreeMap<>()).put(file.filename(), file);
    }
    this.credentials = credentials;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    this.executor = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "package-index");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Starts an index without authentication. */
  public static LocalPackageIndex start(Collection<TestWheels.Distribution> files) {
    return start(files, Optional.empty());
  }

  /** Starts an index that demands the given basic-auth credentials, if any. */
  public static LocalPackageIndex start(Collection<TestWheels.Distribution> files,
      Optional<Credentials> credentials) {
    try {
      return new LocalPackageIndex(files, credentials);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code http://127.0.0.1:PORT/simple}, without a trailing slash, as lock files write index URLs. */
  public URI simpleUrl() {
    return URI.create("http://127.0.0.1:" + port() + "/simple");
  }

  /** The simple URL with the credentials in it, as pip's {@code --index-url} accepts them. */
  public URI simpleUrlWithCredentials() {
    Credentials c = credentials.orElseThrow(() -> new IllegalStateException("the index has no credentials"));
    return URI.create("http://" + c.user() + ":" + c.password() + "@127.0.0.1:" + port() + "/simple");
  }

  /** Where a file is downloaded from. */
  public URI fileUrl(TestWheels.Distribution file) {
    return URI.create("http://127.0.0.1:" + port() + "/files/" + file.filename());
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  public int requestCount() {
    return requests.size();
  }

  /** The requests that downloaded a file (status 200 on /files/). */
  public List<String> downloadedFiles() {
    return requests.stream().filter(r -> r.status() == 200 && r.path().startsWith("/files/"))
        .map(r -> r.path().substring("/files/".length())).toList();
  }

  public void clearRequests() {
    requests.clear();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      respond(exchange, exchange.getRequestURI().getPath(), exchange.getRequestHeaders().getFirst("Authorization"));
    }
  }

  private int respond(HttpExchange exchange, String path, String authorization) throws IOException {
    String method = exchange.getRequestMethod();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      return send(exchange, 405, "text/plain", "method not allowed\n");
    }
    if (credentials.isPresent() && !credentials.get().header().equals(authorization)) {
      exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"envforge test index\"");
      return send(exchange, 401, "text/plain", "authentication required\n");
    }
    if (path.equals("/simple") || path.equals("/simple/")) {
      if (path.equals("/simple")) {
        return redirect(exchange, "/simple/");
      }
      StringBuilder html = page("Simple index");
      projects.keySet().forEach(p -> html.append("<a href=\"").append(p).append("/\">").append(p)
          .append("</a><br/>\n"));
      return send(exchange, 200, "text/html", html.append("</body></html>\n").toString());
    }
    if (path.startsWith("/simple/")) {
      String rest = path.substring("/simple/".length());
      String name = rest.endsWith("/") ? rest.substring(0, rest.length() - 1) : rest;
      String normalized = normalize(name);
      if (!projects.containsKey(normalized)) {
        return send(exchange, 404, "text/plain", "no project " + name + "\n");
      }
      if (!rest.equals(normalized + "/")) {
        // PEP 503: redirect to the normalized URL with a trailing slash
        return redirect(exchange, "/simple/" + normalized + "/");
      }
      StringBuilder html = page("Links for " + normalized);
      projects.get(normalized).values().forEach(f -> html.append("<a href=\"../../files/").append(f.filename())
          .append("#sha256=").append(f.sha256()).append("\" data-requires-python=\"&gt;=3.7\">")
          .append(f.filename()).append("</a><br/>\n"));
      return send(exchange, 200, "text/html", html.append("</body></html>\n").toString());
    }
    if (path.startsWith("/files/")) {
      String filename = path.substring("/files/".length());
      for (Map<String, TestWheels.Distribution> files : projects.values()) {
        TestWheels.Distribution file = files.get(filename);
        if (file != null) {
          return send(exchange, 200, "application/octet-stream", file.content());
        }
      }
    }
    return send(exchange, 404, "text/plain", "not found\n");
  }

  private static StringBuilder page(String title) {
    return new StringBuilder("<!DOCTYPE html>\n<html><head><meta name=\"pypi:repository-version\" content=\"1.0\">"
        + "<title>").append(title).append("</title></head><body>\n<h1>").append(title).append("</h1>\n");
  }

  private int redirect(HttpExchange exchange, String location) throws IOException {
    exchange.getResponseHeaders().set("Location", location);
    return send(exchange, 301, "text/plain", "moved\n");
  }

  private int send(HttpExchange exchange, int status, String type, String body) throws IOException {
    return send(exchange, status, type + "; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
  }

  private int send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
    // recorded before the answer, so a client that has its answer also sees its request counted
    requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), status,
        exchange.getRequestHeaders().getFirst("Authorization")));
    exchange.getResponseHeaders().set("Content-Type", type);
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
    if (!head) {
      exchange.getResponseBody().write(body);
    }
    return status;
  }

  /** PEP 503 normalization. */
  static String normalize(String name) {
    return name.toLowerCase(java.util.Locale.ROOT).replaceAll("[-_.]+", "-");
  }
}
