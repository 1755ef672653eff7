package dev.envforge.core.assemble;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.envforge.core.assemble.BlobStore.Descriptor;
import dev.envforge.core.registry.RegistrySession;
import dev.envforge.core.registry.RegistrySession.BlobContent;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Reads what the assembler needs from a base image in a registry, without running it: the manifest for the platform,
 * the config, and from the layers (whiteouts applied) the interpreter {@code python3} on the config's PATH with links
 * resolved, its version, the glibc version and the venv activate templates.
 *
 * <p>The facts depend only on the base's manifest digest, so they are read once per digest: kept in a folder on disk
 * and as the tag {@code base-<hex>} in the layer cache repository (for build Jobs that start without a disk).
 */
public final class BaseImageReader {
  /** The artifact type of the base-facts manifests in the cache repository; bumped when the facts change. */
  public static final String FACTS_ARTIFACT = "application/vnd.dev.envforge.base-facts.v1+json";
  static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PY_MINOR = Pattern.compile("python(3\\.[0-9]{1,2})");
  private static final Pattern VERSION = Pattern.compile("3\\.[0-9]{1,2}\\.[0-9]{1,3}");
  private static final Pattern PATCHLEVEL = Pattern.compile("#define\\s+PY_VERSION\\s+\"(3\\.[0-9]+\\.[0-9]+)");
  private static final Pattern VENV_SCRIPT = Pattern.compile(".*/lib/python3\\.[0-9]+/venv/scripts/(common|posix)/[^/]+");
  private static final Pattern PATCHLEVEL_PATH = Pattern.compile(".*/include/python3\\.[0-9]+/patchlevel\\.h");
  private static final Pattern MUSL = Pattern.compile("(usr/)?lib/ld-musl-[^/]+\\.so\\.1");
  private static final Pattern LIBC_FILE = Pattern.compile(".*/libc-2\\.([0-9]+)\\.so");
  private static final int MAX_TEXT = 4 * 1024 * 1024;
  /** Files whose bytes name a version: an interpreter or libpython ({@code PY_VERSION}), glibc's libc. */
  private static final Pattern PYTHON_BINARY = Pattern.compile("(.*/)?(python3\\.[0-9]+|libpython3\\.[0-9]+\\.so[.0-9]*)");
  private static final Pattern LIBC_BINARY = Pattern.compile("(.*/)?libc\\.so\\.6");
  private static final Pattern GLIBC_BYTES = Pattern.compile("release version 2\\.([0-9]+)");

  /** What the assembler needs to know about a base image's Python. */
  public record Facts(BaseInterpreter python, WheelChoice.Interpreter interpreter,
      Map<String, String> activateTemplates) { }

  /** A base image: its manifest digest, its layers and config, and the facts. */
  public record Base(String repository, String manifestDigest, ImageAssembler.BaseImage image, Facts facts) { }

  private BaseImageReader() {}

  /**
   * Reads the base image {@code reference} (a tag or digest of {@code session}'s repository) for {@code platform}
   * ({@code linux/amd64}, {@code linux/arm64}).
   *
   * @param factsDir a folder to keep facts in, or null
   * @param cache    the layer cache repository to keep facts in, or null
   */
  public static Base read(RegistrySession session, String displayName, String reference, String platform,
      Path workDir, Path factsDir, RegistrySession cache) throws IOException {
    RegistrySession.Manifest manifest = session.manifest(reference).orElseThrow(() ->
        new IOException("base image " + displayName + " not found in registry " + session.registry()));
    JsonNode node = JSON.readTree(manifest.content());
    String architecture = platform.split("/")[1];
    if (node.has("manifests")) {
      String chosen = null;
      for (JsonNode entry : node.path("manifests")) {
        JsonNode p = entry.path("platform");
        if (p.path("os").asText().equals("linux") && p.path("architecture").asText().equals(architecture)) {
          chosen = entry.path("digest").asText();
          break;
        }
      }
      if (chosen == null) {
        throw new AssembleRefusedException("base image " + displayName + " has no manifest for " + platform);
      }
      String digest = chosen;
      manifest = session.manifest(digest).orElseThrow(() ->
          new IOException("base image " + displayName + ": manifest " + digest + " of its index is missing"));
      node = JSON.readTree(manifest.content());
    }
    String configDigest = node.path("config").path("digest").asText();
    ObjectNode config = (ObjectNode) JSON.readTree(session.blob(configDigest, 8 * 1024 * 1024));
    List<Descriptor> layers = new ArrayList<>();
    for (JsonNode layer : node.path("layers")) {
      layers.add(new Descriptor(layer.path("mediaType").asText(), layer.path("digest").asText(),
          layer.path("size").asLong()));
    }
    ImageAssembler.BaseImage image = new ImageAssembler.BaseImage(displayName, config, List.copyOf(layers));
    String hex = manifest.digest().substring("sha256:".length());
    Facts facts = cachedFacts(factsDir, cache, hex);
    if (facts == null) {
      facts = scan(session, displayName, config, layers, workDir);
      storeFacts(factsDir, cache, hex, facts);
    }
    return new Base(session.repository(), manifest.digest(), image, facts);
  }

