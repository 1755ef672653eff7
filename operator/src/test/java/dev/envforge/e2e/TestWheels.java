package dev.envforge.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A small world of pure-Python packages made in memory, with a wheel and an sdist each, whose bytes (and so hashes)
 * are the same on every run, machine and time zone: zip entries are stored uncompressed with a fixed local time, the sdist
 * is a tar with fixed owners and times inside a gzip stream without compression and without a time stamp.
 *
 * <p>The packages and their dependencies:
 * <ul>
 *   <li>{@code alpha 1.0}: requires {@code beta>=2.0}; {@code delta>=1.0} only when
 *       {@code sys_platform == "win32"}; extra {@code fast} adds {@code gamma>=0.5} when
 *       {@code python_version >= "3.8"}.</li>
 *   <li>{@code beta 2.0}, {@code gamma 0.5}, {@code delta 1.0}: no dependencies.</li>
 *   <li>{@code epsilon 3.0}: a development tool, for dependency groups.</li>
 *   <li>{@code tampered 1.0}: locked with the hashes of its genuine files, but an index serves other files under the
 *       same names ({@link #servedFiles()}), so an install that checks hashes must refuse it.</li>
 * </ul>
 * Each package is importable under its own name and has {@code __version__}.
 */
public final class TestWheels {
  /**
   * A fixed zip entry time. Not 1980-01-01T00:00, the earliest DOS time: Java takes that value for "before 1980"
   * and adds an extended time stamp converted with the default time zone, so the bytes would depend on it.
   */
  private static final LocalDateTime ZIP_TIME = LocalDateTime.of(2000, 1, 1, 0, 0);
  /** 2000-01-01T00:00:00Z, for tar headers. */
  private static final long TAR_TIME = 946_684_800L;
  private static final String PYTHON_REQUIRES = ">=3.7";

  /**
   * A dependency of a test package.
   *
   * @param name the package depended on
   * @param specifier version specifier, such as {@code >=2.0}
   * @param marker environment marker without the extra, or null
   * @param extra the extra of the depending package that brings it, or null
   */
  public record Dependency(String name, String specifier, String marker, String extra) {
    /** The PEP 508 form of METADATA's Requires-Dist. */
    String requiresDist() {
      String condition = marker == null ? null : marker;
      if (extra != null) {
        String onExtra = "extra == \"" + extra + "\"";
        condition = condition == null ? onExtra : condition + " and " + onExtra;
      }
      return name + specifier + (condition == null ? "" : "; " + condition);
    }
  }

  /**
   * A file of a package as an index serves it.
   *
   * @param project the package's normalized name
   * @param version its version
   * @param filename the file name, which says whether it is a wheel or an sdist
   * @param content the bytes
   */
  public record Distribution(String project, String version, String filename, byte[] content) {
    public String sha256() {
      return hex(digest("SHA-256", content));
    }

    public int size() {
      return content.length;
    }

    public boolean isWheel() {
      return filename.endsWith(".whl");
    }
  }

  /**
   * One test package and its two files.
   *
   * @param name normalized name, also its import name
   * @param version its version
   * @param summary one-line description
   * @param dependencies what its METADATA requires
   * @param wheel its {@code py3-none-any} wheel
   * @param sdist its source distribution
   */
  public record TestPackage(String name, String version, String summary, List<Dependency> dependencies,
      Distribution wheel, Distribution sdist) {
    /** The extras the package provides, in the order they appear. */
    public List<String> extras() {
      return dependencies.stream().map(Dependency::extra).filter(e -> e != null).distinct().toList();
    }

    public List<Distribution> files() {
      return List.of(wheel, sdist);
    }

    /** A requirements.txt line pinning the package with the hashes of both files. */
    public String hashedRequirement() {
      return name + "==" + version + " --hash=sha256:" + wheel.sha256() + " --hash=sha256:" + sdist.sha256();
    }
  }

  private final Map<String, TestPackage> packages;
  private final TestPackage tamperedAsServed;

  private TestWheels(Map<String, TestPackage> packages, TestPackage tamperedAsServed) {
    this.packages = packages;
    this.tamperedAsServed = tamperedAsServed;
  }

  /** Makes every package of the world. Cheap: a few kilobytes in memory. */
  public static TestWheels create() {
    Map<String, TestPackage> packages = new LinkedHashMap<>();
    add(packages, "alpha", "1.0", "envforge test package with dependencies, a platform marker and an extra",
        List.of(new Dependency("beta", ">=2.0", null, null),
            new Dependency("delta", ">=1.0", "sys_platform == \"win32\"", null),
            new Dependency("gamma", ">=0.5", "python_version >= \"3.8\"", "fast")));
    add(packages, "beta", "2.0", "envforge test package required by alpha", List.of());
    add(packages, "gamma", "0.5", "envforge test package for alpha's extra fast", List.of());
    add(packages, "delta", "1.0", "envforge test package only Windows installs", List.of());
    add(packages, "epsilon", "3.0", "envforge test development tool", List.of());
    add(packages, "tampered", "1.0", "envforge test package whose served wheel is not the locked one", List.of());
    TestPackage tampered = packages.get("tampered");
    // both files are replaced: with a genuine sdist left, pip would pick it for its matching hash
    String compromised = moduleSource(tampered.version()) + "COMPROMISED = True\n";
    TestPackage served = new TestPackage(tampered.name(), tampered.version(), tampered.summary(), List.of(),
        wheel(tampered.name(), tampered.version(), tampered.summary(), List.of(), compromised),
        sdist(tampered.name(), tampered.version(), tampered.summary(), List.of(), compromised));
    return new TestWheels(packages, served);
  }

  public TestPackage alpha() {
    return get("alpha");
  }

  public TestPackage beta() {
    return get("beta");
  }

  public TestPackage gamma() {
    return get("gamma");
  }

  public TestPackage delta() {
    return get("delta");
  }

  public TestPackage epsilon() {
    return get("epsilon");
  }

  public TestPackage tampered() {
    return get("tampered");
  }

  public TestPackage get(String name) {
    return Optional.ofNullable(packages.get(name))
        .orElseThrow(() -> new IllegalArgumentException("no test package " + name));
  }

  /** All packages, as they are locked (the genuine files). */
  public List<TestPackage> packages() {
    return List.copyOf(packages.values());
  }

  /** The files an index serves: the genuine ones, except for the tampered package. */
  public List<Distribution> servedFiles() {
    List<Distribution> files = new ArrayList<>();
    for (TestPackage p : packages.values()) {
      files.addAll(p.name().equals("tampered") ? tamperedAsServed.files() : p.files());
    }
    return files;
  }

  /** The tampered package as the index serves it: same names and version, other bytes. */
  public TestPackage tamperedAsServed() {
    return tamperedAsServed;
  }

  private static void add(Map<String, TestPackage> packages, String name, String version, String summary,
      List<Dependency> dependencies) {
    String module = moduleSource(version);
    packages.put(name, new TestPackage(name, version, summary, dependencies,
        wheel(name, version, summary, dependencies, module), sdist(name, version, summary, dependencies, module)));
  }

  private static String moduleSource(String version) {
    return "\"\"\"A package made by the envforge tests.\"\"\"\n__version__ = \"" + version + "\"\n";
  }

  static String metadata(String name, String version, String summary, List<Dependency> dependencies) {
    StringBuilder m = new StringBuilder();
    m.append("Metadata-Version: 2.1\n");
    m.append("Name: ").append(name).append('\n');
    m.append("Version: ").append(version).append('\n');
    m.append("Summary: ").append(summary).append('\n');
    m.append("License: Apache-2.0\n");
    m.append("Requires-Python: ").append(PYTHON_REQUIRES).append('\n');
    dependencies.stream().map(Dependency::extra).filter(e -> e != null).distinct()
        .forEach(extra -> m.append("Provides-Extra: ").append(extra).append('\n'));
    dependencies.forEach(d -> m.append("Requires-Dist: ").append(d.requiresDist()).append('\n'));
    return m.toString();
  }

  private static Distribution wheel(String name, String version, String summary, List<Dependency> dependencies,
      String module) {
    String distInfo = name + "-" + version + ".dist-info/";
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put(name + "/__init__.py", utf8(module));
    entries.put(distInfo + "METADATA", utf8(metadata(name, version, summary, dependencies)));
    entries.put(distInfo + "WHEEL",
        utf8("Wheel-Version: 1.0\nGenerator: envforge-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n"));
    StringBuilder record = new StringBuilder();
    entries.forEach((path, bytes) -> record.append(path).append(",sha256=")
        .append(Base64.getUrlEncoder().withoutPadding().encodeToString(digest("SHA-256", bytes)))
        .append(',').append(bytes.length).append('\n'));
    record.append(distInfo).append("RECORD,,\n");
    entries.put(distInfo + "RECORD", utf8(record.toString()));

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        ZipEntry entry = new ZipEntry(e.getKey());
        // stored, not deflated: the bytes then do not depend on the zlib version
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(e.getValue().length);
        entry.setCompressedSize(e.getValue().length);
        CRC32 crc = new CRC32();
        crc.update(e.getValue());
        entry.setCrc(crc.getValue());
        entry.setTimeLocal(ZIP_TIME);
        zip.putNextEntry(entry);
        zip.write(e.getValue());
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Distribution(name, version, name.replace('-', '_') + "-" + version + "-py3-none-any.whl",
        out.toByteArray());
  }

  private static Distribution sdist(String name, String version, String summary, List<Dependency> dependencies,
      String module) {
    String root = name.replace('-', '_') + "-" + version + "/";
    StringBuilder pyproject = new StringBuilder();
    pyproject.append("[build-system]\nrequires = [\"setuptools>=61\"]\nbuild-backend = \"setuptools.build_meta\"\n\n");
    pyproject.append("[project]\nname = \"").append(name).append("\"\nversion = \"").append(version)
        .append("\"\ndescription = \"").append(summary).append("\"\nrequires-python = \"").append(PYTHON_REQUIRES)
        .append("\"\n");
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put(root + "PKG-INFO", utf8(metadata(name, version, summary, dependencies)));
    entries.put(root + "pyproject.toml", utf8(pyproject.toString()));
    entries.put(root + name + "/__init__.py", utf8(module));
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    entries.forEach((path, bytes) -> TarFormat.writeFile(tar, path, bytes, 0644, TAR_TIME));
    TarFormat.writeEnd(tar);

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    // GZIPOutputStream writes no time stamp; level 0 makes the deflate stream independent of the zlib version
    try (GZIPOutputStream gzip = new GZIPOutputStream(out) {
      {
        def.setLevel(Deflater.NO_COMPRESSION);
      }
    }) {
      gzip.write(tar.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Distribution(name, version, name.replace('-', '_') + "-" + version + ".tar.gz", out.toByteArray());
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] digest(String algorithm, byte[] bytes) {
    try {
      return MessageDigest.getInstance(algorithm).digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
