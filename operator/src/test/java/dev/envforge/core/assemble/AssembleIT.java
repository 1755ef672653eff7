package dev.envforge.core.assemble;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.envforge.cli.Main;
import dev.envforge.core.registry.ImageReference;
import dev.envforge.core.registry.RegistryClient;
import dev.envforge.core.registry.RegistrySession;
import dev.envforge.core.registry.RegistrySession.BlobContent;
import dev.envforge.testing.RegistryProxy;
import dev.envforge.testing.RegistryProxy.RecordedRequest;
import dev.envforge.testing.RegistryServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code envforge assemble} end to end against a real docker-registry, through a counting {@link RegistryProxy}, with
 * wheels (Debian's pip and setuptools, and test-built ones) served by a local index that stands for a mirror of the
 * lock's index: the same plan twice from empty caches gives the same digests; a one-package change uploads one
 * package layer, the environment layer, the config and the manifest; a second environment sharing all but one
 * package uploads under 10 % of the first one's bytes; 300 packages fit in 100 layers; an sdist-only package and a
 * base with too many layers end with exit 4.
 */
class AssembleIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String LOCK_INDEX = "https://pypi.example/simple";

  @TempDir
  static Path work;
  static RegistryServer registry;
  static HttpServer index;
  static final Map<String, Path> served = new ConcurrentHashMap<>();
  static final AtomicInteger wheelDownloads = new AtomicInteger();
  static Path wheels;
  static String unavailable;

  @BeforeAll
  static void start() throws Exception {
    unavailable = RegistryServer.unavailableReason(RegistryServer.Options.plain()).orElse(null);
    if (unavailable != null) {
      return;
    }
    registry = RegistryServer.start();
    wheels = Files.createDirectories(work.resolve("wheels"));
    index = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    index.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      byte[] body;
      int status = 200;
      if (path.startsWith("/simple/")) {
        String project = path.substring(8).replace("/", "");
        StringBuilder html = new StringBuilder("<html><body>\n");
        served.forEach((name, file) -> {
          if (WheelFetcher.normalize(name.split("-")[0]).equals(project)) {
            html.append("<a href=\"../../packages/").append(name).append("#sha256=x\">").append(name).append("</a>\n");
          }
        });
        body = html.append("</body></html>").toString().getBytes(StandardCharsets.UTF_8);
      } else if (path.startsWith("/packages/") && served.containsKey(path.substring(10))) {
        wheelDownloads.incrementAndGet();
        body = exchange.getRequestMethod().equals("HEAD") ? new byte[0]
            : Files.readAllBytes(served.get(path.substring(10)));
        if (exchange.getRequestMethod().equals("HEAD")) {
          exchange.getResponseHeaders().add("Content-Length",
              Long.toString(Files.size(served.get(path.substring(10)))));
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
          return;
        }
      } else {
        status = 404;
        body = new byte[0];
      }
      exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        exchange.getResponseBody().write(body);
      }
      exchange.close();
    });
    index.start();
    pushBase("base/python", "3.11", 1);
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
    if (index != null) {
      index.stop(0);
    }
  }

  @BeforeEach
  void skipWithoutRegistry() {
    Assumptions.assumeTrue(unavailable == null, unavailable);
  }

  @Test
  void deterministicOnePackageChangeAndSharing() throws Exception {
    List<String> packages = new ArrayList<>(debianWheels());
    for (String name : List.of("alpha", "beta", "gamma")) {
      packages.add(serve(JavaWheels.small(wheels, name, "1.0", name + "-marker")));
    }
    Path first = project("first", packages);
    try (RegistryProxy proxy = RegistryProxy.inFrontOf(registry)) {
      // Twice from empty caches (no cache repository tags, no wheel or facts folder): the same image.
      JsonNode one = assemble(proxy, first, "app/one", "cache/one", work.resolve("cache-1"));
      long firstBytes = proxy.bytesReceived();
      JsonNode two = assemble(proxy, first, "app/two", "cache/two", work.resolve("cache-2"));
      assertThat(two.path("digest").asText()).isEqualTo(one.path("digest").asText());
      assertThat(one.path("builtLayers").asInt()).isEqualTo(packages.size());
      assertThat(two.path("builtLayers").asInt()).isEqualTo(packages.size());
      assertThat(layerDigests("app/two", two)).isEqualTo(layerDigests("app/one", one));
      assertThat(one.path("image").asText()).startsWith(proxy.hostPort() + "/app/one:ef-")
          .endsWith("@" + one.path("digest").asText());

      // One package changed: one package layer, the environment layer (packages.txt), the config, the manifest.
      List<String> changed = new ArrayList<>(packages);
      changed.remove(changed.size() - 1);
      changed.add(serve(JavaWheels.small(wheels, "gamma", "1.1", "gamma-changed")));
      proxy.clearRequests();
      JsonNode three = assemble(proxy, project("changed", changed), "app/one", "cache/one", work.resolve("cache-1"));
      assertThat(three.path("builtLayers").asInt()).isEqualTo(1);
      assertThat(three.path("foundLayers").asInt()).isEqualTo(packages.size() - 1);
      List<RecordedRequest> blobUploads = proxy.requests().stream()
          .filter(r -> r.method().equals("PUT") && r.path().contains("/blobs/uploads/")).toList();
      List<RecordedRequest> manifestPuts = proxy.requests().stream()
          .filter(r -> r.method().equals("PUT") && r.path().contains("/manifests/")).toList();
      assertThat(blobUploads).hasSize(3).allSatisfy(r -> assertThat(r.path()).startsWith("/v2/app/one/"));
      // the image's manifest, and the cache tag of the new layer in the cache repository
      assertThat(manifestPuts).extracting(r -> r.path().replaceAll("/manifests/.*", ""))
          .containsExactlyInAnyOrder("/v2/app/one", "/v2/cache/one");
      assertThat(proxy.count("PATCH")).isZero();

      // A second environment sharing all but one package, in another repository: under 10 % of the first's bytes.
      List<String> sharing = new ArrayList<>(packages);
      sharing.remove(sharing.size() - 2); // beta
      sharing.add(serve(JavaWheels.small(wheels, "delta", "1.0", "delta-marker")));
      proxy.clearRequests();
      JsonNode four = assemble(proxy, project("sharing", sharing), "app/other", "cache/one", work.resolve("cache-1"));
      assertThat(four.path("builtLayers").asInt()).isEqualTo(1);
      assertThat(proxy.bytesReceived()).isLessThan(firstBytes / 10);
    }
  }

  @Test
  void threeHundredPackagesFitInOneHundredLayers() throws Exception {
    List<String> packages = new ArrayList<>();
    Path dir = Files.createDirectories(work.resolve("many"));
    for (int i = 0; i < 300; i++) {
      packages.add(serve(JavaWheels.small(dir, "pkg" + i, "1.0", "m" + i)));
    }
    JsonNode image = assemble(null, project("many", packages), "app/many", "cache/many", work.resolve("cache-many"));
    assertThat(image.path("layers").asInt()).isLessThanOrEqualTo(LayerPlan.MAX_LAYERS);
    RegistrySession session = session("app/many");
    JsonNode manifest = JSON.readTree(session.manifest(image.path("digest").asText()).orElseThrow().content());
    assertThat(manifest.path("layers")).hasSize(image.path("layers").asInt());
    JsonNode config = JSON.readTree(session.blob(manifest.path("config").path("digest").asText(), 1 << 20));
    // one history entry per added layer (this base has no history of its own)
    assertThat(config.path("history")).hasSize(image.path("layers").asInt() - 1);
    assertThat(config.at("/config/User").asText()).isEqualTo("65532:65532");
    assertThat(config.at("/config/Labels/dev.envforge.package-count").asText()).isEqualTo("300");
  }

  @Test
  void anSdistOnlyPackageOrABaseWithTooManyLayersExitsWithFour() throws Exception {
    Path project = Files.createDirectories(work.resolve("sdist"));
    Files.writeString(project.resolve("pylock.toml"), "lock-version = '1.0'\ncreated-by = 'test'\n\n"
        + "[[packages]]\nname = 'builtonly'\nversion = '1.0'\nindex = '" + LOCK_INDEX + "'\n"
        + "sdist = {name = 'builtonly-1.0.tar.gz', url = 'https://pypi.example/packages/builtonly-1.0.tar.gz',"
        + " hashes = {sha256 = '" + "ab".repeat(32) + "'}}\n");
    StringWriter err = new StringWriter();
    int exit = run(new StringWriter(), err, project, registry.hostPort() + "/app/sdist",
        registry.hostPort() + "/cache/sdist", work.resolve("cache-sdist"), "base/python:3.11");
    assertThat(exit).as(err.toString()).isEqualTo(4);
    assertThat(err.toString()).contains("builtonly", "sdist", "Kaniko");

    pushBase("base/layered", "3.11", 90);
    List<String> packages = new ArrayList<>();
    Path dir = Files.createDirectories(work.resolve("layered"));
    for (int i = 0; i < 30; i++) {
      packages.add(serve(JavaWheels.small(dir, "lay" + i, "1.0", "m" + i)));
    }
    err = new StringWriter();
    exit = run(new StringWriter(), err, project("layered", packages), registry.hostPort() + "/app/layered",
        registry.hostPort() + "/cache/layered", work.resolve("cache-layered"), "base/layered:3.11");
    assertThat(exit).as(err.toString()).isEqualTo(4);
    assertThat(err.toString()).contains("90 layers", "100");
  }

  // ---- helpers

  private JsonNode assemble(RegistryProxy proxy, Path project, String repository, String cacheRepository,
      Path cacheDir) throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String hostPort = proxy != null ? proxy.hostPort() : registry.hostPort();
    int exit = run(out, err, project, hostPort + "/" + repository, hostPort + "/" + cacheRepository, cacheDir,
        "base/python:3.11", "--json");
    assertThat(exit).as(err.toString()).isZero();
    return JSON.readTree(out.toString());
  }

  /** Runs the command with the image, cache and base on the registry of {@code to} (a proxy or the registry). */
  private static int run(StringWriter out, StringWriter err, Path project, String to, String cache, Path cacheDir,
      String base, String... more) {
    String hostPort = to.substring(0, to.indexOf('/'));
    List<String> args = new ArrayList<>(List.of("assemble", project.toString(), "--python", "3.11.2",
        "--base-image", hostPort + "/" + base, "--to", to, "--cache-repo", cache, "--insecure",
        "--index-url", "http://127.0.0.1:" + index.getAddress().getPort() + "/simple",
        "--cache-dir", cacheDir.toString(), "--docker-config", emptyDockerConfig().toString()));
    args.addAll(List.of(more));
    return Main.run(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
  }

  private static Path emptyDockerConfig() {
    try {
      Path file = work.resolve("docker-config.json");
      if (!Files.exists(file)) {
        Files.writeString(file, "{\"auths\":{}}");
      }
      return file;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<String> layerDigests(String repository, JsonNode image) throws Exception {
    JsonNode manifest = JSON.readTree(session(repository).manifest(image.path("digest").asText()).orElseThrow()
        .content());
    List<String> digests = new ArrayList<>();
    manifest.path("layers").forEach(l -> digests.add(l.path("digest").asText()));
    return digests;
  }

  private static RegistrySession session(String repository) {
    return RegistryClient.builder().insecureRegistry(registry.hostPort()).build()
        .session(ImageReference.parse(registry.hostPort() + "/" + repository), false, List.of());
  }

  /** Debian's pip and setuptools wheels, when installed. */
  private static List<String> debianWheels() throws IOException {
    List<String> names = new ArrayList<>();
    Path folder = Path.of("/usr/share/python-wheels");
    if (Files.isDirectory(folder)) {
      try (Stream<Path> files = Files.list(folder)) {
        for (Path file : files.sorted().toList()) {
          String name = file.getFileName().toString();
          if (name.startsWith("pip-") || name.startsWith("setuptools-")) {
            names.add(serve(file));
          }
        }
      }
    }
    return names;
  }

  private static String serve(Path wheel) {
    served.put(wheel.getFileName().toString(), wheel);
    return wheel.getFileName().toString();
  }

  /** A pylock.toml naming each wheel at the lock's index host, with its sha256 and size. */
  private static Path project(String name, List<String> wheelNames) throws IOException {
    Path dir = Files.createDirectories(work.resolve("project-" + name));
    StringBuilder lock = new StringBuilder("lock-version = '1.0'\ncreated-by = 'test'\n");
    for (String wheel : wheelNames) {
      String[] parts = wheel.split("-");
      Path file = served.get(wheel);
      lock.append("\n[[packages]]\nname = '").append(parts[0]).append("'\nversion = '").append(parts[1])
          .append("'\nindex = '").append(LOCK_INDEX).append("'\n\n    [[packages.wheels]]\n    name = '")
          .append(wheel).append("'\n    url = 'https://pypi.example/packages/").append(wheel)
          .append("'\n    size = ").append(Files.size(file)).append("\n    hashes = {sha256 = '")
          .append(WheelInstaller.sha256Hex(file)).append("'}\n");
    }
    Files.writeString(dir.resolve("pylock.toml"), lock);
    return dir;
  }

  /**
   * A base image shaped like Debian's python3 (python3 linked to python3.11 in /usr/bin, /bin linked to usr/bin,
   * venv activate templates, a dpkg status with python3.11-minimal and libc6), in {@code layers} layers.
   */
  static void pushBase(String repository, String tag, int layers) throws Exception {
    RegistrySession session = RegistryClient.builder().insecureRegistry(registry.hostPort()).build()
        .session(ImageReference.parse(registry.hostPort() + "/" + repository), true, List.of());
    List<LayerWriter.Layer> written = new ArrayList<>();
    for (int i = 0; i < layers; i++) {
      Path file = work.resolve("base-" + repository.replace('/', '-') + "-" + i + ".tar.gz");
      LayerWriter.Layer layer;
      try (OutputStream out = Files.newOutputStream(file); LayerWriter writer = new LayerWriter(out)) {
        if (i == 0) {
          writer.symlink("bin", "usr/bin");
          writer.directory("usr");
          writer.directory("usr/bin");
          writer.symlink("usr/bin/python3", "python3.11");
          writer.file("usr/bin/python3.11", LayerWriter.EXECUTABLE_MODE, "ELF".getBytes(StandardCharsets.UTF_8));
          writer.directory("usr/lib");
          writer.directory("usr/lib/python3.11");
          writer.directory("usr/lib/python3.11/venv");
          writer.directory("usr/lib/python3.11/venv/scripts");
          writer.directory("usr/lib/python3.11/venv/scripts/common");
          writer.file("usr/lib/python3.11/venv/scripts/common/activate", LayerWriter.FILE_MODE,
              "VIRTUAL_ENV=\"__VENV_DIR__\"\nexport VIRTUAL_ENV\n".getBytes(StandardCharsets.UTF_8));
          writer.directory("var");
          writer.directory("var/lib");
          writer.directory("var/lib/dpkg");
          writer.file("var/lib/dpkg/status", LayerWriter.FILE_MODE, ("Package: libc6\nStatus: install ok installed\n"
              + "Version: 2.36-9+deb12u7\n\nPackage: python3.11-minimal\nStatus: install ok installed\n"
              + "Version: 3.11.2-6+deb12u5\n").getBytes(StandardCharsets.UTF_8));
        } else {
          writer.directory("etc");
          writer.file("etc/layer-" + i, LayerWriter.FILE_MODE, ("layer " + i).getBytes(StandardCharsets.UTF_8));
        }
        layer = writer.finish();
      }
      session.pushBlob(layer.digest(), layer.size(), BlobContent.of(file), List.of());
      written.add(layer);
    }
    ObjectNode config = JSON.createObjectNode().put("architecture", "amd64").put("os", "linux");
    config.putObject("config").putArray("Env").add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    ObjectNode rootfs = config.putObject("rootfs").put("type", "layers");
    written.forEach(l -> rootfs.withArray("diff_ids").add(l.diffId()));
    byte[] configBytes = JSON.writeValueAsBytes(config);
    session.pushBlob(ImageAssembler.digest(configBytes), configBytes.length, BlobContent.of(configBytes), List.of());
    ObjectNode manifest = JSON.createObjectNode().put("schemaVersion", 2)
        .put("mediaType", ImageAssembler.MANIFEST_MEDIA_TYPE);
    manifest.putObject("config").put("mediaType", ImageAssembler.CONFIG_MEDIA_TYPE)
        .put("digest", ImageAssembler.digest(configBytes)).put("size", configBytes.length);
    written.forEach(l -> manifest.withArray("layers").addObject().put("mediaType", ImageAssembler.LAYER_MEDIA_TYPE)
        .put("digest", l.digest()).put("size", l.size()));
    session.putManifest(tag, ImageAssembler.MANIFEST_MEDIA_TYPE, JSON.writeValueAsBytes(manifest));
  }
}
