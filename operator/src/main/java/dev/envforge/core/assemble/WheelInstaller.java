package dev.envforge.core.assemble;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Installs one wheel into a venv as the entries of one image layer, following the binary distribution format
 * (packaging.python.org, "Binary distribution format") the way pip does it, without running any Python:
 *
 * <ul>
 *   <li>the root of the wheel goes to site-packages (purelib or platlib, which are the same folder in a venv);</li>
 *   <li>{@code <name>-<version>.data/purelib} and {@code platlib} go to site-packages, {@code scripts} to
 *       {@code bin} (a first line {@code #!python...} becomes {@code #!<venv>/bin/python}), {@code headers} to
 *       {@code include/site/pythonX.Y/<project>}, {@code data} to the venv root;</li>
 *   <li>console and GUI scripts are generated from {@code entry_points.txt} with pip's launcher text and shebang
 *       rules (the {@code /bin/sh} exec form when the interpreter path is too long for a kernel shebang), including
 *       pip's versioned names for {@code pip} and {@code easy_install};</li>
 *   <li>{@code INSTALLER}, {@code REQUESTED} and a regenerated {@code RECORD} are written into the dist-info folder;
 *       {@code __pycache__} entries shipped in the wheel are skipped; no bytecode is written.</li>
 * </ul>
 *
 * <p>The wheel file is checked against the lock's sha256 before anything is read from it, and every file in it against
 * the wheel's own RECORD. Names that would leave the venv, duplicate targets and files missing from RECORD are
 * refused. Entries are written sorted by path, each parent directory first, and every layer also carries the venv's
 * common directories, so layers can be stacked in any order with the same result. Content is streamed from the zip
 * file: memory does not grow with the wheel's size.
 */
public final class WheelInstaller {
  /** The text pip 23 writes into console and GUI script launchers (after the shebang). */
  static final String LAUNCHER = """
      # -*- coding: utf-8 -*-
      import re
      import sys
      from %s import %s
      if __name__ == '__main__':
          sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])
          sys.exit(%s())
      """;
  /** The longest shebang line Linux runs directly (BINPRM_BUF_SIZE is 128 bytes with the newline). */
  static final int MAX_SHEBANG = 127;
  /** Scripts are rewritten in memory, so their size is bounded. */
  static final int MAX_SCRIPT_BYTES = 16 * 1024 * 1024;

  private static final Pattern ENTRY_POINT = Pattern.compile(
      "\\s*([A-Za-z0-9_.][A-Za-z0-9_.+-]*)\\s*=\\s*([A-Za-z_][\\w.]*)\\s*(?::\\s*([A-Za-z_][\\w.]*))?\\s*(\\[[^\\]]*\\])?\\s*");
  private static final Pattern PIP_VERSIONED = Pattern.compile("pip(\\d+(\\.\\d+)?)?");
  private static final Pattern EASY_INSTALL_VERSIONED = Pattern.compile("easy_install(-\\d+\\.\\d+)?");

  private WheelInstaller() {}

  /** One wheel to install: the file, the package's PEP 503 name (for the headers folder) and the lock's sha256. */
  public record WheelInput(Path file, String projectName, String expectedSha256) {}

  /** Writes the layer of one wheel to {@code out}. */
  public static LayerWriter.Layer install(Path wheel, String projectName, String expectedSha256, VenvLayout venv,
      OutputStream out) throws IOException {
    return install(List.of(new WheelInput(wheel, projectName, expectedSha256)), venv, out);
  }

  /**
   * Writes one layer holding all {@code wheels} to {@code out}, entries sorted across wheels. Each wheel file is checked
   * against its lock sha256 before anything is read from it.
   */
  public static LayerWriter.Layer install(List<WheelInput> wheels, VenvLayout venv, OutputStream out)
      throws IOException {
    List<ZipFile> zips = new ArrayList<>();
    List<FileSystem> fileSystems = new ArrayList<>();
    try {
      TreeMap<String, Item> items = new TreeMap<>();
      for (WheelInput wheel : wheels) {
        String actual = sha256Hex(wheel.file());
        if (!actual.equalsIgnoreCase(wheel.expectedSha256())) {
          throw new WheelException(wheel.file().getFileName() + ": sha256 is " + actual + ", the lock says "
              + wheel.expectedSha256());
        }
        ZipFile zip = new ZipFile(wheel.file().toFile(), StandardCharsets.UTF_8);
        zips.add(zip);
        for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
          checkName(wheel.file().getFileName().toString(), e.nextElement().getName());
        }
        FileSystem zipFs;
        try {
          // the zip file system gives the entries' Unix modes, which java.util.zip does not expose
          zipFs = FileSystems.newFileSystem(wheel.file(), Map.of("enablePosixFileAttributes", "true"));
        } catch (java.nio.file.ProviderNotFoundException | java.util.zip.ZipException e) {
          throw new WheelException(wheel.file().getFileName() + ": not a zip file an installer can read");
        }
        fileSystems.add(zipFs);
        Plan plan = new Plan(wheel.file().getFileName().toString(), zip, zipFs, wheel.projectName(), venv);
        plan.read();
        for (Item item : plan.items.values()) {
          if (items.putIfAbsent(item.path(), item.withZip(zip)) != null) {
            throw new WheelException(wheel.file().getFileName() + ": /" + item.path()
                + " is also installed by another wheel of the same layer");
          }
        }
      }
      try (LayerWriter writer = new LayerWriter(out)) {
        write(items, venv, writer);
        return writer.finish();
      }
    } finally {
      for (FileSystem fs : fileSystems) {
        fs.close();
      }
      for (ZipFile zip : zips) {
        zip.close();
      }
    }
  }

  private static void write(TreeMap<String, Item> items, VenvLayout venv, LayerWriter writer) throws IOException {
    TreeMap<String, Object> all = new TreeMap<>();
    for (String dir : venv.commonDirectories()) {
      all.put(dir, Boolean.TRUE);
    }
    for (String path : items.keySet()) {
      for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
        all.put(path.substring(0, slash), Boolean.TRUE);
      }
    }
    for (var item : items.entrySet()) {
      if (all.containsKey(item.getKey())) {
        throw new WheelException("/" + item.getKey() + " would be both a file and a directory");
      }
      all.put(item.getKey(), item.getValue());
    }
    for (var entry : all.entrySet()) {
      if (entry.getValue() instanceof Item item) {
        if (item.content() != null) {
          writer.file(item.path(), item.mode(), item.content());
        } else {
          try (InputStream in = item.zip().getInputStream(item.zipEntry())) {
            writer.file(item.path(), item.mode(), item.size(), in);
          }
        }
      } else {
        writer.directory(entry.getKey());
      }
    }
  }

  /** One file of the layer: from the zip ({@code zipEntry}) or generated ({@code content}). */
  private record Item(String path, ZipEntry zipEntry, byte[] content, int mode, String hash, long size, ZipFile zip) {
    Item(String path, ZipEntry zipEntry, byte[] content, int mode, String hash, long size) {
      this(path, zipEntry, content, mode, hash, size, null);
    }

    Item withZip(ZipFile file) {
      return new Item(path, zipEntry, content, mode, hash, size, file);
    }
  }

  private static final class Plan {
    private final String wheelName;
    private final ZipFile zip;
    private final FileSystem zipFs;
    private final String projectName;
    private final VenvLayout venv;
    private final TreeMap<String, Item> items = new TreeMap<>();
    private String distInfo;

    Plan(String wheelName, ZipFile zip, FileSystem zipFs, String projectName, VenvLayout venv) {
      this.wheelName = wheelName;
      this.zip = zip;
      this.zipFs = zipFs;
      this.projectName = projectName;
      this.venv = venv;
    }

    void read() throws IOException {
      List<ZipEntry> entries = new ArrayList<>();
      for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
        ZipEntry entry = e.nextElement();
        checkName(entry.getName());
        entries.add(entry);
      }
      distInfo = findDistInfo(entries);
      String dataDir = distInfo.substring(0, distInfo.length() - ".dist-info".length()) + ".data/";
      Map<String, String> wheelMeta = parseWheelFile(text(distInfo + "/WHEEL"));
      String version = wheelMeta.getOrDefault("Wheel-Version", "");
      if (!version.startsWith("1.")) {
        throw new WheelException(wheelName + ": Wheel-Version " + version + " is not supported (1.x is)");
      }
      boolean purelib = "true".equalsIgnoreCase(wheelMeta.getOrDefault("Root-Is-Purelib", "").trim());
      Map<String, String[]> record = parseRecord(text(distInfo + "/RECORD"));
      String siteRoot = venv.sitePackages();
      for (ZipEntry entry : entries) {
        String name = entry.getName();
        if (entry.isDirectory() || isInPycache(name)) {
          continue;
        }
        if (name.equals(distInfo + "/RECORD") || name.equals(distInfo + "/RECORD.jws")
            || name.equals(distInfo + "/RECORD.p7s")) {
          continue;
        }
        String[] recorded = record.get(name);
        if (recorded == null) {
          throw new WheelException(wheelName + ": " + name + " is not listed in RECORD");
        }
        String target;
        boolean script = false;
        if (name.startsWith(dataDir)) {
          String rest = name.substring(dataDir.length());
          int slash = rest.indexOf('/');
          if (slash <= 0 || slash == rest.length() - 1) {
            throw new WheelException(wheelName + ": " + name + " is not inside a known .data folder");
          }
          String scheme = rest.substring(0, slash);
          String inner = rest.substring(slash + 1);
          target = switch (scheme) {
            case "purelib", "platlib" -> siteRoot + "/" + inner;
            case "scripts" -> {
              script = true;
              yield venv.bin() + "/" + inner;
            }
            case "headers" -> venv.headers(projectName) + "/" + inner;
            case "data" -> venv.root() + "/" + inner;
            default -> throw new WheelException(wheelName + ": " + name + " is in an unknown .data folder "
                + scheme);
          };
        } else {
          target = siteRoot + "/" + name;
        }
        int mode = isExecutable(name) ? LayerWriter.EXECUTABLE_MODE : LayerWriter.FILE_MODE;
        Verified verified = verify(entry, recorded);
        if (script) {
          byte[] content = rewriteScript(entry);
          if (content != null) {
            add(new Item(target, null, content, mode, recordHash(content), content.length));
            continue;
          }
        }
        add(new Item(target, entry, null, mode, verified.hash, entry.getSize()));
      }
      for (var launcher : launchers().entrySet()) {
        byte[] content = launcher.getValue().getBytes(StandardCharsets.UTF_8);
        add(new Item(venv.bin() + "/" + launcher.getKey(), null, content, LayerWriter.EXECUTABLE_MODE,
            recordHash(content), content.length));
      }
      byte[] installer = (venv.installerName() + "\n").getBytes(StandardCharsets.UTF_8);
      add(new Item(siteRoot + "/" + distInfo + "/INSTALLER", null, installer, LayerWriter.FILE_MODE,
          recordHash(installer), installer.length));
      byte[] requested = new byte[0];
      add(new Item(siteRoot + "/" + distInfo + "/REQUESTED", null, requested, LayerWriter.FILE_MODE,
          recordHash(requested), 0));
      byte[] newRecord = newRecord(siteRoot);
      add(new Item(siteRoot + "/" + distInfo + "/RECORD", null, newRecord, LayerWriter.FILE_MODE, null,
          newRecord.length));
    }

    private void add(Item item) {
      if (items.putIfAbsent(item.path(), item) != null) {
        throw new WheelException(wheelName + ": two files would be installed as /" + item.path());
      }
    }

    /** pip's RECORD: one row per installed file, path relative to site-packages, sorted, CSV with CRLF. */
    private byte[] newRecord(String siteRoot) {
      List<String[]> rows = new ArrayList<>();
      for (Item item : items.values()) {
        rows.add(new String[] {relative(siteRoot, item.path()), item.hash(), Long.toString(item.size())});
      }
      rows.add(new String[] {distInfo + "/RECORD", "", ""});
      rows.sort((a, b) -> {
        for (int i = 0; i < 3; i++) {
          int c = a[i].compareTo(b[i]);
          if (c != 0) {
            return c;
          }
        }
        return 0;
      });
      StringBuilder csv = new StringBuilder();
      for (String[] row : rows) {
        csv.append(csvField(row[0])).append(',').append(csvField(row[1])).append(',').append(csvField(row[2]))
            .append("\r\n");
      }
      return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Launchers of console_scripts and gui_scripts, by script name, with pip's special cases. */
    private Map<String, String> launchers() throws IOException {
      String entryPointsPath = distInfo + "/entry_points.txt";
      if (zip.getEntry(entryPointsPath) == null) {
        return Map.of();
      }
      Map<String, Map<String, String>> sections = parseIni(text(entryPointsPath));
      Map<String, String> scripts = new TreeMap<>();
      for (String group : List.of("console_scripts", "gui_scripts")) {
        Map<String, String> console = new LinkedHashMap<>(sections.getOrDefault(group, Map.of()));
        if (group.equals("console_scripts")) {
          String pip = console.remove("pip");
          if (pip != null) {
            console.keySet().removeIf(k -> PIP_VERSIONED.matcher(k).matches());
            console.put("pip", pip);
            console.put("pip3", pip);
            console.put("pip" + venv.pythonMinor(), pip);
          }
          String easyInstall = console.remove("easy_install");
          if (easyInstall != null) {
            console.keySet().removeIf(k -> EASY_INSTALL_VERSIONED.matcher(k).matches());
            console.put("easy_install", easyInstall);
            console.put("easy_install-" + venv.pythonMinor(), easyInstall);
          }
        }
        for (var ep : console.entrySet()) {
          Matcher m = ENTRY_POINT.matcher(ep.getKey() + " = " + ep.getValue());
          if (!m.matches() || m.group(3) == null) {
            throw new WheelException(wheelName + ": entry point " + ep.getKey() + " in " + group
                + " is not 'module:function'");
          }
          checkScriptName(ep.getKey());
          String module = m.group(2);
          String attribute = m.group(3);
          String launcher = shebang(venv.launcherInterpreter())
              + LAUNCHER.formatted(module, attribute.split("\\.")[0], attribute);
          if (scripts.put(ep.getKey(), launcher) != null) {
            throw new WheelException(wheelName + ": script " + ep.getKey() + " is defined twice");
          }
        }
      }
      return scripts;
    }

    /** A {@code #!python} first line is replaced; null when the script does not start with one. */
    private byte[] rewriteScript(ZipEntry entry) throws IOException {
      if (entry.getSize() > MAX_SCRIPT_BYTES) {
        return null;
      }
      byte[] content;
      try (InputStream in = zip.getInputStream(entry)) {
        content = in.readNBytes(MAX_SCRIPT_BYTES + 1);
      }
      byte[] marker = "#!python".getBytes(StandardCharsets.US_ASCII);
      if (content.length < marker.length) {
        return null;
      }
      for (int i = 0; i < marker.length; i++) {
        if (content[i] != marker[i]) {
          return null;
        }
      }
      int lineEnd = 0;
      while (lineEnd < content.length && content[lineEnd] != '\n') {
        lineEnd++;
      }
      ByteArrayOutputStream rewritten = new ByteArrayOutputStream(content.length + 64);
      rewritten.writeBytes(("#!" + venv.scriptInterpreter() + "\n").getBytes(StandardCharsets.UTF_8));
      if (lineEnd < content.length) {
        rewritten.write(content, lineEnd + 1, content.length - lineEnd - 1);
      }
      return rewritten.toByteArray();
    }

    private record Verified(String hash) {}

    private Verified verify(ZipEntry entry, String[] recorded) throws IOException {
      String expected = recorded.length > 1 ? recorded[1] : "";
      MessageDigest digest;
      String algorithm;
      if (expected.isEmpty()) {
        throw new WheelException(wheelName + ": RECORD has no hash for " + entry.getName());
      }
      int eq = expected.indexOf('=');
      algorithm = eq > 0 ? expected.substring(0, eq).toLowerCase(Locale.ROOT) : "";
      switch (algorithm) {
        case "sha256" -> digest = LayerWriter.sha256();
        case "sha384", "sha512" -> {
          try {
            digest = MessageDigest.getInstance(algorithm.equals("sha384") ? "SHA-384" : "SHA-512");
          } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
          }
        }
        default -> throw new WheelException(wheelName + ": RECORD hash of " + entry.getName()
            + " uses an algorithm installers refuse: " + algorithm);
      }
      MessageDigest sha = algorithm.equals("sha256") ? null : LayerWriter.sha256();
      long size = 0;
      byte[] buffer = new byte[64 * 1024];
      try (InputStream in = zip.getInputStream(entry)) {
        for (int n; (n = in.read(buffer)) > 0; ) {
          digest.update(buffer, 0, n);
          if (sha != null) {
            sha.update(buffer, 0, n);
          }
          size += n;
        }
      }
      String actual = algorithm + "=" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest.digest());
      if (!actual.equals(expected)) {
        throw new WheelException(wheelName + ": " + entry.getName() + " does not match its RECORD hash");
      }
      if (size != entry.getSize()) {
        throw new WheelException(wheelName + ": " + entry.getName() + " has a size other than the zip says");
      }
      String sha256 = sha == null ? actual
          : "sha256=" + Base64.getUrlEncoder().withoutPadding().encodeToString(sha.digest());
      return new Verified(sha256);
    }

    /**
     * Whether pip would make the file executable: the entry has a Unix mode with an execute bit. An entry without one
     * (a zip written on Windows or by java.util.zip) is not executable; the zip file system's POSIX view would answer
     * rwxrwxrwx for it, so the stored permissions are read instead.
     */
    private boolean isExecutable(String name) throws IOException {
      @SuppressWarnings("unchecked")
      Set<PosixFilePermission> permissions =
          (Set<PosixFilePermission>) Files.getAttribute(zipFs.getPath("/" + name), "zip:permissions");
      if (permissions == null) {
        return false;
      }
      return permissions.contains(PosixFilePermission.OWNER_EXECUTE)
          || permissions.contains(PosixFilePermission.GROUP_EXECUTE)
          || permissions.contains(PosixFilePermission.OTHERS_EXECUTE);
    }

    private String findDistInfo(List<ZipEntry> entries) {
      String found = null;
      for (ZipEntry entry : entries) {
        String name = entry.getName();
        int slash = name.indexOf('/');
        if (slash > 0 && name.substring(0, slash).endsWith(".dist-info") && name.substring(slash + 1).equals("WHEEL")) {
          if (found != null) {
            throw new WheelException(wheelName + ": more than one .dist-info folder");
          }
          found = name.substring(0, slash);
        }
      }
      if (found == null) {
        throw new WheelException(wheelName + ": no .dist-info/WHEEL file");
      }
      return found;
    }

    private String text(String name) throws IOException {
      ZipEntry entry = zip.getEntry(name);
      if (entry == null) {
        throw new WheelException(wheelName + ": " + name + " is missing");
      }
      try (InputStream in = zip.getInputStream(entry)) {
        byte[] bytes = in.readNBytes(MAX_SCRIPT_BYTES + 1);
        if (bytes.length > MAX_SCRIPT_BYTES) {
          throw new WheelException(wheelName + ": " + name + " is larger than " + MAX_SCRIPT_BYTES + " bytes");
        }
        return new String(bytes, StandardCharsets.UTF_8);
      }
    }

    private void checkName(String name) {
      WheelInstaller.checkName(wheelName, name);
    }

    private void checkScriptName(String name) {
      if (name.contains("/") || name.equals("..") || name.equals(".")) {
        throw new WheelException(wheelName + ": unsafe script name " + printable(name));
      }
    }
  }

  /** The shebang pip's launcher maker writes: direct when it fits, else the {@code /bin/sh} exec trick. */
  static String shebang(String interpreter) {
    String executable = interpreter.contains(" ") ? "\"" + interpreter + "\"" : interpreter;
    if (!interpreter.contains(" ") && executable.getBytes(StandardCharsets.UTF_8).length + 3 <= MAX_SHEBANG) {
      return "#!" + executable + "\n";
    }
    return "#!/bin/sh\n'''exec' " + executable + " \"$0\" \"$@\"\n' '''\n";
  }

  static String relative(String from, String to) {
    String[] a = from.split("/");
    String[] b = to.split("/");
    int common = 0;
    while (common < a.length && common < b.length && a[common].equals(b[common])) {
      common++;
    }
    StringBuilder path = new StringBuilder();
    for (int i = common; i < a.length; i++) {
      path.append("../");
    }
    for (int i = common; i < b.length; i++) {
      path.append(b[i]).append(i < b.length - 1 ? "/" : "");
    }
    return path.toString();
  }

  static void checkName(String wheelName, String name) {
    if (name.startsWith("/") || name.contains("\\") || name.contains("\0") || name.isEmpty()) {
      throw new WheelException(wheelName + ": unsafe file name in the wheel: " + printable(name));
    }
    for (String part : name.split("/")) {
      if (part.equals("..") || part.equals(".")) {
        throw new WheelException(wheelName + ": unsafe file name in the wheel: " + printable(name));
      }
    }
  }

  static boolean isInPycache(String name) {
    for (String part : name.split("/")) {
      if (part.equals("__pycache__")) {
        return true;
      }
    }
    return false;
  }

  static String recordHash(byte[] content) {
    return "sha256=" + Base64.getUrlEncoder().withoutPadding().encodeToString(LayerWriter.sha256().digest(content));
  }

  static String sha256Hex(Path file) throws IOException {
    MessageDigest digest = LayerWriter.sha256();
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static String csvField(String field) {
    if (field.contains(",") || field.contains("\"") || field.contains("\r") || field.contains("\n")) {
      return "\"" + field.replace("\"", "\"\"") + "\"";
    }
    return field;
  }

  static Map<String, String> parseWheelFile(String text) {
    Map<String, String> fields = new HashMap<>();
    for (String line : text.split("\r?\n")) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        fields.putIfAbsent(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
      }
    }
    return fields;
  }

  /** RECORD rows by path; CSV with quotes as Python's csv module writes them. */
  static Map<String, String[]> parseRecord(String text) {
    Map<String, String[]> rows = new HashMap<>();
    for (String line : text.split("\r?\n")) {
      if (line.isBlank()) {
        continue;
      }
      List<String> fields = new ArrayList<>();
      StringBuilder field = new StringBuilder();
      boolean quoted = false;
      for (int i = 0; i < line.length(); i++) {
        char c = line.charAt(i);
        if (quoted) {
          if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
            field.append('"');
            i++;
          } else if (c == '"') {
            quoted = false;
          } else {
            field.append(c);
          }
        } else if (c == '"') {
          quoted = true;
        } else if (c == ',') {
          fields.add(field.toString());
          field.setLength(0);
        } else {
          field.append(c);
        }
      }
      fields.add(field.toString());
      rows.put(fields.get(0), fields.toArray(String[]::new));
    }
    return rows;
  }

  /** entry_points.txt: INI sections of {@code name = value}; comments and blank lines ignored. */
  static Map<String, Map<String, String>> parseIni(String text) {
    Map<String, Map<String, String>> sections = new LinkedHashMap<>();
    Map<String, String> current = null;
    for (String raw : text.split("\r?\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      if (line.startsWith("[") && line.endsWith("]")) {
        current = sections.computeIfAbsent(line.substring(1, line.length() - 1).strip(), k -> new LinkedHashMap<>());
      } else if (current != null) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          current.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
        }
      }
    }
    return sections;
  }

  private static String printable(String text) {
    StringBuilder out = new StringBuilder();
    for (char c : text.toCharArray()) {
      out.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return out.length() > 200 ? out.substring(0, 200) + "..." : out.toString();
  }
}
