package dev.envforge.core.lock.conda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.envforge.core.lock.support.ExpectedAnswers;
import dev.envforge.core.lock.support.ExpectedAnswers.Answer;
import dev.envforge.core.plan.InstallPlan;
import dev.envforge.core.plan.PlanJson;
import dev.envforge.core.plan.Selection;
import dev.envforge.core.plan.Target;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every reference answer of the conda cases, unified and explicit, reproduced exactly. */
class CondaExpectedAnswersTest {
  static List<Answer> answers() {
    return ExpectedAnswers.forCases("conda-");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("answers")
  void reproducesTheExpectedAnswer(Answer answer) {
    JsonNode selection = answer.json().get("selection");
    assertThat(selection.get("platform").asText()).isEqualTo("linux-64");
    List<String> categories = new ArrayList<>();
    selection.path("categories").forEach(c -> categories.add(c.asText()));
    CondaResolver resolver = selection.has("file") ? new CondaResolver(selection.get("file").asText())
        : new CondaResolver();

    InstallPlan plan = resolver.resolve(answer.files(), new Selection(categories, List.of()), Target.DEFAULT);

    assertThat(PlanJson.packages(plan)).isEqualTo(answer.packages());
    assertThat(PlanJson.toJson(plan).get("local_skipped")).isEqualTo(answer.localSkipped());
  }
}
