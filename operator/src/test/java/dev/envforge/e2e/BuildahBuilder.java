package dev.envforge.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.zip.GZIPInputStream;

/**
 * Builds build contexts for real with buildah, the way the operator's Kaniko Jobs build them in a cluster: a
 * Dockerfile in a context folder, base image pulled from a registry, host network (so a package index on 127.0.0.1
 * is reachable), the index credentials mounted read-only at {@value #SECRET_MOUNT} for the build only, one layer per
 * instruction and no layer cache, then a push to a registry.
 *
 * <p>All of buildah's state lives in a folder of this builder's own ({@code --root}, {@code --runroot},
 * {@code TMPDIR}); nothing touches the machine's container storage. Isolation is chroot: the default OCI runtime
 * fails on this kind of machine ("cgroups in hybrid mode not supported"), and chroot isolation only offers host
 * networking. Needs the Debian package {@code buildah} and root (or a user namespace buildah can set up).
 */
public final class BuildahBuilder implements AutoCloseable {
  /** Where a build sees the secret folder; the envforge Dockerfile reads {@code netrc} from there. */
  public static final String SECRET_MOUNT = "/run/secrets/envforge";

  private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(15);
  private static final Duration STEP_TIMEOUT = Duration.ofMinutes(5);
  private static final int TAIL_LINES = 30;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final java.util.regex.Pattern STEP_LINE = java.util.regex.Pattern.compile(
      "^STEP (\\d+)/\\d+: (.*)$");

  /** The containers/storage driver: vfs copies whole trees per layer; overlay shares them (needs root). */
  public enum StorageDriver {
    VFS("vfs"), OVERLAY("overlay");

    private final String id;

    StorageDriver(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }

    /**
     * The driver named by system property {@code envforge.e2e.storageDriver} (vfs or overlay). Without it, overlay
     * (faster, a third of the disk space), unless the folder is itself on overlayfs, which overlay cannot stack on
     * (as inside many CI containers); then vfs.
     */
    public static StorageDriver forDirectory(Path directory) {
      String name = System.getProperty("envforge.e2e.storageDriver", "");
      if (name.isEmpty()) {
        return isOnOverlayfs(directory) ? VFS : OVERLAY;
      }
      for (StorageDriver d : values()) {
        if (d.id.equalsIgnoreCase(name)) {
          return d;
        }
      }
      throw new IllegalArgumentException("envforge.e2e.storageDriver must be vfs or overlay, not " + name);
    }

    private static boolean isOnOverlayfs(Path directory) {
      Path existing = directory.toAbsolutePath();
      while (existing != null && !Files.exists(existing)) {
        existing = existing.getParent();
      }
      ExternalCommand.Result type = ExternalCommand.run(List.of("stat", "--file-system", "--format", "%T",
          String.valueOf(existing)), Duration.ofSeconds(30));
      return type.succeeded() && type.stdout().trim().equals("overlayfs");
    }
  }

  /** When the base image is fetched from its registry, as buildah's {@code --pull} says. */
  public enum PullPolicy {
    /** Pull when missing or when the registry has a newer one (Kaniko always asks the registry). */
    NEWER("true"),
    /** Only use what is in this builder's storage. */
    NEVER("never"),
    ALWAYS("always");

    private final String flag;

    PullPolicy(String flag) {
      this.flag = flag;
    }
  }