  private static Facts cachedFacts(Path factsDir, RegistrySession cache, String hex) throws IOException {
    if (factsDir != null && Files.isRegularFile(factsDir.resolve("base-" + hex + ".json"))) {
      return fromJson(Files.readAllBytes(factsDir.resolve("base-" + hex + ".json")));
    }
    if (cache != null) {
      Optional<RegistrySession.Manifest> manifest = cache.manifest("base-" + hex);
      if (manifest.isPresent()) {
        JsonNode node = JSON.readTree(manifest.get().content());
        if (FACTS_ARTIFACT.equals(node.path("artifactType").asText())) {
          byte[] json = cache.blob(node.path("layers").path(0).path("digest").asText(), 8 * 1024 * 1024);
          if (factsDir != null) {
            Files.createDirectories(factsDir);
            Files.write(factsDir.resolve("base-" + hex + ".json"), json);
          }
          return fromJson(json);
        }
      }
    }
    return null;
  }

  private static void storeFacts(Path factsDir, RegistrySession cache, String hex, Facts facts) throws IOException {
    byte[] json = toJson(facts);
    if (factsDir != null) {
      Files.createDirectories(factsDir);
      Path partial = factsDir.resolve("base-" + hex + ".json.partial");
      Files.write(partial, json);
      Files.move(partial, factsDir.resolve("base-" + hex + ".json"), StandardCopyOption.REPLACE_EXISTING);
    }
    if (cache != null) {
      byte[] empty = RegistryBlobStore.EMPTY_CONFIG;
      cache.pushBlob(ImageAssembler.digest(empty), empty.length, BlobContent.of(empty), List.of());
      cache.pushBlob(ImageAssembler.digest(json), json.length, BlobContent.of(json), List.of());
      ObjectNode manifest = JSON.createObjectNode().put("schemaVersion", 2)
          .put("mediaType", ImageAssembler.MANIFEST_MEDIA_TYPE).put("artifactType", FACTS_ARTIFACT);
      manifest.putObject("config").put("mediaType", RegistryBlobStore.EMPTY_CONFIG_TYPE)
          .put("digest", ImageAssembler.digest(empty)).put("size", empty.length);
      manifest.putArray("layers").addObject().put("mediaType", "application/json")
          .put("digest", ImageAssembler.digest(json)).put("size", json.length);
      cache.putManifest("base-" + hex, ImageAssembler.MANIFEST_MEDIA_TYPE, JSON.writeValueAsBytes(manifest));
    }
  }

  static byte[] toJson(Facts facts) throws IOException {
    ObjectNode node = JSON.createObjectNode();
    node.put("invokedPath", facts.python().invokedPath()).put("realPath", facts.python().realPath())
        .put("version", facts.python().version()).put("machine", facts.interpreter().machine())
        .put("glibcMinor", facts.interpreter().glibcMinor());
    ObjectNode templates = node.putObject("activateTemplates");
    new TreeMap<>(facts.activateTemplates()).forEach(templates::put);
    return JSON.writeValueAsBytes(node);
  }

  static Facts fromJson(byte[] json) throws IOException {
    JsonNode node = JSON.readTree(json);
    BaseInterpreter python = new BaseInterpreter(node.path("invokedPath").asText(), node.path("realPath").asText(),
        node.path("version").asText());
    Map<String, String> templates = new LinkedHashMap<>();
    node.path("activateTemplates").fields().forEachRemaining(e -> templates.put(e.getKey(), e.getValue().asText()));
    return new Facts(python, new WheelChoice.Interpreter(python.version(), node.path("machine").asText(),
        node.path("glibcMinor").asInt()), Map.copyOf(templates));
  }

