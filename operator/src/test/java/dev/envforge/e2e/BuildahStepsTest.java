package dev.envforge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Step times come from the arrival times of buildah's STEP lines. */
class BuildahStepsTest {
  @Test
  void eachStepLastsUntilTheNextStepLineAndTheLastUntilTheEnd() {
    ExternalCommand.Result build = new ExternalCommand.Result(List.of("buildah", "bud"), 0, "", "",
        Duration.ofMillis(9000), List.of(
            line(0, "STEP 1/3: FROM base"),
            line(100, "Getting image source signatures"),
            line(2000, "STEP 2/3: COPY a /a"),
            line(2300, "--> 1234"),
            line(2500, "STEP 3/3: RUN [\"/bin/sh\", \"-c\", \"pip install\"]"),
            line(8000, "Successfully installed alpha-1.0"),
            line(8500, "COMMIT r/app:t")));

    List<BuildahBuilder.Step> steps = BuildahBuilder.steps(build);

    assertThat(steps).extracting(BuildahBuilder.Step::number, BuildahBuilder.Step::keyword,
        BuildahBuilder.Step::duration).containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, "FROM", Duration.ofMillis(2000)),
            org.assertj.core.groups.Tuple.tuple(2, "COPY", Duration.ofMillis(500)),
            org.assertj.core.groups.Tuple.tuple(3, "RUN", Duration.ofMillis(6500)));
  }

  private static ExternalCommand.TimedLine line(long millis, String text) {
    return new ExternalCommand.TimedLine(Duration.ofMillis(millis), text);
  }
}
