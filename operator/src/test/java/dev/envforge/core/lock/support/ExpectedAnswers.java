package dev.envforge.core.lock.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.envforge.core.lock.ProjectFiles;
import dev.envforge.core.plan.Selection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The reference answers copied under test resources {@code corpus/expected/<case>/...json}. */
public final class ExpectedAnswers {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ExpectedAnswers() {}

  /** One answer: its case, its path below the case folder, and its JSON. */
  public record Answer(String caseName, String path, JsonNode json) {
    public Selection selection() {
      return new Selection(strings(json.path("selection").path("groups")),
          strings(json.path("selection").path("extras")));
    }

    /** The Python version the answer was made for, or null when it records none (conda). */
    public String python() {
      JsonNode python = json.path("environment").path("python_full_version");
      return python.isTextual() ? python.asText() : null;
    }

    public ProjectFiles files() {
      return ProjectFiles.of(caseFolder(caseName));
    }

    public JsonNode packages() {
      return json.get("packages");
    }

    public JsonNode localSkipped() {
      return json.get("local_skipped");
    }

    @Override
    public String toString() {
      return caseName + "/" + path;
    }
  }

  /** The folder of a case's files. */
  public static Path caseFolder(String caseName) {
    return corpus().resolve(caseName);
  }

  /** Every answer of the cases whose names start with {@code prefix}, in a stable order. */
  public static List<Answer> forCases(String prefix) {
    Path expected = corpus().resolve("expected");
    List<Answer> answers = new ArrayList<>();
    try (Stream<Path> cases = Files.list(expected)) {
      for (Path caseDir : cases.filter(Files::isDirectory).sorted().toList()) {
        String caseName = caseDir.getFileName().toString();
        if (!caseName.startsWith(prefix)) {
          continue;
        }
        try (Stream<Path> files = Files.walk(caseDir)) {
          for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
            answers.add(new Answer(caseName, caseDir.relativize(file).toString().replace('\\', '/'),
                MAPPER.readTree(file.toFile())));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (answers.isEmpty()) {
      throw new IllegalStateException("no expected answers for " + prefix);
    }
    return answers;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static Path corpus() {
    URL url = ExpectedAnswers.class.getResource("/corpus/expected");
    if (url == null) {
      throw new IllegalStateException("test resources corpus/expected are missing");
    }
    try {
      return Path.of(url.toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
