package dev.envforge.core.lock.requirements;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.core.lock.support.ExpectedAnswers;
import dev.envforge.core.lock.support.ExpectedAnswers.Answer;
import dev.envforge.core.plan.InstallPlan;
import dev.envforge.core.plan.PlanJson;
import dev.envforge.core.plan.Target;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every reference answer of the requirements cases, reproduced exactly. */
class RequirementsExpectedAnswersTest {
  static List<Answer> answers() {
    return ExpectedAnswers.forCases("requirements-");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("answers")
  void reproducesTheExpectedAnswer(Answer answer) {
    RequirementsResolver resolver = new RequirementsResolver(answer.json().get("selection").get("file").asText());

    InstallPlan plan = resolver.resolve(answer.files(), answer.selection(),
        new Target(answer.python(), Target.DEFAULT_PLATFORM));

    assertThat(PlanJson.packages(plan)).isEqualTo(answer.packages());
    assertThat(PlanJson.toJson(plan).get("local_skipped")).isEqualTo(answer.localSkipped());
    assertThat(plan.packages()).allSatisfy(p -> assertThat(p.artifacts()).isNotEmpty());
  }
}
