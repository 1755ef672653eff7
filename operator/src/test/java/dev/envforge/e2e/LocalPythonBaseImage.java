package dev.envforge.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;

/**
 * A Python base image made from this machine's own Debian packages ({@code python3}, {@code python3-venv},
 * {@code python3-pip}, a shell and coreutils), so end-to-end builds need no network and no image from elsewhere.
 *
 * <p>The files those packages and their dependencies installed are copied into a root file system tar, imported
 * with buildah ({@code from scratch}, {@code add}, {@code commit}) and saved as an OCI layout. That layout is cached
 * per machine in {@code ${envforge.e2e.cache}} (default {@code ${java.io.tmpdir}/envforge-e2e}), in a folder named
 * by a hash of the recipe: the package versions, the file lists' rules and the image settings. A test run only pushes
 * the cached layout to its registry, which copies the compressed blobs unchanged.
 *
 * <p>The image keeps Debian's PEP 668 {@code EXTERNALLY-MANAGED} marker, so a system-wide {@code pip install} is
 * refused in it, as in the official Debian-based images; installs go into a venv.
 *
 * <p>Prerequisites, all Debian packages: {@code python3 python3-venv python3-pip buildah skopeo} (and {@code tar},
 * {@code dpkg}, which every Debian has). {@link #missingPrerequisites()} says which are missing.
 */
public final class LocalPythonBaseImage {
  /** Repository path of the image in a registry. */
  public static final String REPOSITORY = "envforge-e2e/python";

  /** Bumped when the way the image is made changes, so cached images of the old recipe are not reused. */
  static final int RECIPE_VERSION = 1;

  static final List<String> ROOT_PACKAGES = List.of(
      "python3", "python3-venv", "python3-pip", "base-files", "dash", "bash", "coreutils", "grep", "sed",
      "findutils");
  static final List<String> EXCLUDED_PREFIXES = List.of(
      "/usr/share/doc/", "/usr/share/man/", "/usr/share/info/", "/usr/share/locale/", "/usr/share/lintian/");
  /** Licence notices stay, although the rest of the documentation is left out. */
  static final List<String> KEPT_NAMES = List.of("copyright");
  /** Paths a maintainer script creates rather than dpkg, spelled as on a merged-/usr system. */
  static final List<String> EXTRA_HOST_PATHS = List.of("usr/bin/sh");
  static final String PASSWD = "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n";
  static final String GROUP = "root:x:0:\nnogroup:x:65534:\n";
  static final Map<String, String> ENVIRONMENT = Map.of(
      "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG", "C.UTF-8");

  private static final Duration STEP_TIMEOUT = Duration.ofMinutes(10);

  private final Path directory;
  private final String tag;
  private final String pythonVersion;
  private final boolean reused;
  private final Duration preparation;

  private LocalPythonBaseImage(Path directory, String tag, String pythonVersion, boolean reused,
      Duration preparation) {
    this.directory = directory;
    this.tag = tag;
    this.pythonVersion = pythonVersion;
    this.reused = reused;
    this.preparation = preparation;
  }

  /** Why the image cannot be made on this machine, or empty when it can. */
  public static Optional<String> missingPrerequisites() {
    List<String> missing = new ArrayList<>();
    for (String program : List.of("dpkg-query", "tar", "buildah", "skopeo")) {
      if (ExternalCommand.onPath(program).isEmpty()) {
        missing.add("program " + program);
      }
    }
    if (missing.isEmpty()) {
      DebianPackages packages = DebianPackages.ofThisMachine();
      for (String name : List.of("python3", "python3-venv", "python3-pip")) {
        if (!packages.isInstalled(name)) {
          missing.add("Debian package " + name);
        }
      }
    }
    return missing.isEmpty() ? Optional.empty()
        : Optional.of("missing " + String.join(", ", missing)
            + " (apt-get install -y python3 python3-venv python3-pip buildah skopeo)");
  }