  /**
   * What to build.
   *
   * @param context the build context folder
   * @param dockerfile the Dockerfile's name inside the context
   * @param destination registry reference to tag and push, {@code host:port/repository:tag}
   * @param secretDirectory a folder mounted read-only at {@value #SECRET_MOUNT} during RUN instructions, if any
   * @param pull when the base image is pulled
   * @param authFile a registry auth file (Docker's config.json format) for pulls and the push, if any
   * @param tlsVerify whether registries must speak HTTPS with a trusted certificate; false allows plain HTTP
   * @param timestamp the image's creation time and layer file times in epoch seconds, for reproducible images;
   *     empty for the current time
   * @param platform the image's OS/architecture such as {@code linux/amd64}; empty for the machine's own
   */
  public record BuildRequest(Path context, String dockerfile, String destination, Optional<Path> secretDirectory,
      PullPolicy pull, Optional<Path> authFile, boolean tlsVerify, OptionalLong timestamp,
      Optional<String> platform) {
    public BuildRequest {
      Objects.requireNonNull(context, "context");
      Objects.requireNonNull(dockerfile, "dockerfile");
      Objects.requireNonNull(destination, "destination");
      Objects.requireNonNull(secretDirectory, "secretDirectory");
      Objects.requireNonNull(pull, "pull");
      Objects.requireNonNull(authFile, "authFile");
      Objects.requireNonNull(timestamp, "timestamp");
      Objects.requireNonNull(platform, "platform");
    }

    /** Builds {@code context/Dockerfile}, pulling the base when the registry has a newer one, over plain HTTP. */
    public static BuildRequest of(Path context, String destination) {
      return new BuildRequest(context, "Dockerfile", destination, Optional.empty(), PullPolicy.NEWER,
          Optional.empty(), false, OptionalLong.empty(), Optional.empty());
    }

    public BuildRequest withDockerfile(String name) {
      return new BuildRequest(context, name, destination, secretDirectory, pull, authFile, tlsVerify, timestamp,
          platform);
    }

    public BuildRequest withSecretDirectory(Path directory) {
      return new BuildRequest(context, dockerfile, destination, Optional.of(directory), pull, authFile, tlsVerify,
          timestamp, platform);
    }

    public BuildRequest withPull(PullPolicy policy) {
      return new BuildRequest(context, dockerfile, destination, secretDirectory, policy, authFile, tlsVerify,
          timestamp, platform);
    }

    public BuildRequest withAuthFile(Path file) {
      return new BuildRequest(context, dockerfile, destination, secretDirectory, pull, Optional.of(file), tlsVerify,
          timestamp, platform);
    }

    public BuildRequest withTlsVerify(boolean verify) {
      return new BuildRequest(context, dockerfile, destination, secretDirectory, pull, authFile, verify, timestamp,
          platform);
    }

    public BuildRequest withTimestamp(long epochSeconds) {
      return new BuildRequest(context, dockerfile, destination, secretDirectory, pull, authFile, tlsVerify,
          OptionalLong.of(epochSeconds), platform);
    }

    public BuildRequest withPlatform(String os, String architecture) {
      return new BuildRequest(context, dockerfile, destination, secretDirectory, pull, authFile, tlsVerify,
          timestamp, Optional.of(os + "/" + architecture));
    }
  }

  /**
   * One Dockerfile instruction as buildah ran it, timed from its {@code STEP i/n:} line to the next step's line
   * (or the end of the build): the instruction's work plus committing its layer.
   *
   * @param number position of the step, from 1
   * @param instruction the step's line after {@code STEP i/n: }, such as {@code RUN [...]}
   * @param started time since {@code buildah bud} started
   * @param duration how long the step took
   */
  public record Step(int number, String instruction, Duration started, Duration duration) {
    public String keyword() {
      int space = instruction.indexOf(' ');
      return space < 0 ? instruction : instruction.substring(0, space);
    }
  }

  /**
   * How a build and push went.
   *
   * @param succeeded whether both steps succeeded
   * @param failedStep "build" or "push" when one failed, else empty
   * @param digest the manifest digest the registry stored, when pushed
   * @param outputTail the last lines of the failed step's output, or of the build's output on success
   * @param log everything {@code buildah bud} and, when reached, {@code buildah push} wrote, in order
   * @param steps the Dockerfile instructions {@code buildah bud} ran, with their times
   * @param buildTime time {@code buildah bud} took
   * @param pushTime time {@code buildah push} took (zero when not reached)
   */
  public record BuildResult(boolean succeeded, Optional<String> failedStep, Optional<String> digest,
      List<String> outputTail, List<String> log, List<Step> steps, Duration buildTime, Duration pushTime) {
    /** The digest, or an AssertionError that shows the end of buildah's output. */
    public String requireDigest() {
      return digest.orElseThrow(() -> new AssertionError("the " + failedStep.orElse("build") + " failed:\n"
          + String.join("\n", outputTail)));
    }

    /** The tail as one text, for assertions on messages. */
    public String output() {
      return String.join("\n", outputTail);
    }

    /** The total time of the steps with this keyword (RUN, COPY...). */
    public Duration timeOf(String keyword) {
      return steps.stream().filter(s -> s.keyword().equals(keyword)).map(Step::duration)
          .reduce(Duration.ZERO, Duration::plus);
    }
  }

