package dev.envforge.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** When a resource waiting on its registry looks again. */
class RegistryBackoffTest {
  static final ResourceID ID = new ResourceID("app", "team-a");

  @Test
  void doublesFromFiveSecondsUpToFiveMinutes() {
    RegistryBackoff backoff = new RegistryBackoff();

    assertThat(IntStream.rangeClosed(1, 9).mapToObj(i -> backoff.next(ID, true, null)).toList())
        .containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20),
            Duration.ofSeconds(40), Duration.ofSeconds(80), Duration.ofSeconds(160), Duration.ofSeconds(300),
            Duration.ofSeconds(300), Duration.ofSeconds(300));
  }

  @Test
  void aBuildPollThatIsSoonerWins() {
    RegistryBackoff backoff = new RegistryBackoff();
    Duration poll = Duration.ofSeconds(15);

    assertThat(backoff.next(ID, true, poll)).isEqualTo(Duration.ofSeconds(5));
    assertThat(backoff.next(ID, true, poll)).isEqualTo(Duration.ofSeconds(10));
    assertThat(backoff.next(ID, true, poll)).isEqualTo(poll);
  }

  @Test
  void anAnswerStartsTheBackoffAfresh() {
    RegistryBackoff backoff = new RegistryBackoff();
    backoff.next(ID, true, null);
    backoff.next(ID, true, null);

    assertThat(backoff.next(ID, false, null)).isNull();
    assertThat(backoff.next(ID, true, null)).isEqualTo(Duration.ofSeconds(5));

    backoff.next(ID, true, null);
    backoff.forget(ID);
    assertThat(backoff.next(ID, true, null)).isEqualTo(Duration.ofSeconds(5));
  }
}