  /** The base's file system, as far as the facts need it. */
  private static final class FileSystem {
    /** A path's entry; {@code found} is a version read from its bytes, or null. */
    private record Node(TarReader.Type type, String link, byte[] text, int layer, String found) { }

    private final Map<String, Node> nodes = new HashMap<>();

    void apply(TarReader reader, int layer) throws IOException {
      for (TarReader.Entry entry; (entry = reader.next()) != null; ) {
        String path = entry.path();
        String name = path.substring(path.lastIndexOf('/') + 1);
        String parent = path.contains("/") ? path.substring(0, path.lastIndexOf('/')) : "";
        if (name.equals(".wh..wh..opq")) {
          removeChildren(parent, layer);
          continue;
        }
        if (name.startsWith(".wh.")) {
          String gone = (parent.isEmpty() ? "" : parent + "/") + name.substring(4);
          nodes.remove(gone);
          removeChildren(gone, Integer.MAX_VALUE);
          continue;
        }
        if (entry.type() != TarReader.Type.DIRECTORY) {
          removeChildren(path, Integer.MAX_VALUE); // a file or link replaces a folder of a lower layer
        }
        byte[] text = null;
        String found = null;
        if (entry.type() == TarReader.Type.FILE && (VENV_SCRIPT.matcher(path).matches()
            || PATCHLEVEL_PATH.matcher(path).matches() || path.equals("var/lib/dpkg/status"))) {
          text = reader.content(MAX_TEXT);
        } else if (entry.type() == TarReader.Type.FILE && PYTHON_BINARY.matcher(path).matches()) {
          Matcher minor = PY_MINOR.matcher(name);
          if (minor.find()) {
            found = scan(reader.stream(), Pattern.compile("\\x00(" + Pattern.quote(minor.group(1))
                + "\\.[0-9]{1,3})\\x00"));
          }
        } else if (entry.type() == TarReader.Type.FILE && LIBC_BINARY.matcher(path).matches()) {
          found = scan(reader.stream(), GLIBC_BYTES);
        }
        nodes.put(path, new Node(entry.type(), entry.linkTarget(), text, layer, found));
      }
    }

    private void removeChildren(String dir, int belowLayer) {
      String prefix = dir.isEmpty() ? "" : dir + "/";
      Iterator<Map.Entry<String, Node>> it = nodes.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<String, Node> e = it.next();
        if (e.getKey().startsWith(prefix) && e.getValue().layer() < belowLayer) {
          it.remove();
        }
      }
    }

    /** The path with every symbolic link resolved, or null when a link loops or a part is missing. */
    String resolve(String path) {
      List<String> done = new ArrayList<>();
      List<String> todo = new ArrayList<>(List.of(path.split("/")));
      int hops = 0;
      while (!todo.isEmpty()) {
        String part = todo.remove(0);
        if (part.isEmpty() || part.equals(".")) {
          continue;
        }
        if (part.equals("..")) {
          if (!done.isEmpty()) {
            done.remove(done.size() - 1);
          }
          continue;
        }
        done.add(part);
        Node node = nodes.get(String.join("/", done));
        if (node == null) {
          return null;
        }
        if (node.type() == TarReader.Type.SYMLINK) {
          if (++hops > 40) {
            return null;
          }
          done.remove(done.size() - 1);
          if (node.link().startsWith("/")) {
            done.clear();
          }
          todo.addAll(0, List.of(node.link().split("/")));
        } else if (node.type() == TarReader.Type.HARDLINK) {
          done.clear();
          todo.addAll(0, List.of(node.link().split("/")));
        }
      }
      return String.join("/", done);
    }

    /** The version read from the bytes of the file at {@code path} (links resolved), or null. */
    String found(String path) {
      String resolved = resolve(path);
      Node node = resolved == null ? null : nodes.get(resolved);
      return node == null ? null : node.found();
    }

    boolean isFile(String path) {
      Node node = nodes.get(path);
      return node != null && node.type() == TarReader.Type.FILE;
    }

