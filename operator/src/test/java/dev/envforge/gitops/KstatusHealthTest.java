package dev.envforge.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.envforge.api.v1alpha1.EnvforgeApi.Conditions;
import dev.envforge.gitops.OperatorStatuses.Case;
import dev.envforge.gitops.OperatorStatuses.Health;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Reads every status the operator writes with kstatus's rules ({@link Kstatus}): InProgress while checking,
 * building or retrying, Failed when stalled, Current only when every image exists.
 */
class KstatusHealthTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyWrittenStatusReadsAsItsMeaning() throws Exception {
    List<Case> cases = OperatorStatuses.all();
    assertThat(cases).hasSizeGreaterThan(1000);
    StringBuilder wrong = new StringBuilder();
    for (Case c : cases) {
      JsonNode object = JSON.readTree(Serialization.asJson(c.resource()));
      Kstatus.Result result = Kstatus.compute(object);
      if (!matches(c.expected(), result.status())) {
        wrong.append(c.name()).append(": expected ").append(c.expected()).append(", kstatus says ")
            .append(result).append('\n');
      }
    }
    assertThat(wrong.toString()).isEmpty();
  }

  @Test
  void readsEveryHealthAtLeastOnce() throws Exception {
    Map<Kstatus.Status, Long> seen = OperatorStatuses.all().stream()
        .collect(Collectors.groupingBy(c -> Kstatus.compute(tree(c)).status(), Collectors.counting()));
    assertThat(seen).containsKeys(Kstatus.Status.CURRENT, Kstatus.Status.IN_PROGRESS, Kstatus.Status.FAILED);
  }

  /** kstatus never has to fall back to Ready: exactly one of Reconciling and Stalled is True unless Ready is. */
  @Test
  void reconcilingAndStalledAreNeverBothTrueAndCoverEveryUnreadyStatus() throws Exception {
    for (Case c : OperatorStatuses.all()) {
      if (c.resource().getSpec().suspended()) {
        continue;
      }
      List<Condition> conditions = c.resource().getStatus().getConditions();
      boolean ready = is(conditions, Conditions.READY);
      boolean reconciling = is(conditions, Conditions.RECONCILING);
      boolean stalled = is(conditions, Conditions.STALLED);
      assertThat(conditions).extracting(Condition::getType).contains(Conditions.RECONCILING, Conditions.STALLED);
      assertThat(reconciling && stalled).as(c.name()).isFalse();
      assertThat(ready || reconciling || stalled).as(c.name()).isTrue();
      assertThat(ready && (reconciling || stalled)).as(c.name()).isFalse();
    }
  }

  @Test
  void aResourceBeingDeletedIsTerminating() throws Exception {
    Case any = OperatorStatuses.all().get(0);
    any.resource().getMetadata().setDeletionTimestamp("2026-01-02T03:04:05Z");
    assertThat(Kstatus.compute(tree(any)).status()).isEqualTo(Kstatus.Status.TERMINATING);
  }

  private static boolean is(List<Condition> conditions, String type) {
    return conditions.stream().anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static JsonNode tree(Case c) {
    try {
      return JSON.readTree(Serialization.asJson(c.resource()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean matches(Health expected, Kstatus.Status actual) {
    return switch (expected) {
      case CURRENT -> actual == Kstatus.Status.CURRENT;
      case IN_PROGRESS -> actual == Kstatus.Status.IN_PROGRESS;
      case FAILED -> actual == Kstatus.Status.FAILED;
    };
  }
}
