package dev.envforge.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/** Serves /healthz (liveness), /readyz (readiness) and /metrics (Prometheus text) on one port. */
public final class HealthServer implements AutoCloseable {
  private final HttpServer server;

  /**
   * @param notLive why the process should be restarted, or empty
   * @param notReady why the process cannot do its work now, or empty
   */
  public HealthServer(int port, Supplier<Optional<String>> notLive, Supplier<Optional<String>> notReady,
      PrometheusMeterRegistry metrics) throws IOException {
    server = HttpServer.create(new InetSocketAddress(port), 16);
    server.createContext("/healthz", ex -> answer(ex, "not live", notLive.get()));
    server.createContext("/readyz", ex -> answer(ex, "not ready", notReady.get()));
    server.createContext("/metrics", ex -> {
      byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      send(ex, 200, body);
    });
    server.setExecutor(Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "envforge-health");
      t.setDaemon(true);
      return t;
    }));
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** 200 "ok", or 503 with the reason, so that a probe's failure can be read with curl. */
  private static void answer(HttpExchange ex, String failing, Optional<String> problem) throws IOException {
    String body = problem.map(p -> failing + ": " + p.replace('\n', ' ')).orElse("ok") + "\n";
    ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    send(ex, problem.isPresent() ? 503 : 200, body.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange ex, int code, byte[] body) throws IOException {
    ex.sendResponseHeaders(code, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