  /**
   * A member of an image layer.
   *
   * @param layer position of the layer, 0 for the bottom one
   * @param layerDigest digest of the layer blob
   * @param path path inside the image, without a leading slash
   * @param type file, directory, link...
   * @param linkTarget target of a link, or empty
   * @param size content size
   * @param content the bytes of a file when they were kept, else empty
   */
  public record LayerFile(int layer, String layerDigest, String path, TarFormat.EntryType type, String linkTarget,
      long size, byte[] content) {
    public String contentAsText() {
      return new String(content, StandardCharsets.UTF_8);
    }
  }

  /** Receives every member of every layer, with its content. */
  @FunctionalInterface
  public interface LayerVisitor {
    void visit(LayerFile file) throws IOException;
  }

  private final Path directory;
  private final StorageDriver driver;
  /** OCI layouts of images already exported for inspection, by image name; a new build of a name drops its entry. */
  private final Map<String, Path> exported = new java.util.HashMap<>();
  private final List<String> buildah;
  private final Map<String, String> environment;

  private BuildahBuilder(Path directory, StorageDriver driver) throws IOException {
    this.directory = directory;
    this.driver = driver;
    Path tmp = Files.createDirectories(directory.resolve("tmp"));
    this.buildah = List.of("buildah", "--root", directory.resolve("root").toString(), "--runroot",
        directory.resolve("runroot").toString(), "--storage-driver", driver.id());
    this.environment = Map.of("BUILDAH_ISOLATION", "chroot", "TMPDIR", tmp.toString());
  }

  /** Whether the buildah program is on PATH. */
  public static boolean isInstalled() {
    return ExternalCommand.onPath("buildah").isPresent();
  }

