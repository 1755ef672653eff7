package dev.envforge.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Assumptions;

/**
 * A real OCI registry on 127.0.0.1 for tests: Debian's {@code docker-registry} (CNCF distribution 2.8) started as a
 * process with its storage in a temporary folder, optionally with htpasswd Basic authentication and TLS.
 *
 * <pre>{@code
 * RegistryServer.Options options = RegistryServer.Options.plain().withBasicAuth("u", "p").withTls();
 * try (RegistryServer registry = RegistryServer.start(options)) {
 *   String digest = registry.pushRandomImage("team/app", "v1");
 *   ImageReference ref = ImageReference.parse(registry.reference("team/app", "v1"));
 *   RegistryClient client = RegistryClient.builder()
 *       .caCertificates(registry.hostPort(), registry.caPem())
 *       .credentials(RegistryCredentials.fromDockerConfigJson(registry.dockerConfigJson()))
 *       .build();
 * }
 * }</pre>
 *
 * <p>{@link #start} skips the calling test (a JUnit assumption) when {@code docker-registry}, or {@code htpasswd} for
 * Basic authentication, or {@code openssl} for TLS, is not installed ({@code apt-get install docker-registry
 * apache2-utils openssl}); {@link #unavailableReason} tells in advance. Each server has its own port and storage;
 * {@link #close()} stops the process and deletes the storage.
 */
public final class RegistryServer implements AutoCloseable {
  /** How the registry is served. Build with {@link #plain()} and the {@code with...} methods. */
  public record Options(String username, String password, boolean tls) {
    /** Plain HTTP, no authentication. */
    public static Options plain() {
      return new Options(null, null, false);
    }

    /** Requires HTTP Basic authentication with this user (an htpasswd file made with bcrypt). */
    public Options withBasicAuth(String user, String pass) {
      return new Options(Objects.requireNonNull(user), Objects.requireNonNull(pass), tls);
    }

    /** Serves HTTPS with a fresh self-signed certificate for {@code localhost} and {@code 127.0.0.1}. */
    public Options withTls() {
      return new Options(username, password, true);
    }

    public boolean basicAuth() {
      return username != null;
    }
  }

  /** The two manifest families a test image can be pushed as. */
  public enum ManifestFormat {
    OCI("application/vnd.oci.image.manifest.v1+json", "application/vnd.oci.image.index.v1+json",
        "application/vnd.oci.image.config.v1+json", "application/vnd.oci.image.layer.v1.tar+gzip"),
    DOCKER_V2("application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.docker.container.image.v1+json", "application/vnd.docker.image.rootfs.diff.tar.gzip");

    /** Media type of an image manifest. */
    public final String manifestType;
    /** Media type of an index (OCI) or manifest list (Docker). */
    public final String indexType;
    final String configType;
    final String layerType;

    ManifestFormat(String manifestType, String indexType, String configType, String layerType) {
      this.manifestType = manifestType;
      this.indexType = indexType;
      this.configType = configType;
      this.layerType = layerType;
    }
  }

  private static final String HOST = "127.0.0.1";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Options options;
  private final Path directory;
  private final Process process;
  private final int port;
  private final String caPem;
  private final SSLContext sslContext;
  private final HttpClient http;
  private final Duration startupTime;

  private RegistryServer(Options options, Path directory, Process process, int port, String caPem,
      SSLContext sslContext, HttpClient http, Duration startupTime) {
    this.options = options;
    this.directory = directory;
    this.process = process;
    this.port = port;
    this.caPem = caPem;
    this.sslContext = sslContext;
    this.http = http;
    this.startupTime = startupTime;
  }

  /** True when {@code docker-registry} is on the PATH. */
  public static boolean isInstalled() {
    return onPath("docker-registry");
  }

  /**
   * Why a registry with these options cannot be started here (a program is missing), or empty when it can. A test
   * class that starts registries in {@code @BeforeAll} can check this there and skip each test in
   * {@code @BeforeEach}, so that every skipped test is reported with the reason.
   */
  public static Optional<String> unavailableReason(Options options) {
    if (!isInstalled()) {
      return Optional.of("docker-registry is not installed (apt-get install docker-registry): skipping registry tests");
    }
    if (options.basicAuth() && !onPath("htpasswd")) {
      return Optional.of("htpasswd is not installed (apt-get install apache2-utils): skipping registry auth tests");
    }
    if (options.tls() && !onPath("openssl")) {
      return Optional.of("openssl is not installed (apt-get install openssl): skipping registry TLS tests");
    }
    return Optional.empty();
  }

