package dev.envforge.core.assemble;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.envforge.cli.Main;
import dev.envforge.core.registry.ImageReference;
import dev.envforge.core.registry.RegistryClient;
import dev.envforge.core.registry.RegistryCredentials;
import dev.envforge.core.registry.RegistrySession;
import dev.envforge.core.registry.RegistrySession.BlobContent;
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
import java.util.stream.Stream;

/**
 * What {@code envforge assemble} runs against in tests and benchmarks: a real docker-registry on loopback holding a
 * base image shaped like Debian's python3, and a local package index standing for a mirror of the lock's index
 * ({@code /simple/<project>/} pages, {@code /packages/<file>} files, streamed).
 */
final class AssembleFixture implements AutoCloseable {
  static final String LOCK_INDEX = "https://pypi.example/simple";
  private static final ObjectMapper JSON = new ObjectMapper();

  final Path work;
  final RegistryServer registry;
  /** The plan's Python, which must be the base's. */
  String python = "3.11.2";
  private final HttpServer index;
  private final Map<String, Path> served = new ConcurrentHashMap<>();

  private AssembleFixture(Path work, RegistryServer.Options options) throws IOException {
    this.work = work;
    this.registry = RegistryServer.start(options);
    this.index = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    index.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      try {
        if (path.startsWith("/simple/")) {
          String project = path.substring(8).replace("/", "");
          StringBuilder html = new StringBuilder("<html><body>\n");
          served.forEach((name, file) -> {
            if (WheelFetcher.normalize(name.split("-")[0]).equals(project)) {
              html.append("<a href=\"../../packages/").append(name).append("#sha256=x\">").append(name)
                  .append("</a>\n");
            }
          });
          byte[] body = html.append("</body></html>").toString().getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
        } else if (path.startsWith("/packages/") && served.containsKey(path.substring(10))) {
          Path file = served.get(path.substring(10));
          if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.getResponseHeaders().add("Content-Length", Long.toString(Files.size(file)));
            exchange.sendResponseHeaders(200, -1);
          } else {
            exchange.sendResponseHeaders(200, Files.size(file));
            Files.copy(file, exchange.getResponseBody());
          }
        } else {
          exchange.sendResponseHeaders(404, -1);
        }
      } finally {
        exchange.close();
      }
    });
    index.start();
  }

  /** A registry with the base image {@code base/python:3.11} and an empty index; null with the reason when the
   * registry cannot run here. */
  static AssembleFixture start(Path work) throws Exception {
    return start(work, RegistryServer.Options.plain());
  }

  /** The same on a registry started with these options (a login, TLS). */
  static AssembleFixture start(Path work, RegistryServer.Options options) throws Exception {
    AssembleFixture fixture = new AssembleFixture(work, options);
    fixture.pushBase("base/python", "3.11", 1);
    return fixture;
  }

  static String unavailableReason() {
    return RegistryServer.unavailableReason(RegistryServer.Options.plain()).orElse(null);
  }

  @Override
  public void close() {
    index.stop(0);
    registry.close();
  }

  String indexUrl() {
    return "http://127.0.0.1:" + index.getAddress().getPort() + "/simple";
  }

  /** Runs the command with the image, cache and base on the registry of {@code to} (a proxy or the registry). */
  int run(StringWriter out, StringWriter err, Path project, String to, String cache, Path cacheDir, String base,
      String... more) throws IOException {
    String hostPort = to.substring(0, to.indexOf('/'));
    Path dockerConfig = work.resolve("docker-config.json");
    if (!Files.exists(dockerConfig)) {
      Files.writeString(dockerConfig, "{\"auths\":{}}");
    }
    List<String> args = new ArrayList<>(List.of("assemble", project.toString(), "--python", python,
        "--base-image", hostPort + "/" + base, "--to", to, "--cache-repo", cache, "--insecure",
        "--index-url", indexUrl(), "--cache-dir", cacheDir.toString(), "--docker-config", dockerConfig.toString()));
    args.addAll(List.of(more));
    return Main.run(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
  }

  /** Assembles {@code project} on {@code hostPort} (the registry or a proxy in front of it) and returns the JSON. */
  JsonNode assemble(String hostPort, Path project, String repository, String cacheRepository, Path cacheDir)
      throws IOException {
    return assemble(hostPort, project, repository, cacheRepository, cacheDir, "base/python:3.11");
  }

  /** The same on another base image of the registry ({@code repository:tag}). */
  JsonNode assemble(String hostPort, Path project, String repository, String cacheRepository, Path cacheDir,
      String base) throws IOException {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = run(out, err, project, hostPort + "/" + repository, hostPort + "/" + cacheRepository, cacheDir,
        base, "--json");
    if (exit != 0) {
      throw new IllegalStateException("envforge assemble exited " + exit + ": " + err);
    }
    return JSON.readTree(out.toString());
  }

  RegistrySession session(String repository) {
    return RegistryClient.builder().insecureRegistry(registry.hostPort()).build()
        .session(ImageReference.parse(registry.hostPort() + "/" + repository), false, List.of());
  }

  /** Debian's pip and setuptools wheels, when installed. */
  List<String> debianWheels() throws IOException {
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

  String serve(Path wheel) {
    served.put(wheel.getFileName().toString(), wheel);
    return wheel.getFileName().toString();
  }

  /** A pylock.toml naming each wheel at the lock's index host, with its sha256 and size. */
  Path project(String name, List<String> wheelNames) throws IOException {
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
  void pushBase(String repository, String tag, int layers) throws Exception {
    RegistrySession session = RegistryClient.builder().insecureRegistry(registry.hostPort())
        .credentials(RegistryCredentials.fromDockerConfigJson(registry.dockerConfigJson())).build()
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