  /** A builder keeping its storage in the given folder, which {@link #close()} deletes. */
  public static BuildahBuilder create(Path directory, StorageDriver driver) {
    try {
      return new BuildahBuilder(Files.createDirectories(directory), driver);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public StorageDriver driver() {
    return driver;
  }

  public BuildResult buildAndPush(Path context, String destination) {
    return buildAndPush(BuildRequest.of(context, destination));
  }

  /** Builds the context, tags the image as the destination, and pushes it there. */
  public BuildResult buildAndPush(BuildRequest request) {
    Optional.ofNullable(exported.remove(request.destination())).ifPresent(BuildahBuilder::deleteQuietly);
    String tlsVerify = "--tls-verify=" + request.tlsVerify();
    List<String> bud = new ArrayList<>(buildah);
    // --http-proxy=false: proxy variables of this machine would send requests for 127.0.0.1 elsewhere
    bud.addAll(List.of("bud", "--isolation", "chroot", "--network", "host", "--http-proxy=false",
        "--pull=" + request.pull().flag,
        tlsVerify, "--layers", "--no-cache", "--quiet=false",
        "--file", request.context().resolve(request.dockerfile()).toString(), "--tag", request.destination()));
    request.secretDirectory().ifPresent(dir -> bud.addAll(List.of("--volume",
        dir.toAbsolutePath() + ":" + SECRET_MOUNT + ":ro")));
    request.authFile().ifPresent(file -> bud.addAll(List.of("--authfile", file.toString())));
    request.timestamp().ifPresent(seconds -> bud.addAll(List.of("--timestamp", Long.toString(seconds))));
    request.platform().ifPresent(platform -> bud.addAll(List.of("--platform", platform)));
    bud.add(request.context().toString());
    ExternalCommand.Result build = ExternalCommand.run(bud, environment, BUILD_TIMEOUT);
    List<Step> steps = steps(build);
    List<String> log = new ArrayList<>(build.output().lines().toList());
    if (!build.succeeded()) {
      return new BuildResult(false, Optional.of("build"), Optional.empty(), build.lastLines(TAIL_LINES), log,
          steps, build.elapsed(), Duration.ZERO);
    }
    Path digestFile = directory.resolve("tmp").resolve("digest-" + System.nanoTime());
    List<String> push = new ArrayList<>(buildah);
    push.addAll(List.of("push", tlsVerify, "--digestfile", digestFile.toString()));
    request.authFile().ifPresent(file -> push.addAll(List.of("--authfile", file.toString())));
    push.addAll(List.of(request.destination(), "docker://" + request.destination()));
    ExternalCommand.Result pushed = ExternalCommand.run(push, environment, STEP_TIMEOUT);
    log.addAll(pushed.output().lines().toList());
    if (!pushed.succeeded()) {
      return new BuildResult(false, Optional.of("push"), Optional.empty(), pushed.lastLines(TAIL_LINES), log,
          steps, build.elapsed(), pushed.elapsed());
    }
    try {
      String digest = Files.readString(digestFile).trim();
      Files.delete(digestFile);
      return new BuildResult(true, Optional.empty(), Optional.of(digest), build.lastLines(TAIL_LINES), log, steps,
          build.elapsed(), pushed.elapsed());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The steps of a build, from buildah's {@code STEP i/n: INSTRUCTION} lines and their arrival times. */
  static List<Step> steps(ExternalCommand.Result build) {
    List<Step> steps = new ArrayList<>();
    int number = 0;
    String instruction = null;
    Duration started = null;
    for (ExternalCommand.TimedLine line : build.lines()) {
      java.util.regex.Matcher m = STEP_LINE.matcher(line.text());
      if (m.matches()) {
        if (instruction != null) {
          steps.add(new Step(number, instruction, started, line.at().minus(started)));
        }
        number = Integer.parseInt(m.group(1));
        instruction = m.group(2);
        started = line.at();
      }
    }
    if (instruction != null) {
      steps.add(new Step(number, instruction, started, build.elapsed().minus(started)));
    }
    return List.copyOf(steps);
  }

  /**
   * Pulls an image from a registry into this builder's storage (plain HTTP allowed), so that {@link #run} and the
   * layer scans look at exactly what the registry serves, for example {@code host:port/repo@sha256:...}.
   */
  public void pull(String reference) {
    ExternalCommand.run(ExternalCommand.command(buildah, "pull", "--quiet", "--tls-verify=false", reference),
        environment, STEP_TIMEOUT).orThrow();
  }

  /**
   * Runs a command in a new container of a built image (as the image's user, on the host network) and removes the
   * container again. The exit code and output are returned, not checked.
   */
  public ExternalCommand.Result run(String image, String... command) {
    return run(image, Optional.empty(), command);
  }

  /** Like {@link #run(String, String...)}, as the given user ({@code uid[:gid]}) instead of the image's. */
  public ExternalCommand.Result runAs(String user, String image, String... command) {
    return run(image, Optional.of(user), command);
  }

  /**
   * Like {@link #run(String, String...)}, with host folders bind-mounted ({@code host:container[:ro]}), as a Pod
   * mounts volumes.
   */
  public ExternalCommand.Result runWithVolumes(String image, List<String> volumes, String... command) {
    return run(image, Optional.empty(), volumes, command);
  }

  private ExternalCommand.Result run(String image, Optional<String> user, String... command) {
    return run(image, user, List.of(), command);
  }

  private ExternalCommand.Result run(String image, Optional<String> user, List<String> volumes, String... command) {
    String container = ExternalCommand.run(ExternalCommand.command(buildah, "from", "--pull=never", "--quiet",
        image), environment, STEP_TIMEOUT).orThrow().stdout().trim();
    try {
      List<String> run = new ArrayList<>(buildah);
      run.addAll(List.of("run", "--isolation", "chroot", "--network", "host"));
      user.ifPresent(u -> run.addAll(List.of("--user", u)));
      volumes.forEach(v -> run.addAll(List.of("--volume", v)));
      run.add(container);
      run.add("--");
      run.addAll(List.of(command));
      return ExternalCommand.run(run, environment, STEP_TIMEOUT);
    } finally {
      ExternalCommand.run(ExternalCommand.command(buildah, "rm", container), environment, STEP_TIMEOUT);
    }
  }

  /** Every member of every layer of the image, without contents. */
  public List<LayerFile> layerFiles(String image) {
    List<LayerFile> files = new ArrayList<>();
    scanLayers(image, f -> files.add(new LayerFile(f.layer(), f.layerDigest(), f.path(), f.type(), f.linkTarget(),
        f.size(), new byte[0])));
    return files;
  }

  /**
   * The members of any layer whose content, path or link target contains the text (as UTF-8 bytes), with their
   * contents: for checks that a credential reached no layer.
   */
  public List<LayerFile> layerFilesContaining(String image, String text) {
    byte[] needle = text.getBytes(StandardCharsets.UTF_8);
    List<LayerFile> found = new ArrayList<>();
    scanLayers(image, f -> {
      if (f.path().contains(text) || f.linkTarget().contains(text) || indexOf(f.content(), needle) >= 0) {
        found.add(f);
      }
    });
    return found;
  }

  /** Streams every member of every layer of the image, bottom layer first, with file contents. */
  public void scanLayers(String image, LayerVisitor visitor) {
    Path layout = exportedLayout(image);
    try {
      JsonNode manifest = manifest(layout);
      int position = 0;
      for (JsonNode layer : manifest.path("layers")) {
        String digest = layer.path("digest").asText();
        int index = position++;
        try (InputStream in = maybeGunzip(Files.newInputStream(blob(layout, digest)))) {
          TarFormat.read(in, (entry, content) -> visitor.visit(new LayerFile(index, digest, entry.path(),
              entry.type(), entry.linkTarget(), entry.size(), content)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The sizes of the image's layers as uncompressed tar streams, bottom layer first. */
  public List<Long> uncompressedLayerSizes(String image) {
    Path layout = exportedLayout(image);
    try {
      List<Long> sizes = new ArrayList<>();
      // a blob that was compressed in storage stays compressed in the export: count the tar stream's bytes
      for (JsonNode layer : manifest(layout).path("layers")) {
        try (InputStream in = maybeGunzip(Files.newInputStream(blob(layout, layer.path("digest").asText())))) {
          sizes.add(in.transferTo(java.io.OutputStream.nullOutputStream()));
        }
      }
      return sizes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The image's configuration JSON (environment, labels, history), where build arguments would also show. */
  public String imageConfig(String image) {
    Path layout = exportedLayout(image);
    try {
      return Files.readString(blob(layout, manifest(layout).path("config").path("digest").asText()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The image as an OCI layout with uncompressed layers, exported once per build of that name. */
  private Path exportedLayout(String image) {
    return exported.computeIfAbsent(image, name -> {
      Path layout = directory.resolve("tmp").resolve("layout-" + System.nanoTime());
      ExternalCommand.run(ExternalCommand.command(buildah, "push", "--quiet", "--disable-compression", name,
          "oci:" + layout + ":inspected"), environment, STEP_TIMEOUT).orThrow();
      return layout;
    });
  }

  /** Bytes used by this builder's storage folder. */
  public long storageBytes() {
    String out = ExternalCommand.run(List.of("du", "-sb", directory.toString()), STEP_TIMEOUT).orThrow().stdout();
    return Long.parseLong(out.split("\\s+")[0]);
  }

  /** Removes all working containers and deletes the storage folder. */
  @Override
  public void close() {
    ExternalCommand.run(ExternalCommand.command(buildah, "rm", "--all"), environment, STEP_TIMEOUT);
    // overlay layers may stay mounted after a failed build; unmounting first lets the folder go
    ExternalCommand.run(ExternalCommand.command(buildah, "umount", "--all"), environment, STEP_TIMEOUT);
    deleteQuietly(directory);
  }

  private static JsonNode manifest(Path layout) throws IOException {
    JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
    String digest = index.path("manifests").path(0).path("digest").asText();
    return JSON.readTree(blob(layout, digest).toFile());
  }

  private static Path blob(Path layout, String digest) {
    String[] parts = digest.split(":", 2);
    return layout.resolve("blobs").resolve(parts[0]).resolve(parts[1]);
  }

  private static InputStream maybeGunzip(InputStream raw) throws IOException {
    BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
    in.mark(2);
    int b1 = in.read();
    int b2 = in.read();
    in.reset();
    return b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
  }

  static int indexOf(byte[] haystack, byte[] needle) {
    if (needle.length == 0) {
      return 0;
    }
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static void deleteQuietly(Path path) {
    try {
      LocalPythonBaseImage.deleteTree(path);
    } catch (IOException ignored) {
      // a leftover temporary folder is harmless
    }
  }
}
