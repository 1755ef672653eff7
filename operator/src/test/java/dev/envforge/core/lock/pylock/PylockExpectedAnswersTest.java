package dev.envforge.core.lock.pylock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.core.lock.support.ExpectedAnswers;
import dev.envforge.core.lock.support.ExpectedAnswers.Answer;
import dev.envforge.core.plan.InstallPlan;
import dev.envforge.core.plan.PlanJson;
import dev.envforge.core.plan.Target;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every reference answer of the pylock cases, reproduced exactly. */
class PylockExpectedAnswersTest {
  static List<Answer> answers() {
    return ExpectedAnswers.forCases("pylock-");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("answers")
  void reproducesTheExpectedAnswer(Answer answer) {
    PylockResolver resolver = new PylockResolver(lockFileOf(answer.caseName()));

    InstallPlan plan = resolver.resolve(answer.files(), answer.selection(),
        new Target(answer.python(), Target.DEFAULT_PLATFORM));

    assertThat(PlanJson.packages(plan)).isEqualTo(answer.packages());
    assertThat(PlanJson.toJson(plan).get("local_skipped")).isEqualTo(answer.localSkipped());
  }

  /** The case's one pylock.toml or pylock.NAME.toml. */
  private static String lockFileOf(String caseName) {
    try (Stream<Path> files = Files.list(ExpectedAnswers.caseFolder(caseName))) {
      List<String> locks = files.map(f -> f.getFileName().toString())
          .filter(n -> n.startsWith("pylock.") && n.endsWith(".toml")).toList();
      assertThat(locks).hasSize(1);
      return locks.get(0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
