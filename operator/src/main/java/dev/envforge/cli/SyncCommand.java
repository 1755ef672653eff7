package dev.envforge.cli;

import dev.envforge.core.lock.LockInputException;
import dev.envforge.core.planner.VariantPlan;
import java.io.PrintWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "sync", mixinStandardHelpOptions = true,
    description = "Sets image references marked with a setter comment, # {\"$envforge\": \"MANIFEST[:VARIANT]\"}, to"
        + " the current tag of that PythonEnvironment's variant; changes nothing else in the files.")
final class SyncCommand implements Callable<Integer> {
  /**
   * A YAML scalar line with a setter comment: {@code key: value # {"$envforge": "envs/ml.yaml:gpu"}} or a sequence item
   * {@code - value # {...}}, the value plain or quoted, the key plain or quoted, after any list dashes.
   */
  static final Pattern MARKED = Pattern.compile(
      "^(?<before>\\s*(?:-\\s+)*(?:(?:\"[^\"]*\"|'[^']*'|[^\\s#:\"'{}\\[\\],][^#:{}\\[\\]]*?)\\s*:\\s+)?)"
          + "(?<quote>[\"']?)(?<value>[^\\s\"'#{}\\[\\],]*[^\\s\"'#{}\\[\\],:])\\k<quote>"
          + "(?<gap>\\s+)#\\s*\\{\\s*\"\\$envforge\"\\s*:\\s*\"(?<setter>[^\"]+)\"\\s*}\\s*$");

  /** An envforge tag alone, without a repository. */
  private static final Pattern TAG_ONLY = Pattern.compile("ef-[0-9a-f]{32}");

