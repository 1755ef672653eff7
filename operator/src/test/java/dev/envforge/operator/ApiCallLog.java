package dev.envforge.operator;

import io.fabric8.mockwebserver.DefaultMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The Kubernetes API requests the operator made to a mock API server, told apart from the test's own requests by
 * their User-Agent header. Tests count status writes with it, and {@link #appendToReport()} adds what the operator
 * called to {@value #REPORT}, which the Helm chart's RBAC test compares with the chart's rules.
 *
 * <p>Format of {@value #REPORT}: lines starting with {@code #} are comments; every other line is one kind of call,
 * five fields separated by one space, the file sorted and without duplicates:
 *
 * <pre>
 * VERB METHOD GROUP RESOURCE SCOPE
 * list GET batch jobs cluster
 * patch PATCH envforge.dev pythonenvironments/status namespaced
 * </pre>
 *
 * <ul>
 *   <li>VERB: the RBAC verb the request needs: get, list, watch, create, update, patch, delete, deletecollection
 *       (a GET or DELETE without an object name is list or deletecollection; {@code watch=true} makes watch).
 *   <li>METHOD: the HTTP method.
 *   <li>GROUP: the API group, {@code core} for the legacy {@code /api/v1} group.
 *   <li>RESOURCE: the plural resource, with {@code /subresource} when there is one (pythonenvironments/status).
 *   <li>SCOPE: {@code namespaced} for a request inside one namespace ({@code /namespaces/NS/...}; a Role
 *       suffices), {@code cluster} for a request across all namespaces or on a cluster-scoped resource (needs a
 *       ClusterRole).
 * </ul>
 *
 * Requests outside the resource API (such as {@code /version}) are written as {@code nonresource METHOD - PATH
 * cluster}. The file is the union over every test class run since the last {@code mvn clean}.
 */
final class ApiCallLog {
  static final String REPORT = "target/envforge-api-calls.txt";
  private static final String HEADER = """
      # Kubernetes API calls the envforge operator made in the operator tests, one kind of call a line:
      # VERB METHOD GROUP RESOURCE[/SUBRESOURCE] SCOPE  (SCOPE: namespaced = inside one namespace, cluster = across
      # namespaces or cluster-scoped). Written by dev.envforge.operator.ApiCallLog; see its Javadoc.
      """;

  /** One request: method, path with query, User-Agent and body (empty when there was none). */
  record Call(String method, String path, String userAgent, String body) {
    String pathWithoutQuery() {
      int q = path.indexOf('?');
      return q < 0 ? path : path.substring(0, q);
    }

    boolean isStatusWrite() {
      return ("PATCH".equals(method) || "PUT".equals(method)) && pathWithoutQuery().endsWith("/status");
    }
  }

  private final DefaultMockServer server;
  private final Predicate<String> fromOperator;
  private final List<Call> calls = new ArrayList<>();

  /** @param fromOperator true for the User-Agent of a request the operator made */
  ApiCallLog(DefaultMockServer server, Predicate<String> fromOperator) {
    this.server = server;
    this.fromOperator = fromOperator;
  }

  /** Every request the operator made so far, oldest first. */
  synchronized List<Call> operatorCalls() {
    drain();
    return calls.stream().filter(c -> fromOperator.test(c.userAgent())).toList();
  }

  /** How many times the operator has written a status (PATCH or PUT on a /status subresource). */
  long statusWrites() {
    return operatorCalls().stream().filter(Call::isStatusWrite).count();
  }

  /** Adds the kinds of the operator's calls to {@value #REPORT}, keeping what earlier test classes wrote. */
  void appendToReport() {
    SortedSet<String> lines = new TreeSet<>();
    for (Call call : operatorCalls()) {
      lines.add(describe(call.method(), call.path()));
    }
    appendLines(Path.of(REPORT), lines);
  }

  static void appendLines(Path report, SortedSet<String> lines) {
    try {
      Files.createDirectories(report.toAbsolutePath().getParent());
      // test classes of one build may run in several JVMs: hold the file while merging
      try (FileChannel channel = FileChannel.open(report, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE)) {
        FileLock lock = channel.lock();
        try {
          SortedSet<String> merged = new TreeSet<>(lines);
          String existing = new String(Files.readAllBytes(report), StandardCharsets.UTF_8);
          existing.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).forEach(merged::add);
          String text = HEADER + String.join("\n", merged) + "\n";
          channel.truncate(0);
          channel.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), 0);
        } finally {
          lock.release();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + report, e);
    }
  }

  /** One report line for a request. */
  static String describe(String method, String pathAndQuery) {
    URI uri = URI.create(pathAndQuery);
    String path = uri.getPath();
    String query = uri.getQuery() == null ? "" : uri.getQuery();
    String[] parts = path.replaceAll("^/+|/+$", "").split("/");
    String group;
    int rest;
    if (parts.length >= 2 && parts[0].equals("api")) {
      group = "core";
      rest = 2; // api, v1
    } else if (parts.length >= 3 && parts[0].equals("apis")) {
      group = parts[1];
      rest = 3; // apis, group, version
    } else {
      return "nonresource " + method + " - " + path + " cluster";
    }
    List<String> tail = List.of(parts).subList(Math.min(rest, parts.length), parts.length);
    if (tail.isEmpty()) {
      return "nonresource " + method + " - " + path + " cluster";
    }
    boolean namespaced = tail.size() >= 3 && tail.get(0).equals("namespaces");
    List<String> resourcePath = namespaced ? tail.subList(2, tail.size()) : tail;
    String resource = resourcePath.get(0);
    String name = resourcePath.size() > 1 ? resourcePath.get(1) : null;
    String subresource = resourcePath.size() > 2 ? resourcePath.get(2) : null;
    boolean watch = List.of(query.split("&")).contains("watch=true") || List.of(query.split("&")).contains("watch=1");
    String verb = switch (method.toUpperCase(Locale.ROOT)) {
      case "GET" -> watch ? "watch" : name == null ? "list" : "get";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> name == null ? "deletecollection" : "delete";
      default -> method.toLowerCase(Locale.ROOT);
    };
    return verb + " " + method.toUpperCase(Locale.ROOT) + " " + group + " " + resource
        + (subresource == null ? "" : "/" + subresource) + " " + (namespaced ? "namespaced" : "cluster");
  }

  private void drain() {
    try {
      RecordedRequest request;
      while ((request = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
        calls.add(new Call(request.getMethod(), request.getPath(), request.getHeader("User-Agent"),
            request.getBody() == null ? "" : request.getUtf8Body()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
