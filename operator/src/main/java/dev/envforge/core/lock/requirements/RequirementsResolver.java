package dev.envforge.core.lock.requirements;

import dev.envforge.core.lock.InputLimits;
import dev.envforge.core.lock.LockFormat;
import dev.envforge.core.lock.LockInputException;
import dev.envforge.core.lock.LockResolver;
import dev.envforge.core.lock.ProjectFiles;
import dev.envforge.core.lock.support.Artifacts;
import dev.envforge.core.lock.support.PlanOrder;
import dev.envforge.core.lock.support.RequiresPython;
import dev.envforge.core.pep.MarkerEnvironment;
import dev.envforge.core.pep.PackageNames;
import dev.envforge.core.pep.PepSyntaxException;
import dev.envforge.core.pep.Requirement;
import dev.envforge.core.pep.Version;
import dev.envforge.core.plan.Artifact;
import dev.envforge.core.plan.InstallPlan;
import dev.envforge.core.plan.PackageSource;
import dev.envforge.core.plan.PlannedPackage;
import dev.envforge.core.plan.PythonTargets;
import dev.envforge.core.plan.Selection;
import dev.envforge.core.plan.Target;
import dev.envforge.core.text.Texts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves a pip requirements file of pins, as {@code pip-compile --generate-hashes} or
 * {@code uv pip compile --generate-hashes} write it: every requirement {@code name==version} (or {@code ===}),
 * markers evaluated on the target, {@code --hash} options kept as artifacts, {@code -r} files followed (each file
 * once, at most {@value InputLimits#MAX_INCLUDE_DEPTH} deep). Comments, {@code # via} lines and line continuations
 * are understood; constraints files ({@code -c}) add nothing to install and are not read. Editable lines
 * ({@code -e}) are local and only listed as skipped.
 *
 * <p>The file's package indexes are kept in order: {@code --index-url} (or {@code -i}) is where every pin comes
 * from, {@code --extra-index-url} adds indexes after it. What pip would do with them is refused where it is
 * ambiguous or where a pin could come from somewhere the plan does not say: two different {@code --index-url},
 * {@code --extra-index-url} with a pin that has no {@code --hash} (any index could serve it: dependency confusion),
 * {@code --find-links} and {@code --no-index}.
 */
public final class RequirementsResolver implements LockResolver {
  private static final Pattern PIN = Pattern.compile(
      "\\s*([A-Za-z0-9][A-Za-z0-9._-]*)\\s*(?:\\[[^\\]]*\\])?\\s*(===?)\\s*([^\\s;,]+)\\s*(?:;.*)?",
      Pattern.DOTALL);
  private static final Pattern OPTION_START = Pattern.compile("(^|\\s)--");
  private static final Pattern EGG = Pattern.compile("#egg=([A-Za-z0-9][A-Za-z0-9._-]*)");
  /** Options of a requirements file that say where or how to install, not what. */
  private static final Set<String> GLOBAL_OPTIONS = Set.of("-i", "--index-url", "--extra-index-url", "--pre",
      "--trusted-host", "--prefer-binary", "--only-binary", "--no-binary", "--require-hashes", "--use-feature", "-c",
      "--constraint");
  /** Options that install from somewhere other than a package index, which the build does not do. */
  private static final Set<String> REFUSED_OPTIONS = Set.of("-f", "--find-links", "--no-index");
  private static final Set<String> OPTIONS_WITHOUT_VALUE = Set.of("--pre", "--prefer-binary", "--require-hashes");

  private final String requirementsFile;

  /** Reads {@code requirements.txt}. */
  public RequirementsResolver() {
    this("requirements.txt");
  }

  /** Reads the named requirements file, a path relative to the project root. */
  public RequirementsResolver(String requirementsFile) {
    this.requirementsFile = requirementsFile;
  }

  @Override
  public InstallPlan resolve(ProjectFiles files, Selection selection, Target target) {
    if (!selection.groups().isEmpty() || !selection.extras().isEmpty()) {
      throw new LockInputException(files.displayName(requirementsFile), 1, 1,
          "a requirements file has no groups or extras: name another requirements file instead");
    }
    String python = PythonTargets.choose(target.python(), RequiresPython.ofProject(files));
    MarkerEnvironment environment = MarkerEnvironment.linuxCPython(python, target.machine());
    Reader reader = new Reader(files, environment);
    reader.read(requirementsFile, new ArrayList<>(), null);
    List<String> indexes = reader.indexes();
    PackageSource source = indexes.isEmpty() || indexes.get(0).equals(PackageSource.PYPI) ? null
        : PackageSource.registry(indexes.get(0));

    List<PlannedPackage> packages = new ArrayList<>();
    for (Pin pin : reader.pins.values()) {
      List<Artifact> artifacts = new ArrayList<>();
      for (String hash : new TreeSet<>(pin.hashes)) {
        artifacts.add(new Artifact(null, null, hash));
      }
      artifacts.sort(PlanOrder.ARTIFACTS);
      packages.add(PlannedPackage.python(pin.name, pin.version, source, artifacts));
    }
    packages.sort(PlanOrder.PACKAGES);
    Set<String> requested = new TreeSet<>();
    for (Pin pin : reader.pins.values()) {
      if (isRequested(files, pin.path, pin.name, new java.util.HashSet<>())) {
        requested.add(pin.name);
      }
    }
    return new InstallPlan(LockFormat.REQUIREMENTS, selection, environment, packages,
        List.copyOf(reader.localSkipped), indexes).withRequested(requested);
  }

  /**
   * Whether the user named the package: the pin in {@code path} has no via comment, or its via comment names a
   * {@code -r} input file that is missing, carries no via comments itself (a hand-written input), or names it
   * in the same sense (an input that is itself compiled, such as {@code -r requirements.txt} in a dev input).
   */
  private static boolean isRequested(ProjectFiles files, String path, String name, Set<String> seen) {
    if (!seen.add(path)) {
      return false;
    }
    Optional<String> text = files.read(path);
    if (text.isEmpty()) {
      return true;
    }
    Map<String, Set<String>> annotations = ViaAnnotations.inputFiles(text.get());
    if (annotations.isEmpty() || !annotations.containsKey(name)) {
      return true;
    }
    Path parent = Path.of(path).getParent();
    for (String input : annotations.get(name)) {
      Path resolved = (parent == null ? Path.of(input) : parent.resolve(input)).normalize();
      if (resolved.startsWith("..") || input.contains("://") || Path.of(input).isAbsolute()) {
        return true;
      }
      String inputPath = resolved.toString().replace('\\', '/');
      Optional<String> inputText = files.read(inputPath);
      if (inputText.isEmpty() || ViaAnnotations.inputFiles(inputText.get()).isEmpty()
          || isRequested(files, inputPath, name, seen)) {
        return true;
      }
    }
    return false;
  }

  /** A pinned package and the hashes every line pinning it allowed. */
  private static final class Pin {
    final String name;
    final String version;
    final String path;
    final String file;
    final int line;
    final List<String> hashes = new ArrayList<>();

    Pin(String name, String version, String path, String file, int line) {
      this.path = path;
      this.name = name;
      this.version = version;
      this.file = file;
      this.line = line;
    }
  }

  /** An index option's URL and where it was written. */
  private record IndexOption(String url, String file, int line) {}

  /** One logical line: physical lines joined where they end in a backslash, comments removed. */
  private record LogicalLine(String text, int line) {}

  private static final class Reader {
    private final ProjectFiles files;
    private final MarkerEnvironment environment;
    final Map<String, Pin> pins = new LinkedHashMap<>();
    final Set<String> localSkipped = new TreeSet<>();
    /** Files read to the end: a file included twice (a diamond) is read once, so includes cannot multiply work. */
    private final Set<String> done = new HashSet<>();
    private IndexOption indexUrl;
    private final Map<String, IndexOption> extraIndexes = new LinkedHashMap<>();

    Reader(ProjectFiles files, MarkerEnvironment environment) {
      this.files = files;
      this.environment = environment;
    }

    void read(String path, List<String> including, LockInputException notFound) {
      String file = files.displayName(path);
      if (including.contains(path)) {
        throw notFound == null ? new LockInputException(file, 1, 1, "includes itself")
            : new LockInputException(notFound.file(), notFound.line(), notFound.column(),
                Texts.quote(path) + " includes itself (through " + String.join(" -> ", including) + ")");
      }
      if (including.size() >= InputLimits.MAX_INCLUDE_DEPTH) {
        throw new LockInputException(notFound.file(), notFound.line(), notFound.column(), "-r includes nest more"
            + " than " + InputLimits.MAX_INCLUDE_DEPTH + " deep (through " + String.join(" -> ", including) + ")");
      }
      if (!done.add(path)) {
        return;
      }
      String text = files.read(path).orElseThrow(() -> notFound != null ? notFound
          : new LockInputException(file, 0, 0, "file not found"));
      including.add(path);
      for (LogicalLine line : logicalLines(text)) {
        readLine(path, file, line, including);
      }
      including.remove(including.size() - 1);
    }

    /** The file's indexes in order, the main one first; empty when it names none but PyPI. */
    List<String> indexes() {
      Pin firstUnhashed = pins.values().stream().filter(p -> p.hashes.isEmpty()).findFirst().orElse(null);
      if (!extraIndexes.isEmpty() && firstUnhashed != null) {
        IndexOption extra = extraIndexes.values().iterator().next();
        throw new LockInputException(firstUnhashed.file, firstUnhashed.line, 1, Texts.quote(firstUnhashed.name)
            + " has no --hash, and --extra-index-url at " + extra.file() + ":" + extra.line() + " lets any of the"
            + " indexes serve it (dependency confusion): add its hashes, or use one --index-url");
      }
      List<String> indexes = new ArrayList<>();
      indexes.add(indexUrl == null ? PackageSource.PYPI : indexUrl.url());
      for (String extra : extraIndexes.keySet()) {
        if (!indexes.contains(extra)) {
          indexes.add(extra);
        }
      }
      return indexes.equals(List.of(PackageSource.PYPI)) ? List.of() : List.copyOf(indexes);
    }

    private void indexOption(String file, LogicalLine line, String option, String value) {
      String url = indexUrl(file, line, option, value);
      IndexOption here = new IndexOption(url, file, line.line());
      if (option.equals("--extra-index-url")) {
        extraIndexes.putIfAbsent(url, here);
      } else if (indexUrl == null) {
        indexUrl = here;
      } else if (!indexUrl.url().equals(url)) {
        throw new LockInputException(file, line.line(), 1, "a second --index-url " + Texts.quote(url) + " after "
            + Texts.quote(indexUrl.url()) + " at " + indexUrl.file() + ":" + indexUrl.line() + ": pip would use"
            + " only the last one; keep one --index-url and add others with --extra-index-url");
      }
    }

    /** An index URL as the plan keeps it: http(s), no spaces, no trailing slash, no credentials. */
    private static String indexUrl(String file, LogicalLine line, String option, String value) {
      String lower = value.toLowerCase(java.util.Locale.ROOT);
      if (Texts.hasControlOrSpace(value) || !(lower.startsWith("https://") || lower.startsWith("http://"))
          || value.length() <= "https://".length()) {
        throw new LockInputException(file, line.line(), 1, option + " needs an http(s) URL, not "
            + Texts.quote(value));
      }
      // credentials come to the build from the index-credentials Secret, never from the plan
      return PackageSource.registry(Texts.withoutUserInfo(value)).url();
    }

    private void readLine(String path, String file, LogicalLine line, List<String> including) {
      List<String> tokens = List.of(line.text().trim().split("\\s+"));
      String first = tokens.get(0);
      if (first.equals("-r") || first.equals("--requirement") || first.startsWith("--requirement=")
          || first.startsWith("-r") && first.length() > 2) {
        String target = first.startsWith("--requirement=") ? first.substring("--requirement=".length())
            : first.length() > 2 && !first.startsWith("--") ? first.substring(2)
            : tokens.size() > 1 ? tokens.get(1) : null;
        if (target == null) {
          throw new LockInputException(file, line.line(), 1, "-r needs a file name");
        }
        String included = include(file, line, path, target);
        read(included, including, new LockInputException(file, line.line(), 1, "included file "
            + Texts.quote(target) + " not found"));
        return;
      }
      if (first.equals("-e") || first.startsWith("--editable")) {
        Matcher egg = EGG.matcher(line.text());
        if (egg.find()) {
          localSkipped.add(PackageNames.normalize(egg.group(1)));
        }
        return;
      }
      if (first.startsWith("-")) {
        String option = first.contains("=") ? first.substring(0, first.indexOf('='))
            : first.startsWith("-i") && first.length() > 2 && !first.startsWith("--") ? "-i" : first;
        if (REFUSED_OPTIONS.contains(option)) {
          throw new LockInputException(file, line.line(), 1, Texts.quote(option) + " is not supported: the image"
              + " installs every pin from package indexes only (name them with --index-url)");
        }
        if (!GLOBAL_OPTIONS.contains(option)) {
          throw new LockInputException(file, line.line(), 1, "unknown option " + Texts.quote(option));
        }
        boolean attached = first.contains("=") || !first.equals(option);
        int expected = OPTIONS_WITHOUT_VALUE.contains(option) || attached ? 1 : 2;
        if (tokens.size() != expected) {
          throw new LockInputException(file, line.line(), 1, "unexpected text after " + Texts.quote(option));
        }
        if (option.equals("-i") || option.equals("--index-url") || option.equals("--extra-index-url")) {
          String value = first.contains("=") ? first.substring(first.indexOf('=') + 1)
              : attached ? first.substring(2) : tokens.get(1);
          indexOption(file, line, option.equals("-i") ? "--index-url" : option, value);
        }
        return;
      }
      requirement(path, file, line);
    }

    /** The included file's path in the project: relative to the including file, never outside the project. */
    private static String include(String file, LogicalLine line, String path, String target) {
      if (target.contains("://") || target.startsWith("/") || target.startsWith("\\")) {
        throw new LockInputException(file, line.line(), 1, "only files inside the project can be included, not "
            + Texts.quote(target));
      }
      Path parent = Path.of(path).getParent();
      Path resolved = (parent == null ? Path.of(target) : parent.resolve(target)).normalize();
      if (resolved.startsWith("..") || resolved.toString().isEmpty()) {
        throw new LockInputException(file, line.line(), 1, "only files inside the project can be included, not "
            + Texts.quote(target));
      }
      return resolved.toString().replace('\\', '/');
    }

    private void requirement(String path, String file, LogicalLine line) {
      String text = line.text();
      List<String> hashes = new ArrayList<>();
      // per-requirement options follow the requirement: --hash=alg:hex (or --hash alg:hex)
      int optionsAt = indexOfOption(text);
      String requirementText = (optionsAt < 0 ? text : text.substring(0, optionsAt)).trim();
      if (optionsAt >= 0) {
        String[] options = text.substring(optionsAt).trim().split("\\s+");
        for (int i = 0; i < options.length; i++) {
          String option = options[i];
          String value;
          if (option.startsWith("--hash=")) {
            value = option.substring("--hash=".length());
          } else if (option.equals("--hash") && i + 1 < options.length) {
            value = options[++i];
          } else {
            throw new LockInputException(file, line.line(), 1, "unknown requirement option "
                + Texts.quote(option));
          }
          int colon = value.indexOf(':');
          String hash = colon < 0 ? null : Artifacts.hash(value.substring(0, colon), value.substring(colon + 1));
          if (hash == null) {
            throw new LockInputException(file, line.line(), 1, "invalid hash " + Texts.quote(value));
          }
          hashes.add(hash);
        }
      }
      Requirement requirement;
      try {
        requirement = Requirement.parse(requirementText);
      } catch (PepSyntaxException e) {
        throw new LockInputException(file, line.line(), 1, "invalid requirement " + Texts.quote(requirementText)
            + ": " + Texts.escape(e.getMessage()));
      }
      if (!requirement.marker().evaluate(environment, Set.of())) {
        return;
      }
      Matcher pin = PIN.matcher(requirementText);
      if (requirement.url() != null || !pin.matches()) {
        throw new LockInputException(file, line.line(), 1, "not pinned: " + Texts.quote(requirementText)
            + " (a requirements lock pins every package with ==)");
      }
      String version = pin.group(3);
      if (pin.group(2).equals("==")) {
        try {
          Version.parse(version);
        } catch (PepSyntaxException e) {
          throw new LockInputException(file, line.line(), 1, "invalid version " + Texts.quote(version));
        }
      }
      Pin existing = pins.get(requirement.name());
      if (existing == null) {
        existing = new Pin(requirement.name(), version, path, file, line.line());
        pins.put(requirement.name(), existing);

      } else if (!existing.version.equals(version)) {
        throw new LockInputException(file, line.line(), 1, Texts.quote(requirement.name()) + " is pinned to "
            + Texts.quote(version) + " here and to " + Texts.quote(existing.version) + " at " + existing.file + ":"
            + existing.line);
      }
      existing.hashes.addAll(hashes);
    }

    private static int indexOfOption(String text) {
      Matcher m = OPTION_START.matcher(text);
      return m.find() ? m.start() : -1;
    }
  }

  /** Joins continued lines and drops comments; each logical line keeps the number of its first physical line. */
  static List<LogicalLine> logicalLines(String text) {
    List<LogicalLine> out = new ArrayList<>();
    String[] physical = text.split("\r?\n", -1);
    StringBuilder current = null;
    int start = 0;
    for (int i = 0; i < physical.length; i++) {
      String line = stripComment(physical[i]);
      if (current == null) {
        current = new StringBuilder();
        start = i + 1;
      }
      if (line.endsWith("\\")) {
        current.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      current.append(line);
      if (!current.toString().isBlank()) {
        out.add(new LogicalLine(current.toString(), start));
      }
      current = null;
    }
    if (current != null && !current.toString().isBlank()) {
      out.add(new LogicalLine(current.toString(), start));
    }
    return out;
  }

  /** pip's rule: '#' at the start of a line or after whitespace begins a comment. */
  private static String stripComment(String line) {
    for (int i = 0; i < line.length(); i++) {
      if (line.charAt(i) == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
        return line.substring(0, i).stripTrailing();
      }
    }
    return line.stripTrailing();
  }
}
