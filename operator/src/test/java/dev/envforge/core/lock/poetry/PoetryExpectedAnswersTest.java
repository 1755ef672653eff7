package dev.envforge.core.lock.poetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.envforge.core.lock.support.ExpectedAnswers;
import dev.envforge.core.lock.support.ExpectedAnswers.Answer;
import dev.envforge.core.plan.InstallPlan;
import dev.envforge.core.plan.PlanJson;
import dev.envforge.core.plan.Target;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every reference answer for a Poetry case of the corpus (both Python versions of the subfolders), reproduced exactly. */
class PoetryExpectedAnswersTest {
  private static final PoetryResolver RESOLVER = new PoetryResolver();

  static List<Answer> answers() {
    return ExpectedAnswers.forCases("poetry-");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("answers")
  void reproducesAnswer(Answer answer) {
    InstallPlan plan = RESOLVER.resolve(answer.files(), answer.selection(),
        new Target(answer.python(), Target.DEFAULT_PLATFORM));

    assertThat(plan.environment().pythonFullVersion()).isEqualTo(answer.python());
    assertThat(PlanJson.packages(plan)).isEqualTo(answer.packages());
    ArrayNode skipped = JsonNodeFactory.instance.arrayNode();
    plan.localSkipped().forEach(skipped::add);
    assertThat(skipped).isEqualTo(answer.localSkipped());
  }

  /** Answers outside a py* subfolder are for the default target, which requires-python may move (private-gpt). */
  static List<Answer> defaultTargetAnswers() {
    return answers().stream().filter(a -> !a.path().contains("/")).toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("defaultTargetAnswers")
  void choosesTheAnswersPythonWhenNoneIsGiven(Answer answer) {
    InstallPlan plan = RESOLVER.resolve(answer.files(), answer.selection(), Target.DEFAULT);

    assertThat(plan.environment().pythonFullVersion()).isEqualTo(answer.python());
    assertThat(PlanJson.packages(plan)).isEqualTo(answer.packages());
  }
}
