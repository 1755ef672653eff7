package dev.envforge.core.planner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.core.lock.ProjectFiles;
import dev.envforge.core.plan.Selection;
import dev.envforge.core.plan.Target;
import dev.envforge.core.planner.PlanOutcome.Planned;
import dev.envforge.core.planner.PlanOutcome.Refused;
import dev.envforge.core.planner.PlanningProblem.Kind;
import dev.envforge.core.recipe.Installer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Every problem of the input is an outcome of planning, typed by the input at fault, including those only the
 * build context's rendering finds: nothing waits for a build to start to be refused.
 */
class PlanOutcomeTest {
  static final String HASH = "sha256=\"" + "ab".repeat(32) + "\"";

  static String pylock(String packages) {
    return "lock-version = \"1.0\"\ncreated-by = \"hand\"\nrequires-python = \">=3.9\"\n\n" + packages;
  }

  static final String GOOD_PACKAGE = """
      [[packages]]
      name = "app-lib"
      version = "1.0"
      index = "https://example.org/simple/"
      wheels = [{ name = "app_lib-1.0-py3-none-any.whl", url = "https://example.org/f/app_lib-1.0-py3-none-any.whl", hashes = { %s } }]
      """.formatted(HASH.replace("=", " = "));

  static PlanOutcome outcome(String lock, PlanningRequest request, List<String> groups) {
    return EnvironmentPlanner.outcome(ProjectFiles.of(Map.of("pylock.toml", lock), "project/"), request,
        new VariantRequest("default", new Selection(groups, List.of())), null);
  }

  static Arguments refused(String what, String lock, PlanningRequest request, List<String> groups, Kind kind,
      String messagePart) {
    return Arguments.of(what, lock, request, groups, kind, messagePart);
  }

  static List<Arguments> inputProblems() {
    PlanningRequest defaults = PlanningRequest.DEFAULTS;
    return List.of(
        refused("a vcs package without a version (reads fine, cannot be pinned)", pylock(GOOD_PACKAGE + """
            [[packages]]
            name = "speedup"
            vcs = { type = "git", url = "https://github.com/o/speedup.git", commit-id = "4ffaa97a9a438b913b73696e192b5575419407bc" }
            """), defaults, List.of(), Kind.BUILD_CONTEXT, "project/pylock.toml: cannot be built"),
        refused("a vcs package whose url is not http(s)", pylock(GOOD_PACKAGE + """
            [[packages]]
            name = "speedup"
            version = "1.0"
            vcs = { type = "git", url = "ssh://git@github.com/o/speedup.git", commit-id = "4ffaa97a9a438b913b73696e192b5575419407bc" }
            """), defaults, List.of(), Kind.BUILD_CONTEXT, "project/pylock.toml: cannot be built"),
        refused("a lock that does not parse", pylock("[[packages]\nname = 1\n"), defaults, List.of(), Kind.LOCK,
            "project/pylock.toml:"),
        refused("an unknown dependency group", pylock(GOOD_PACKAGE), defaults, List.of("nope"), Kind.LOCK, "nope"),
        refused("a base image that is no image reference", pylock(GOOD_PACKAGE),
            new PlanningRequest(null, Target.DEFAULT, "not an image!", Installer.UV), List.of(), Kind.RECIPE,
            "baseImage"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inputProblems")
  void inputProblemsAreTypedOutcomes(String what, String lock, PlanningRequest request, List<String> groups,
      Kind kind, String messagePart) {
    PlanOutcome outcome = outcome(lock, request, groups);

    assertThat(outcome).as(what).isInstanceOf(Refused.class);
    PlanningProblem problem = ((Refused) outcome).problem();
    assertThat(problem.kind()).as(what).isEqualTo(kind);
    assertThat(problem.message()).as(what).contains(messagePart);
  }

  @Test
  void aGoodLockIsPlannedWithItsCheckedBuildContext() {
    PlanOutcome outcome = outcome(pylock(GOOD_PACKAGE), PlanningRequest.DEFAULTS, List.of());

    assertThat(outcome).isInstanceOf(Planned.class);
    Planned planned = (Planned) outcome;
    assertThat(planned.context()).isEqualTo(planned.plan().render());
    assertThat(planned.plan().plan().packages()).singleElement().satisfies(p ->
        assertThat(p.name()).isEqualTo("app-lib"));
  }
}