  /** The cached image for this machine's packages, made first if it does not exist yet. */
  @SuppressWarnings("try") // the lock is held by the try block, not used in it
  public static LocalPythonBaseImage prepare() {
    long start = System.nanoTime();
    DebianPackages packages = DebianPackages.ofThisMachine();
    List<DebianPackages.InstalledPackage> closure = packages.closure(ROOT_PACKAGES);
    String pythonVersion = debianUpstreamVersion(packages.find("python3")
        .orElseThrow(() -> new IllegalStateException("python3 is not installed")).version());
    String tag = minorVersion(pythonVersion);
    String recipe = recipe(closure, tag);
    Path cacheRoot = Path.of(System.getProperty("envforge.e2e.cache",
        Path.of(System.getProperty("java.io.tmpdir"), "envforge-e2e").toString()));
    Path directory = cacheRoot.resolve("python-base-" + sha256(recipe).substring(0, 16));
    try {
      Files.createDirectories(cacheRoot);
      // several test JVMs may start at once: one builds, the others wait and reuse
      try (FileChannel channel = FileChannel.open(cacheRoot.resolve(directory.getFileName() + ".lock"),
          StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = channel.lock()) {
        boolean reused = Files.exists(directory.resolve("READY"));
        if (!reused) {
          build(closure, recipe, tag, directory);
        }
        return new LocalPythonBaseImage(directory, tag, pythonVersion, reused,
            Duration.ofNanos(System.nanoTime() - start));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The reference a Dockerfile names in FROM once the image is pushed to that registry. */
  public String reference(String registryHostPort) {
    return registryHostPort + "/" + REPOSITORY + ":" + tag;
  }

  /**
   * Pushes the cached image to a plain-HTTP registry such as {@code 127.0.0.1:PORT}.
   *
   * @return the manifest digest the registry stores
   */
  public String pushTo(String registryHostPort) {
    return pushTo(registryHostPort, Optional.empty());
  }

  /**
   * Pushes the cached image to a plain-HTTP registry that demands a login.
   *
   * @param credentials {@code user:password}, when the registry demands them
   * @return the manifest digest the registry stores
   */
  public String pushTo(String registryHostPort, Optional<String> credentials) {
    Path digestFile = directory.resolve("digest-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    try {
      List<String> copy = new ArrayList<>(List.of("skopeo", "copy", "--quiet", "--dest-tls-verify=false",
          "--digestfile", digestFile.toString()));
      credentials.ifPresent(c -> copy.addAll(List.of("--dest-creds", c)));
      copy.addAll(List.of("oci:" + directory.resolve("oci") + ":" + tag, "docker://" + reference(registryHostPort)));
      ExternalCommand.run(copy, STEP_TIMEOUT).orThrow();
      return Files.readString(digestFile).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteQuietly(digestFile);
    }
  }

  public String tag() {
    return tag;
  }

  /** The CPython version in the image, such as 3.11.2. */
  public String pythonVersion() {
    return pythonVersion;
  }

  /** Whether the image came from the cache rather than being made by this call. */
  public boolean reused() {
    return reused;
  }

  /** Time {@link #prepare()} took, including the build when the image was not cached. */
  public Duration preparation() {
    return preparation;
  }

  /** The OCI image layout of the image. */
  public Path ociLayout() {
    return directory.resolve("oci");
  }

  /** Every input that decides the image's content; its hash names the cache folder. */
  static String recipe(List<DebianPackages.InstalledPackage> closure, String tag) {
    StringBuilder recipe = new StringBuilder("envforge e2e python base, recipe " + RECIPE_VERSION + "\n");
    recipe.append("tag ").append(tag).append('\n');
    recipe.append("roots ").append(ROOT_PACKAGES).append('\n');
    recipe.append("excluded ").append(EXCLUDED_PREFIXES).append(" kept ").append(KEPT_NAMES).append('\n');
    recipe.append("extra ").append(EXTRA_HOST_PATHS).append('\n');
    recipe.append("passwd\n").append(PASSWD).append("group\n").append(GROUP);
    recipe.append("environment ").append(new java.util.TreeMap<>(ENVIRONMENT)).append('\n');
    closure.forEach(p -> recipe.append(p.binaryName()).append(' ').append(p.version()).append('\n'));
    return recipe.toString();
  }

  private static void build(List<DebianPackages.InstalledPackage> closure, String recipe, String tag, Path target)
      throws IOException {
    // made next to the target and moved into place when complete, so a crash never leaves a half image behind
    Path work = target.resolveSibling(target.getFileName() + ".partial");
    deleteTree(work);
    Files.createDirectories(work);
    try {
      Path rootfs = rootfsTar(closure, work);
      Path storage = work.resolve("buildah");
      List<String> buildah = List.of("buildah", "--root", storage.resolve("root").toString(), "--runroot",
          storage.resolve("runroot").toString(), "--storage-driver", "vfs");
      Map<String, String> chroot = Map.of("BUILDAH_ISOLATION", "chroot");
      String container = ExternalCommand.run(ExternalCommand.command(buildah, "from", "--quiet", "scratch"), chroot,
          STEP_TIMEOUT).orThrow().stdout().trim();
      ExternalCommand.run(ExternalCommand.command(buildah, "add", "--quiet", container, rootfs.toString(), "/"),
          chroot, STEP_TIMEOUT).orThrow();
      List<String> config = new ArrayList<>(List.of("config", "--cmd", "[\"python3\"]", "--os", "linux",
          "--label", "org.opencontainers.image.description=Debian python3, python3-venv and python3-pip copied "
              + "from the packages installed on the machine that ran the envforge tests"));
      new java.util.TreeMap<>(ENVIRONMENT).forEach((k, v) -> config.addAll(List.of("--env", k + "=" + v)));
      config.add(container);
      ExternalCommand.run(ExternalCommand.command(buildah, config), chroot, STEP_TIMEOUT).orThrow();
      String local = "localhost/" + REPOSITORY + ":" + tag;
      ExternalCommand.run(ExternalCommand.command(buildah, "commit", "--quiet", "--rm", "--timestamp", "0",
          container, local), chroot, STEP_TIMEOUT).orThrow();
      ExternalCommand.run(ExternalCommand.command(buildah, "push", "--quiet", local,
          "oci:" + work.resolve("oci") + ":" + tag), chroot, STEP_TIMEOUT).orThrow();
      deleteTree(storage);
      Files.delete(rootfs);
      Files.writeString(work.resolve("recipe.txt"), recipe);
      Files.writeString(work.resolve("READY"), "");
      deleteTree(target);
      try {
        Files.move(work, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(work, target);
      }
    } finally {
      deleteTree(work);
    }
  }

  /** Writes the root file system: a small /etc/passwd and /etc/group, then the packages' files from this machine. */
  private static Path rootfsTar(List<DebianPackages.InstalledPackage> closure, Path work) throws IOException {
    Path staging = Files.createDirectories(work.resolve("staging/etc"));
    Files.writeString(staging.resolve("passwd"), PASSWD);
    Files.writeString(staging.resolve("group"), GROUP);
    SortedSet<String> paths = DebianPackages.installedPaths(closure, EXCLUDED_PREFIXES, KEPT_NAMES);
    for (String extra : EXTRA_HOST_PATHS) {
      if (Files.exists(Path.of("/", extra), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        paths.add(extra);
      }
    }
    Path list = work.resolve("paths.txt");
    Files.write(list, paths, StandardCharsets.UTF_8);
    Path tar = work.resolve("rootfs.tar");
    ExternalCommand.run(List.of("tar", "--create", "--file", tar.toString(), "--numeric-owner",
        "--directory", work.resolve("staging").toString(), "etc/passwd", "etc/group"), STEP_TIMEOUT).orThrow();
    // directories are listed one by one, so --no-recursion keeps files of other packages out
    ExternalCommand.run(List.of("tar", "--append", "--file", tar.toString(), "--numeric-owner", "--no-recursion",
        "--directory", "/", "--verbatim-files-from", "--files-from", list.toString()), STEP_TIMEOUT).orThrow();
    return tar;
  }

  /** "3.11.2-6+deb12u6" → "3.11.2"; "2.36-9" → "2.36". */
  static String debianUpstreamVersion(String debianVersion) {
    String version = debianVersion;
    int epoch = version.indexOf(':');
    if (epoch >= 0) {
      version = version.substring(epoch + 1);
    }
    int revision = version.lastIndexOf('-');
    return revision >= 0 ? version.substring(0, revision) : version;
  }

  static String minorVersion(String version) {
    String[] parts = version.split("\\.");
    return parts[0] + "." + parts[1];
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var walk = Files.walk(root)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // a leftover digest file is harmless
    }
  }
}
