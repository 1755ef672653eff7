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
    // each file's via comments are read once, not once per pin: a large file has as many pins as lines
    Map<String, Optional<Map<String, Set<String>>>> annotations = new java.util.HashMap<>();
    for (Pin pin : reader.pins.values()) {
      if (isRequested(files, annotations, pin.path, pin.name, new java.util.HashSet<>())) {
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
  private static boolean isRequested(ProjectFiles files, Map<String, Optional<Map<String, Set<String>>>> read,
      String path, String name, Set<String> seen) {
    if (!seen.add(path)) {
      return false;
    }
    Optional<Map<String, Set<String>>> own = viaAnnotations(files, read, path);
    if (own.isEmpty()) {
      return true;
    }
    Map<String, Set<String>> annotations = own.get();
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
      Optional<Map<String, Set<String>>> inputAnnotations = viaAnnotations(files, read, inputPath);
      if (inputAnnotations.isEmpty() || inputAnnotations.get().isEmpty()
          || isRequested(files, read, inputPath, name, seen)) {
        return true;
      }
    }
    return false;
  }

  /** The via comments of a file, read once per resolve; empty when the file does not exist. */
  private static Optional<Map<String, Set<String>>> viaAnnotations(ProjectFiles files,
      Map<String, Optional<Map<String, Set<String>>>> read, String path) {
    return read.computeIfAbsent(path, p -> files.read(p).map(ViaAnnotations::inputFiles));
  }

  /** A pinned package and the hashes every line pinning it allowed. */
  private static final class Pin {
    final String name;
    final String version;
    final String path;
    final String file;
    final int line;
    final int column;
    final List<String> hashes = new ArrayList<>();

    Pin(String name, String version, String path, String file, int line, int column) {
      this.column = column;
      this.path = path;
      this.name = name;
      this.version = version;
      this.file = file;
      this.line = line;
    }
  }

  /** An index option's URL and where it was written. */
  private record IndexOption(String url, String file, int line) {}

  /**
   * One logical line: physical lines joined where they end in a backslash, comments removed. {@code starts[i]} is
   * the offset in {@code text} where physical line {@code line + i} begins, so an offset maps back to its line and
   * column.
   */
  record LogicalLine(String text, int line, int[] starts) {
    LogicalLine(String text, int line) {
      this(text, line, new int[] {0});
    }

    /** The physical line of an offset in the text. */
    int lineAt(int offset) {
      return line + segment(offset);
    }

    /** The 1-based column of an offset in the text, on its physical line. */
    int columnAt(int offset) {
      return Math.max(0, offset - starts[segment(offset)]) + 1;
    }

    private int segment(int offset) {
      int segment = 0;
      while (segment + 1 < starts.length && starts[segment + 1] <= offset) {
        segment++;
      }
      return segment;
    }

    /** A problem at that offset of this line. */
    LockInputException problem(String file, int offset, String problem) {
      return new LockInputException(file, lineAt(offset), columnAt(offset), problem);
    }
  }

  /** A whitespace-separated word of a logical line and where it starts. */
  private record Token(String text, int offset) {}

  private static final Pattern WORD = Pattern.compile("\\S+");

  private static List<Token> tokens(String text, int from) {
    List<Token> tokens = new ArrayList<>();
    Matcher word = WORD.matcher(text);
    word.region(from, text.length());
    while (word.find()) {
      tokens.add(new Token(word.group(), word.start()));
    }
    return tokens;
  }

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
        throw new LockInputException(firstUnhashed.file, firstUnhashed.line, firstUnhashed.column,
            Texts.quote(firstUnhashed.name)
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

    private void indexOption(String file, LogicalLine line, String option, Token value) {
      String url = indexUrl(file, line, option, value);
      IndexOption here = new IndexOption(url, file, line.lineAt(value.offset()));
      if (option.equals("--extra-index-url")) {
        extraIndexes.putIfAbsent(url, here);
      } else if (indexUrl == null) {
        indexUrl = here;
      } else if (!indexUrl.url().equals(url)) {
        throw line.problem(file, value.offset(), "a second --index-url " + Texts.quote(url) + " after "
            + Texts.quote(indexUrl.url()) + " at " + indexUrl.file() + ":" + indexUrl.line() + ": pip would use"
            + " only the last one; keep one --index-url and add others with --extra-index-url");
      }
    }

    /** An index URL as the plan keeps it: http(s), no spaces, no trailing slash, no credentials. */
    private static String indexUrl(String file, LogicalLine line, String option, Token token) {
      String value = token.text();
      String lower = value.toLowerCase(java.util.Locale.ROOT);
      if (Texts.hasControlOrSpace(value) || !(lower.startsWith("https://") || lower.startsWith("http://"))
          || value.length() <= "https://".length()) {
        throw line.problem(file, token.offset(), option + " needs an http(s) URL, not " + Texts.quote(value));
      }
      // credentials come to the build from the index-credentials Secret, never from the plan
      return PackageSource.registry(Texts.withoutUserInfo(value)).url();
    }

    private void readLine(String path, String file, LogicalLine line, List<String> including) {
      List<Token> tokens = tokens(line.text(), 0);
      Token firstToken = tokens.get(0);
      String first = firstToken.text();
      if (first.equals("-r") || first.equals("--requirement") || first.startsWith("--requirement=")
          || first.startsWith("-r") && first.length() > 2) {
        Token target = first.startsWith("--requirement=")
            ? new Token(first.substring("--requirement=".length()), firstToken.offset() + "--requirement=".length())
            : first.length() > 2 && !first.startsWith("--") ? new Token(first.substring(2), firstToken.offset() + 2)
            : tokens.size() > 1 ? tokens.get(1) : null;
        if (target == null || target.text().isEmpty()) {
          throw line.problem(file, firstToken.offset(), "-r needs a file name");
        }
        String included = include(file, line, path, target);
        read(included, including, line.problem(file, target.offset(), "included file "
            + Texts.quote(target.text()) + " not found"));
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
          throw line.problem(file, firstToken.offset(), Texts.quote(option) + " is not supported: the image"
              + " installs every pin from package indexes only (name them with --index-url)");
        }
        if (!GLOBAL_OPTIONS.contains(option)) {
          throw line.problem(file, firstToken.offset(), "unknown option " + Texts.quote(option));
        }
        boolean attached = first.contains("=") || !first.equals(option);
        int expected = OPTIONS_WITHOUT_VALUE.contains(option) || attached ? 1 : 2;
        if (tokens.size() != expected) {
          int at = tokens.size() > expected ? tokens.get(expected).offset() : firstToken.offset();
          throw line.problem(file, at, tokens.size() > expected ? "unexpected text after " + Texts.quote(option)
              : Texts.quote(option) + " needs a value");
        }
        if (option.equals("-i") || option.equals("--index-url") || option.equals("--extra-index-url")) {
          int valueAt = first.contains("=") ? first.indexOf('=') + 1 : attached ? 2 : -1;
          Token value = valueAt >= 0
              ? new Token(first.substring(valueAt), firstToken.offset() + valueAt) : tokens.get(1);
          indexOption(file, line, option.equals("-i") ? "--index-url" : option, value);
        }
        return;
      }
      requirement(path, file, line);
    }

    /** The included file's path in the project: relative to the including file, never outside the project. */
    private static String include(String file, LogicalLine line, String path, Token token) {
      String target = token.text();
      if (target.contains("://") || target.startsWith("/") || target.startsWith("\\")) {
        throw line.problem(file, token.offset(), "only files inside the project can be included, not "
            + Texts.quote(target));
      }
      Path parent = Path.of(path).getParent();
      Path resolved = (parent == null ? Path.of(target) : parent.resolve(target)).normalize();
      if (resolved.startsWith("..") || resolved.toString().isEmpty()) {
        throw line.problem(file, token.offset(), "only files inside the project can be included, not "
            + Texts.quote(target));
      }
      return resolved.toString().replace('\\', '/');
    }

    private void requirement(String path, String file, LogicalLine line) {
      String text = line.text();
      List<String> hashes = new ArrayList<>();
      // per-requirement options follow the requirement: --hash=alg:hex (or --hash alg:hex)
      int optionsAt = indexOfOption(text);
      String untrimmed = optionsAt < 0 ? text : text.substring(0, optionsAt);
      int requirementAt = untrimmed.length() - untrimmed.stripLeading().length();
      String requirementText = untrimmed.trim();
      if (optionsAt >= 0) {
        List<Token> options = tokens(text, optionsAt);
        for (int i = 0; i < options.size(); i++) {
          Token option = options.get(i);
          Token value;
          if (option.text().startsWith("--hash=")) {
            value = new Token(option.text().substring("--hash=".length()), option.offset() + "--hash=".length());
          } else if (option.text().equals("--hash") && i + 1 < options.size()) {
            value = options.get(++i);
          } else {
            throw line.problem(file, option.offset(), "unknown requirement option " + Texts.quote(option.text()));
          }
          int colon = value.text().indexOf(':');
          String hash = colon < 0 ? null
              : Artifacts.hash(value.text().substring(0, colon), value.text().substring(colon + 1));
          if (hash == null) {
            throw line.problem(file, value.offset(), "invalid hash " + Texts.quote(value.text()));
          }
          hashes.add(hash);
        }
      }
      Requirement requirement;
      try {
        requirement = Requirement.parse(requirementText);
      } catch (PepSyntaxException e) {
        throw line.problem(file, requirementAt + Math.min(Math.max(e.offset(), 0), requirementText.length()),
            "invalid requirement " + Texts.quote(requirementText) + ": " + Texts.escape(e.getMessage()));
      }
      if (!requirement.marker().evaluate(environment, Set.of())) {
        return;
      }
      Matcher pin = PIN.matcher(requirementText);
      if (requirement.url() != null || !pin.matches()) {
        throw line.problem(file, requirementAt, "not pinned: " + Texts.quote(requirementText)
            + " (a requirements lock pins every package with ==)");
      }
      String version = pin.group(3);
      if (pin.group(2).equals("==")) {
        try {
          Version.parse(version);
        } catch (PepSyntaxException e) {
          throw line.problem(file, requirementAt + pin.start(3), "invalid version " + Texts.quote(version));
        }
      }
      Pin existing = pins.get(requirement.name());
      if (existing == null) {
        existing = new Pin(requirement.name(), version, path, file, line.lineAt(requirementAt),
            line.columnAt(requirementAt));
        pins.put(requirement.name(), existing);

      } else if (!existing.version.equals(version)) {
        throw line.problem(file, requirementAt, Texts.quote(requirement.name()) + " is pinned to "
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

  /** Joins continued lines and drops comments; each logical line keeps where its physical lines begin. */
  static List<LogicalLine> logicalLines(String text) {
    List<LogicalLine> out = new ArrayList<>();
    String[] physical = text.split("\r?\n", -1);
    StringBuilder current = null;
    List<Integer> starts = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < physical.length; i++) {
      String line = stripComment(physical[i]);
      if (current == null) {
        current = new StringBuilder();
        starts.clear();
        start = i + 1;
      }
      starts.add(current.length());
      if (line.endsWith("\\")) {
        current.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      current.append(line);
      if (!current.toString().isBlank()) {
        out.add(new LogicalLine(current.toString(), start, starts.stream().mapToInt(Integer::intValue).toArray()));
      }
      current = null;
    }
    if (current != null && !current.toString().isBlank()) {
      out.add(new LogicalLine(current.toString(), start, starts.stream().mapToInt(Integer::intValue).toArray()));
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