    String text(String path) {
      Node node = nodes.get(path);
      return node == null || node.text() == null ? null : new String(node.text(), StandardCharsets.UTF_8);
    }

    Iterable<String> paths() {
      return nodes.keySet();
    }
  }

  private static Facts scan(RegistrySession session, String displayName, ObjectNode config, List<Descriptor> layers,
      Path workDir) throws IOException {
    FileSystem fs = new FileSystem();
    int index = 0;
    for (Descriptor layer : layers) {
      Path file = workDir.resolve("base-layer-" + layer.digest().substring(7) + ".tar");
      session.downloadBlob(layer.digest(), file);
      try {
        apply(fs, file, layer.mediaType(), displayName, index++);
      } finally {
        Files.deleteIfExists(file);
      }
    }
    return facts(fs, displayName, config);
  }

  /** The facts of layer files on disk (tar or gzip'ed tar), lowest first. */
  static Facts facts(List<Path> layerFiles, String displayName, ObjectNode config) throws IOException {
    FileSystem fs = new FileSystem();
    int index = 0;
    for (Path file : layerFiles) {
      apply(fs, file, ImageAssembler.LAYER_MEDIA_TYPE, displayName, index++);
    }
    return facts(fs, displayName, config);
  }

  private static void apply(FileSystem fs, Path file, String mediaType, String displayName, int index)
      throws IOException {
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      raw.mark(2);
      boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
      raw.reset();
      if (!gzip && mediaType.contains("zstd")) {
        throw new AssembleRefusedException("base image " + displayName + " has zstd layers, which envforge does"
            + " not read yet");
      }
      fs.apply(new TarReader(gzip ? new GZIPInputStream(raw, 1 << 16) : raw), index);
    }
  }

  private static Facts facts(FileSystem fs, String displayName, ObjectNode config) {
    Map<String, String> env = new HashMap<>();
    for (JsonNode entry : config.path("config").path("Env")) {
      String text = entry.asText();
      int eq = text.indexOf('=');
      if (eq > 0) {
        env.put(text.substring(0, eq), text.substring(eq + 1));
      }
    }
    for (String path : fs.paths()) {
      if (MUSL.matcher(path).matches()) {
        throw new AssembleRefusedException("base image " + displayName + " uses musl libc (" + path
            + "); envforge assembles for glibc bases only");
      }
    }
    String invoked = null;
    String real = null;
    for (String dir : env.getOrDefault("PATH", DEFAULT_PATH).split(":")) {
      if (!dir.startsWith("/")) {
        continue;
      }
      String candidate = (dir.endsWith("/") ? dir : dir + "/") + "python3";
      String resolved = fs.resolve(candidate.substring(1));
      if (resolved != null && fs.isFile(resolved)) {
        invoked = candidate;
        real = "/" + resolved;
        break;
      }
    }
    if (invoked == null) {
      throw new AssembleRefusedException("base image " + displayName + " has no python3 on its PATH "
          + env.getOrDefault("PATH", DEFAULT_PATH));
    }
    Matcher minorMatch = PY_MINOR.matcher(real.substring(real.lastIndexOf('/') + 1));
    String minor = minorMatch.matches() ? minorMatch.group(1) : null;
    String pythonVersion = env.get("PYTHON_VERSION");
    if (pythonVersion != null && !VERSION.matcher(pythonVersion).matches()) {
      pythonVersion = null;
    }
    if (minor == null && pythonVersion != null) {
      minor = pythonVersion.substring(0, pythonVersion.lastIndexOf('.'));
    }
    if (minor == null) {
      throw new AssembleRefusedException("base image " + displayName + ": cannot tell the Python version of " + real);
    }
    String binDir = real.substring(0, real.lastIndexOf('/'));
    String prefix = binDir.contains("/") ? binDir.substring(0, binDir.lastIndexOf('/')) : "";
    String version = pythonVersion != null && pythonVersion.startsWith(minor + ".") ? pythonVersion : null;
    if (version == null) {
      String header = fs.text((prefix + "/include/python" + minor + "/patchlevel.h").substring(1));
      Matcher m = header == null ? null : PATCHLEVEL.matcher(header);
      if (m != null && m.find()) {
        version = m.group(1);
      }
    }
    String dpkg = fs.text("var/lib/dpkg/status");
    if (version == null && dpkg != null) {
      String v = dpkgVersion(dpkg, "python" + minor + "-minimal");
      if (v == null) {
        v = dpkgVersion(dpkg, "libpython" + minor + "-minimal");
      }
      Matcher m = v == null ? null : Pattern.compile("^(3\\.[0-9]+\\.[0-9]+)").matcher(v);
      if (m != null && m.find()) {
        version = m.group(1);
      }
    }
    if (version == null) {
      version = pythonVersionInBinaries(fs, real.substring(1), prefix, minor);
    }
    if (version == null) {
      throw new AssembleRefusedException("base image " + displayName + ": cannot tell the full version of Python "
          + minor + " (no PYTHON_VERSION, patchlevel.h, dpkg record, or version in the interpreter or libpython)");
    }
    Integer glibc = null;
    if (dpkg != null) {
      String v = dpkgVersion(dpkg, "libc6");
      Matcher m = v == null ? null : Pattern.compile("^2\\.([0-9]+)").matcher(v);
      if (m != null && m.find()) {
        glibc = Integer.parseInt(m.group(1));
      }
    }
    if (glibc == null) {
      for (String path : fs.paths()) {
        Matcher m = LIBC_FILE.matcher(path);
        if (m.matches()) {
          glibc = Integer.parseInt(m.group(1));
        } else if (LIBC_BINARY.matcher(path).matches() && fs.found(path) != null) {
          glibc = Integer.parseInt(fs.found(path));
        }
      }
    }
    if (glibc == null) {
      throw new AssembleRefusedException("base image " + displayName + ": cannot tell its glibc version (no dpkg"
          + " record of libc6, no libc-2.N.so, no version in a libc.so.6)");
    }
    Map<String, String> templates = new TreeMap<>();
    String scripts = (prefix + "/lib/python" + minor + "/venv/scripts/").substring(1);
    for (String folder : List.of("common", "posix")) {
      for (String name : VenvSkeleton.ACTIVATE_SCRIPTS) {
        String text = fs.text(scripts + folder + "/" + name);
        if (text != null) {
          templates.put(name, text);
        }
      }
    }
    String machine = switch (config.path("architecture").asText("amd64")) {
      case "arm64" -> "aarch64";
      case "amd64" -> "x86_64";
      default -> throw new AssembleRefusedException("base image " + displayName + " is for architecture "
          + config.path("architecture").asText() + "; envforge assembles for amd64 and arm64");
    };
    return new Facts(new BaseInterpreter(invoked, real, version), new WheelChoice.Interpreter(version, machine, glibc),
        Map.copyOf(templates));
  }

  /** {@code PY_VERSION} as compiled into the interpreter, else into a libpython of that version. */
  private static String pythonVersionInBinaries(FileSystem fs, String interpreter, String prefix, String minor) {
    String found = fs.found(interpreter);
    if (found != null && found.startsWith(minor + ".")) {
      return found;
    }
    for (String path : fs.paths()) {
      if (path.contains("/libpython" + minor + ".so")) {
        String inLibrary = fs.found(path);
        if (inLibrary != null && inLibrary.startsWith(minor + ".")) {
          return inLibrary;
        }
      }
    }
    return null;
  }

  /** The first group of the first match in a stream's bytes, read in chunks that overlap, so no match is split. */
  static String scan(InputStream in, Pattern pattern) throws IOException {
    byte[] buffer = new byte[1 << 16];
    String carry = "";
    for (int n; (n = in.readNBytes(buffer, 0, buffer.length)) > 0; ) {
      String window = carry + new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
      Matcher m = pattern.matcher(window);
      if (m.find()) {
        return m.group(1);
      }
      carry = window.substring(Math.max(0, window.length() - 64));
    }
    return null;
  }

  /** The Version of a package in a dpkg status file, or null. */
  static String dpkgVersion(String status, String packageName) {
    for (String stanza : status.split("\n\n")) {
      if (stanza.startsWith("Package: " + packageName + "\n") || stanza.contains("\nPackage: " + packageName + "\n")) {
        for (String line : stanza.split("\n")) {
          if (line.startsWith("Version: ")) {
            String version = line.substring(9).trim();
            int epoch = version.indexOf(':');
            return epoch >= 0 ? version.substring(epoch + 1) : version;
          }
        }
      }
    }
    return null;
  }
}
