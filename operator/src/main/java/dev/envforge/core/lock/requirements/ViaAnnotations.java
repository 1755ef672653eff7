package dev.envforge.core.lock.requirements;

import dev.envforge.core.pep.PackageNames;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code # via} comments pip-compile and {@code uv pip compile} write under each pin: which packages and which
 * {@code -r} input files pulled the pin in.
 */
final class ViaAnnotations {
  private static final Pattern PIN_START = Pattern.compile("([A-Za-z0-9][A-Za-z0-9._-]*)\\s*(?:\\[[^\\]]*\\])?\\s*===?");
  private static final Pattern VIA = Pattern.compile("\\s*#\\s*via(?:\\s+(.*))?");
  private static final Pattern CONTINUED = Pattern.compile("\\s*#\\s{2,}(\\S.*)");

  private ViaAnnotations() {}

  /**
   * For each annotated pin of {@code text} (PEP 503 name), the {@code -r} files its via list names, as written; an
   * empty set when only packages pulled it in. Pins without a via comment are absent.
   */
  static Map<String, Set<String>> inputFiles(String text) {
    Map<String, Set<String>> annotated = new LinkedHashMap<>();
    String pin = null;
    boolean inVia = false;
    for (String line : text.split("\r\n|\n|\r", -1)) {
      Matcher start = PIN_START.matcher(line);
      if (start.lookingAt()) {
        pin = PackageNames.normalize(start.group(1));
        inVia = false;
        continue;
      }
      if (pin == null) {
        continue;
      }
      Matcher via = VIA.matcher(line);
      if (via.matches()) {
        Set<String> files = annotated.computeIfAbsent(pin, k -> new LinkedHashSet<>());
        inVia = true;
        if (via.group(1) != null) {
          note(via.group(1), files);
        }
        continue;
      }
      Matcher continued = CONTINUED.matcher(line);
      if (inVia && continued.matches()) {
        note(continued.group(1), annotated.get(pin));
        continue;
      }
      if (!line.isBlank() && !line.stripLeading().startsWith("--") && !line.stripLeading().startsWith("#")) {
        pin = null;
      }
      inVia = false;
    }
    return annotated;
  }

  private static void note(String entry, Set<String> files) {
    String e = entry.trim();
    if (e.startsWith("-r ")) {
      files.add(e.substring(3).trim());
    } else if (e.startsWith("--requirement ") || e.startsWith("--requirement=")) {
      files.add(e.substring("--requirement".length() + 1).trim());
    }
  }
}
