package dev.envforge.core.lock.poetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.envforge.core.lock.ProjectFiles;
import dev.envforge.core.plan.InstallPlan;
import dev.envforge.core.plan.PlanJson;
import dev.envforge.core.plan.Selection;
import dev.envforge.core.plan.Target;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every reference answer for a Poetry case of the corpus, reproduced exactly. */
class PoetryExpectedAnswersTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static Path corpus() throws URISyntaxException {
    return Path.of(PoetryExpectedAnswersTest.class.getResource("/corpus/expected/README.md").toURI())
        .getParent().getParent();
  }

  static Stream<String> answers() throws IOException, URISyntaxException {
    Path expected = corpus().resolve("expected");
    List<String> answers = new ArrayList<>();
    try (Stream<Path> cases = Files.list(expected)) {
      for (Path dir : cases.filter(p -> p.getFileName().toString().startsWith("poetry-")).sorted().toList()) {
        try (Stream<Path> files = Files.walk(dir)) {
          files.filter(f -> f.toString().endsWith(".json"))
              .map(f -> expected.relativize(f).toString())
              .sorted()
              .forEach(answers::add);
        }
      }
    }
    return answers.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("answers")
  void reproducesAnswer(String answerPath) throws Exception {
    JsonNode answer = JSON.readTree(corpus().resolve("expected").resolve(answerPath).toFile());
    Selection selection = new Selection(strings(answer.path("selection").path("groups")),
        strings(answer.path("selection").path("extras")));
    String python = answer.path("environment").path("python_full_version").asText();
    ProjectFiles files = ProjectFiles.of(corpus().resolve(answer.path("case").asText()));

    InstallPlan plan = new PoetryResolver().resolve(files, selection, new Target(python, Target.DEFAULT_PLATFORM));

    assertThat(plan.environment().pythonFullVersion()).isEqualTo(python);
    assertThat(PlanJson.packages(plan)).isEqualTo(answer.path("packages"));
    ArrayNode skipped = JSON.createArrayNode();
    plan.localSkipped().forEach(skipped::add);
    assertThat(skipped).isEqualTo(answer.path("local_skipped"));
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
