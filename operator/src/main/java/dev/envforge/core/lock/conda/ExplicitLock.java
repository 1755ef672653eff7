package dev.envforge.core.lock.conda;

import dev.envforge.core.lock.LockInputException;
import dev.envforge.core.lock.conda.CondaResolver.Record;
import dev.envforge.core.lock.support.Artifacts;
import dev.envforge.core.text.Texts;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An explicit conda lock ({@code @EXPLICIT}, one package URL a line with {@code #md5} or {@code #sha256:hex}), as
 * conda-lock renders for one platform. Name and version come from the file name {@code name-version-build.conda} or
 * {@code .tar.bz2}. conda-lock's {@code # pip name @ url#sha256=hex} lines are read as pip packages.
 */
final class ExplicitLock {
  private static final Pattern PLATFORM = Pattern.compile("#\\s*platform:\\s*(\\S+)\\s*");
  private static final Pattern PIP = Pattern.compile("#\\s*pip\\s+(\\S+)\\s*@\\s*(\\S+)\\s*");
  private static final Pattern MD5 = Pattern.compile("[0-9a-fA-F]{32}");

  private ExplicitLock() {}

  static List<Record> parse(String file, String text) {
    String platform = null;
    boolean explicit = false;
    List<Record> records = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      int lineNumber = i + 1;
      String line = lines[i].strip();
      if (line.isEmpty()) {
        continue;
      }
      Matcher platformLine = PLATFORM.matcher(line);
      Matcher pipLine = PIP.matcher(line);
      if (platformLine.matches()) {
        platform = platformLine.group(1);
      } else if (pipLine.matches()) {
        records.add(pip(file, lineNumber, pipLine.group(1), pipLine.group(2), platform));
      } else if (line.startsWith("#")) {
        continue;
      } else if (line.equals("@EXPLICIT")) {
        explicit = true;
      } else if (!explicit) {
        throw new LockInputException(file, lineNumber, 1, "not an explicit conda lock: no @EXPLICIT line before "
            + Texts.quote(line));
      } else {
        records.add(conda(file, lineNumber, line, platform));
      }
    }
    if (!explicit) {
      throw new LockInputException(file, 1, 1, "not an explicit conda lock: no @EXPLICIT line");
    }
    if (platform == null) {
      throw new LockInputException(file, 1, 1, "no '# platform: <subdir>' line: cannot tell which platform the"
          + " lock is for");
    }
    return List.copyOf(records);
  }

  private static Record conda(String file, int line, String text, String platform) {
    if (platform == null) {
      throw new LockInputException(file, line, 1, "a package before the '# platform:' line");
    }
    int hashAt = text.indexOf('#');
    String url = hashAt < 0 ? text : text.substring(0, hashAt);
    String checksum = hashAt < 0 ? null : text.substring(hashAt + 1);
    String hash = null;
    if (checksum != null) {
      if (MD5.matcher(checksum).matches()) {
        hash = "md5:" + checksum;
      } else if (checksum.startsWith("sha256:") && Artifacts.isHash(checksum)) {
        hash = checksum;
      } else {
        throw new LockInputException(file, line, hashAt + 2, "invalid checksum " + Texts.quote(checksum));
      }
    }
    String filename = Artifacts.filenameOf(url);
    String stem = filename == null ? null
        : filename.endsWith(".conda") ? filename.substring(0, filename.length() - ".conda".length())
        : filename.endsWith(".tar.bz2") ? filename.substring(0, filename.length() - ".tar.bz2".length()) : null;
    int buildDash = stem == null ? -1 : stem.lastIndexOf('-');
    int versionDash = buildDash <= 0 ? -1 : stem.lastIndexOf('-', buildDash - 1);
    if (versionDash <= 0) {
      throw new LockInputException(file, line, 1, "not a conda package URL (name-version-build.conda or .tar.bz2): "
          + Texts.quote(url));
    }
    return CondaResolver.record(file, stem.substring(0, versionDash), stem.substring(versionDash + 1, buildDash),
        "conda", platform, Set.of(CondaResolver.MAIN), url, hash, line, 1);
  }

  private static Record pip(String file, int line, String name, String text, String platform) {
    int hashAt = text.indexOf('#');
    String url = hashAt < 0 ? text : text.substring(0, hashAt);
    String hash = null;
    if (hashAt >= 0) {
      String fragment = text.substring(hashAt + 1);
      int eq = fragment.indexOf('=');
      hash = eq < 0 ? null : Artifacts.hash(fragment.substring(0, eq), fragment.substring(eq + 1));
      if (hash == null) {
        throw new LockInputException(file, line, 1, "invalid checksum " + Texts.quote(fragment));
      }
    }
    String filename = Artifacts.filenameOf(url);
    String version = filename == null ? null : pipVersion(filename);
    if (version == null) {
      throw new LockInputException(file, line, 1, "cannot tell the version of " + Texts.quote(name) + " from "
          + Texts.quote(url));
    }
    return CondaResolver.record(file, name, version, "pip", platform == null ? "" : platform,
        Set.of(CondaResolver.MAIN), url, hash, line, 1);
  }

  /** The version of a wheel ({@code name-version-...whl}) or an sdist ({@code name-version.tar.gz}). */
  private static String pipVersion(String filename) {
    if (filename.endsWith(".whl")) {
      String[] parts = filename.split("-");
      return parts.length >= 5 ? parts[1] : null;
    }
    for (String suffix : new String[] {".tar.gz", ".zip", ".tar.bz2"}) {
      if (filename.endsWith(suffix)) {
        String stem = filename.substring(0, filename.length() - suffix.length());
        int dash = stem.lastIndexOf('-');
        return dash <= 0 ? null : stem.substring(dash + 1);
      }
    }
    return null;
  }
}