  /** A setter comment after something on its line: a line comment, which must then mark a scalar MARKED reads. */
  private static final Pattern SETTER_COMMENT = Pattern.compile("\\S.*?\\s(?<comment>#.*\"\\$envforge\".*)$");

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "YAML files to update.")
  List<Path> files;

  @Option(names = "--check", description = "Change nothing; exit 1 and list the references that are not current.")
  boolean check;

  @Option(names = "--project", paramLabel = "DIR",
      description = "The project folder of manifests whose source is a ConfigMap (default: the ConfigMaps in the"
          + " manifest's file).")
  Path project;

  @Option(names = "--json", description = "Print one JSON object: {\"check\", \"current\", \"changes\": [{\"file\","
      + " \"line\", \"column\", \"from\", \"to\"}]}.")
  boolean json;

  @Spec CommandSpec spec;

  /** One marked reference that is not current. */
  record Change(Path file, int line, int column, String from, String to) {}

  @Override
  public Integer call() throws Exception {
    Map<String, ManifestPlanning> manifests = new HashMap<>();
    Map<String, String> tags = new HashMap<>();
    List<Change> changes = new ArrayList<>();
    // every file is read and every setter planned before any file is written: bad input changes nothing
    Map<Path, String> rewritten = new LinkedHashMap<>();
    Set<Path> seen = new HashSet<>();
    for (Path file : files) {
      if (!seen.add(file.toAbsolutePath().normalize())) {
        continue;
      }
      String text = read(file);
      // a byte order mark is kept, and is not part of the first line's YAML
      String bom = text.startsWith("\uFEFF") ? "\uFEFF" : "";
      text = text.substring(bom.length());
      StringBuilder updated = new StringBuilder(text.length() + 1).append(bom);
      int lineNumber = 0;
      // split keeping line ends as they are, so untouched lines stay byte for byte
      Matcher lineEnd = Pattern.compile("\\r?\\n|\\r").matcher(text);
      int start = 0;
      while (start < text.length()) {
        int end;
        String ending;
        if (lineEnd.find(start)) {
          end = lineEnd.start();
          ending = lineEnd.group();
        } else {
          end = text.length();
          ending = "";
        }
        lineNumber++;
        String line = text.substring(start, end);
        Matcher m = MARKED.matcher(line);
        if (m.matches()) {
          String setter = m.group("setter");
          int column = m.start("value") + 1;
          String value = m.group("value");
          int setterLine = lineNumber;
          int setterColumn = m.start("setter") + 1;
          String tag = tags.computeIfAbsent(file.toAbsolutePath().getParent() + "|" + setter,
              k -> currentTag(file, setterLine, setterColumn, setter, manifests));
          String current = withTag(file, lineNumber, column, value, tag);
          if (!current.equals(value)) {
            changes.add(new Change(file, lineNumber, column, value, current));
            line = line.substring(0, m.start("value")) + current + line.substring(m.end("value"));
          }
        } else if (!line.stripLeading().startsWith("#")) {
          Matcher comment = SETTER_COMMENT.matcher(line);
          if (comment.find()) {
            throw new LockInputException(file.toString(), lineNumber, comment.start("comment") + 1,
                "this setter comment marks no value envforge sync can update; write it after a scalar on the"
                    + " same line, KEY: IMAGE # {\"$envforge\": \"MANIFEST[:VARIANT]\"} or - IMAGE # {...}, with the"
                    + " setter as a JSON string (flow style {...} or [...] is not read)");
          }
        }
        updated.append(line).append(ending);
        start = end + ending.length();
      }
      if (!updated.toString().equals(bom + text)) {
        rewritten.put(file, updated.toString());
      }
    }
    if (!check) {
      for (Map.Entry<Path, String> entry : rewritten.entrySet()) {
        Files.writeString(entry.getKey(), entry.getValue(), StandardCharsets.UTF_8);
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> document = new LinkedHashMap<>();
      document.put("check", check);
      document.put("current", changes.isEmpty());
      List<Map<String, Object>> list = new ArrayList<>();
      for (Change c : changes) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("file", c.file().toString());
        item.put("line", c.line());
        item.put("column", c.column());
        item.put("from", c.from());
        item.put("to", c.to());
        list.add(item);
      }
      document.put("changes", list);
      out.println(JsonOutput.write(document));
      out.flush();
      return check && !changes.isEmpty() ? CheckLockCommand.CHECK_FAILED : 0;
    }
    for (Change c : changes) {
      out.println(c.file() + ":" + c.line() + ":" + c.column() + ": " + (check ? "not current: " : "updated: ")
          + c.from() + " -> " + c.to());
    }
    out.flush();
    return check && !changes.isEmpty() ? CheckLockCommand.CHECK_FAILED : 0;
  }

  private static String read(Path file) throws IOException {
    try {
      byte[] bytes = Files.readAllBytes(file);
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (NoSuchFileException e) {
      throw new LockInputException(file.toString(), 1, 1, "no such file (looked for a YAML file to sync)");
    } catch (CharacterCodingException e) {
      throw new LockInputException(file.toString(), 1, 1, "not UTF-8 text (sync reads YAML files)");
    }
  }

  /**
   * The tag of the setter's manifest and variant; the manifest's path is relative to the file's folder. A problem
   * with the manifest or variant is reported at the setter, with the manifest's own message.
   */
  private String currentTag(Path file, int line, int column, String setter,
      Map<String, ManifestPlanning> manifests) {
    try {
      return currentTag(file, setter, manifests);
    } catch (LockInputException | IllegalArgumentException e) {
      throw new LockInputException(file.toString(), line, column, "setter \"" + setter + "\": " + e.getMessage(), e);
    }
  }

  private String currentTag(Path file, String setter, Map<String, ManifestPlanning> manifests) {
    int colon = setter.lastIndexOf(':');
    String path = colon < 0 ? setter : setter.substring(0, colon);
    String variant = colon < 0 ? null : setter.substring(colon + 1);
    Path base = file.toAbsolutePath().getParent();
    Path manifest = base.resolve(path).normalize();
    ManifestPlanning planning = manifests.computeIfAbsent(manifest.toString(),
        k -> ManifestPlanning.of(ManifestReader.read(manifest, null), project));
    if (variant == null && planning.variants().size() > 1) {
      throw planning.manifest().errorAt("spec.variants", "PythonEnvironment " + planning.manifest().name()
          + " has several variants ("
          + planning.variants().stream().map(v -> v.name()).toList() + "); name one after a colon, \"" + path
          + ":VARIANT\"");
    }
    VariantPlan plan = planning.plan(planning.variant(variant));
    return plan.hash().tag();
  }

  /**
   * The reference with its tag replaced (and a digest dropped: it belonged to the old tag); a value that is an envforge
   * tag alone is replaced by the tag.
   */
  private static String withTag(Path file, int line, int column, String reference, String tag) {
    if (TAG_ONLY.matcher(reference).matches()) {
      return tag; // a field that holds the tag alone: kustomize's newTag, a Helm chart's image.tag
    }
    String name = reference;
    int at = name.indexOf('@');
    if (at >= 0) {
      name = name.substring(0, at);
    }
    int slash = name.lastIndexOf('/');
    int colon = name.lastIndexOf(':');
    if (colon > slash) {
      name = name.substring(0, colon);
    }
    if (name.isEmpty()) {
      throw new LockInputException(file.toString(), line, column, "not an image reference: " + reference);
    }
    return name + ":" + tag;
  }
}