  /** A plain-HTTP registry without authentication. */
  public static RegistryServer start() {
    return start(Options.plain());
  }

  /**
   * Starts a registry and waits until it answers {@code GET /v2/}.
   *
   * @throws org.opentest4j.TestAbortedException when a needed program is not installed (the test is skipped)
   * @throws IllegalStateException               when the registry does not come up; the message holds its log
   */
  public static RegistryServer start(Options options) {
    unavailableReason(options).ifPresent(reason -> Assumptions.abort(reason));
    Path directory = null;
    try {
      directory = Files.createTempDirectory("envforge-registry-");
      String caPem = null;
      SSLContext sslContext = null;
      if (options.tls()) {
        run(directory, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-days", "2", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1");
        caPem = Files.readString(directory.resolve("cert.pem"));
        sslContext = sslContextTrusting(caPem);
      }
      if (options.basicAuth()) {
        String line = run(directory, "htpasswd", "-Bbn", options.username(), options.password()).strip();
        Files.writeString(directory.resolve("htpasswd"), line + "\n");
      }
      HttpClient.Builder httpBuilder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
          .version(HttpClient.Version.HTTP_1_1);
      if (sslContext != null) {
        httpBuilder.sslContext(sslContext);
      }
      HttpClient http = httpBuilder.build();
      IllegalStateException lastFailure = null;
      for (int attempt = 0; attempt < 3; attempt++) {
        int port = freePort();
        Files.writeString(directory.resolve("config.yml"), config(directory, port, options));
        long start = System.nanoTime();
        Process process = new ProcessBuilder("docker-registry", "serve", directory.resolve("config.yml").toString())
            .directory(directory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(directory.resolve("registry.log").toFile())
            .start();
        String scheme = options.tls() ? "https" : "http";
        if (waitUntilReady(process, http, URI.create(scheme + "://" + HOST + ":" + port + "/v2/"))) {
          Duration startup = Duration.ofNanos(System.nanoTime() - start);
          return new RegistryServer(options, directory, process, port, caPem, sslContext, http, startup);
        }
        stop(process);
        String log = readLog(directory);
        lastFailure = new IllegalStateException("docker-registry did not become ready on port " + port + ":\n" + log);
        if (!log.contains("address already in use")) {
          break; // only a lost port race is worth another try
        }
      }
      throw lastFailure;
    } catch (IOException e) {
      deleteRecursively(directory);
      throw new UncheckedIOException("cannot start docker-registry", e);
    } catch (RuntimeException e) {
      deleteRecursively(directory);
      throw e;
    }
  }

  /** {@code 127.0.0.1}. */
  public String host() {
    return HOST;
  }

  public int port() {
    return port;
  }

  /** {@code 127.0.0.1:PORT}: the registry part of image references to this server. */
  public String hostPort() {
    return HOST + ":" + port;
  }

  /** {@code http://127.0.0.1:PORT} or {@code https://127.0.0.1:PORT}. */
  public URI url() {
    return URI.create((options.tls() ? "https" : "http") + "://" + hostPort());
  }

  /** {@code 127.0.0.1:PORT/repository:tag}. */
  public String reference(String repository, String tag) {
    return hostPort() + "/" + repository + ":" + tag;
  }

  public Options options() {
    return options;
  }

  public boolean tls() {
    return options.tls();
  }

  /** The Basic auth user, or null when the registry is open. */
  public String username() {
    return options.username();
  }

  /** The Basic auth password, or null when the registry is open. */
  public String password() {
    return options.password();
  }

  /**
   * A {@code .dockerconfigjson} document with this registry's login (as in a Kubernetes pull secret), or with no
   * {@code auths} entries when the registry is open.
   */
  public String dockerConfigJson() {
    Map<String, Object> auths = new LinkedHashMap<>();
    if (options.basicAuth()) {
      String pair = options.username() + ":" + options.password();
      auths.put(hostPort(), Map.of("auth", Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8))));
    }
    return json(Map.of("auths", auths));
  }

  /** The self-signed certificate in PEM, to trust as CA; null without TLS. */
  public String caPem() {
    return caPem;
  }

  /** The certificate file (PEM); null without TLS. */
  public Path certificateFile() {
    return options.tls() ? directory.resolve("cert.pem") : null;
  }

  /** The certificate's private key file (PKCS#8 PEM); null without TLS. */
  public Path privateKeyFile() {
    return options.tls() ? directory.resolve("key.pem") : null;
  }

  /** An SSLContext that trusts this registry's certificate only; null without TLS. */
  public SSLContext sslContext() {
    return sslContext;
  }

  /** From process start to the first answer of {@code GET /v2/}. */
  public Duration startupTime() {
    return startupTime;
  }

  /** Where the registry keeps its blobs and manifests. */
  public Path storageDirectory() {
    return directory.resolve("storage");
  }

  /** What the registry process has logged so far. */
  public String log() {
    return readLog(directory);
  }

  /**
   * Pushes a tiny valid OCI image (one empty gzip layer, a config with a random label, an OCI manifest) and returns
   * the digest the registry reported for the manifest. Every call makes a different digest.
   */
  public String pushRandomImage(String repository, String tag) {
    return pushRandomImage(repository, tag, ManifestFormat.OCI);
  }

  /** Like {@link #pushRandomImage(String, String)}, with the manifest, config and layer media types of a format. */
  public String pushRandomImage(String repository, String tag, ManifestFormat format) {
    return pushManifest(repository, tag, format.manifestType, randomImageManifest(repository, format));
  }

  /**
   * Pushes a random image by digest only, then an index (OCI) or manifest list (Docker) pointing at it under
   * {@code tag}; returns the index digest the registry reported.
   */
  public String pushRandomIndex(String repository, String tag, ManifestFormat format) {
    byte[] child = randomImageManifest(repository, format);
    String childDigest = pushManifest(repository, "sha256:" + sha256Hex(child), format.manifestType, child);
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("mediaType", format.manifestType);
    entry.put("digest", childDigest);
    entry.put("size", child.length);
    entry.put("platform", Map.of("architecture", "amd64", "os", "linux"));
    Map<String, Object> index = new LinkedHashMap<>();
    index.put("schemaVersion", 2);
    index.put("mediaType", format.indexType);
    index.put("manifests", List.of(entry));
    return pushManifest(repository, tag, format.indexType, json(index).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Sends a request to the registry as its owner would (trusting its certificate, with its Basic credentials): for
   * tests that look at raw answers.
   */
  public HttpResponse<byte[]> request(String method, String path, Map<String, String> headers) {
    HttpRequest.Builder request = authorized(HttpRequest.newBuilder(url().resolve(path)))
        .method(method, HttpRequest.BodyPublishers.noBody());
    headers.forEach(request::header);
    return send(request.build());
  }

  /** Stops the registry and deletes its storage. */
  @Override
  public void close() {
    stop(process);
    deleteRecursively(directory);
  }

  @Override
  public String toString() {
    return "RegistryServer[" + url() + (options.basicAuth() ? ", basic auth" : "") + "]";
  }

  private byte[] randomImageManifest(String repository, ManifestFormat format) {
    byte[] tar = new byte[1024]; // an empty tar archive: two zero blocks
    byte[] layer = gzip(tar);
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("architecture", "amd64");
    config.put("os", "linux");
    config.put("config", Map.of("Labels", Map.of("dev.envforge.test.nonce", UUID.randomUUID().toString())));
    config.put("rootfs", Map.of("type", "layers", "diff_ids", List.of("sha256:" + sha256Hex(tar))));
    byte[] configBytes = json(config).getBytes(StandardCharsets.UTF_8);
    String layerDigest = uploadBlob(repository, layer);
    String configDigest = uploadBlob(repository, configBytes);
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", format.manifestType);
    manifest.put("config", descriptor(format.configType, configDigest, configBytes.length));
    manifest.put("layers", List.of(descriptor(format.layerType, layerDigest, layer.length)));
    return json(manifest).getBytes(StandardCharsets.UTF_8);
  }

  private String uploadBlob(String repository, byte[] content) {
    String digest = "sha256:" + sha256Hex(content);
    HttpResponse<byte[]> started = send(authorized(HttpRequest.newBuilder(url().resolve("/v2/" + repository
        + "/blobs/uploads/"))).POST(HttpRequest.BodyPublishers.noBody()).build());
    expectStatus(started, 202, "starting a blob upload to " + repository);
    String location = started.headers().firstValue("Location")
        .orElseThrow(() -> new IllegalStateException("blob upload answered without Location"));
    String target = location + (location.contains("?") ? "&" : "?") + "digest="
        + URLEncoder.encode(digest, StandardCharsets.UTF_8);
    HttpResponse<byte[]> finished = send(authorized(HttpRequest.newBuilder(url().resolve(target)))
        .header("Content-Type", "application/octet-stream")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build());
    expectStatus(finished, 201, "finishing a blob upload to " + repository);
    return digest;
  }

  private String pushManifest(String repository, String reference, String mediaType, byte[] manifest) {
    HttpResponse<byte[]> response = send(authorized(HttpRequest.newBuilder(url().resolve("/v2/" + repository
        + "/manifests/" + reference)))
        .header("Content-Type", mediaType)
        .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)).build());
    expectStatus(response, 201, "pushing manifest " + repository + ":" + reference);
    String reported = response.headers().firstValue("Docker-Content-Digest")
        .orElseThrow(() -> new IllegalStateException("manifest push answered without Docker-Content-Digest"));
    String computed = "sha256:" + sha256Hex(manifest);
    if (!reported.equals(computed)) {
      throw new IllegalStateException("registry reported " + reported + " for a manifest whose sha256 is " + computed);
    }
    return reported;
  }

  private HttpRequest.Builder authorized(HttpRequest.Builder request) {
    request.timeout(Duration.ofSeconds(30));
    if (options.basicAuth()) {
      String pair = options.username() + ":" + options.password();
      request.header("Authorization",
          "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }
    return request;
  }

  private HttpResponse<byte[]> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static void expectStatus(HttpResponse<byte[]> response, int expected, String what) {
    if (response.statusCode() != expected) {
      throw new IllegalStateException(what + ": expected HTTP " + expected + ", got " + response.statusCode() + " "
          + new String(response.body(), StandardCharsets.UTF_8));
    }
  }

  private static Map<String, Object> descriptor(String mediaType, String digest, int size) {
    Map<String, Object> descriptor = new LinkedHashMap<>();
    descriptor.put("mediaType", mediaType);
    descriptor.put("digest", digest);
    descriptor.put("size", size);
    return descriptor;
  }

  private static String config(Path directory, int port, Options options) {
    StringBuilder yaml = new StringBuilder()
        .append("version: 0.1\n")
        .append("log:\n  level: warn\n  accesslog:\n    disabled: true\n")
        .append("storage:\n  filesystem:\n    rootdirectory: ").append(directory.resolve("storage")).append('\n')
        .append("  delete:\n    enabled: true\n")
        .append("http:\n  addr: ").append(HOST).append(':').append(port).append('\n')
        .append("  secret: ").append(UUID.randomUUID()).append('\n');
    if (options.tls()) {
      yaml.append("  tls:\n    certificate: ").append(directory.resolve("cert.pem")).append('\n')
          .append("    key: ").append(directory.resolve("key.pem")).append('\n');
    }
    if (options.basicAuth()) {
      yaml.append("auth:\n  htpasswd:\n    realm: envforge-test\n    path: ")
          .append(directory.resolve("htpasswd")).append('\n');
    }
    yaml.append("health:\n  storagedriver:\n    enabled: false\n");
    return yaml.toString();
  }

  private static boolean waitUntilReady(Process process, HttpClient http, URI probe) {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    HttpRequest request = HttpRequest.newBuilder(probe).timeout(Duration.ofSeconds(2)).GET().build();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        return false;
      }
      try {
        int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status == 200 || status == 401) {
          return true;
        }
      } catch (IOException notYet) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  private static void stop(Process process) {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    }
  }

  private static String run(Path directory, String... command) throws IOException {
    Path errors = directory.resolve(command[0] + ".err");
    Process process = new ProcessBuilder(command).directory(directory.toFile())
        .redirectError(errors.toFile()).start();
    try {
      process.getOutputStream().close();
      byte[] stdout = process.getInputStream().readAllBytes();
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(command[0] + " failed: " + Files.readString(errors));
      }
      return new String(stdout, StandardCharsets.UTF_8);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command[0], e);
    }
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    return Stream.of(path.split(java.io.File.pathSeparator))
        .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, program)));
  }

  private static String readLog(Path directory) {
    try {
      Path log = directory.resolve("registry.log");
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  static SSLContext sslContextTrusting(String pem) {
    try {
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      int index = 0;
      for (Certificate certificate : CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
        trusted.setCertificateEntry("ca-" + index++, certificate);
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (Exception e) {
      throw new IllegalStateException("cannot build an SSLContext from the certificate", e);
    }
  }

  private static byte[] gzip(byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static String sha256Hex(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteRecursively(Path directory) {
    if (directory == null || !Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // a temp folder left behind is not worth failing a test for
    }
  }
}
