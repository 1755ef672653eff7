package dev.envforge.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.api.v1alpha1.EnvforgeApi.Conditions;
import dev.envforge.api.v1alpha1.PythonEnvironmentStatus;
import dev.envforge.api.v1alpha1.Reason;
import dev.envforge.api.v1alpha1.VariantPhase;
import dev.envforge.api.v1alpha1.VariantStatus;
import dev.envforge.operator.StatusAggregator.Problem;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The resource's status as a pure function of its variants' outcomes (phase, reason, image) and the spec and
 * registry problems, table-driven: every row states the seven conditions (status and reason), variantsReady and
 * image. A second table checks lastTransitionTime between every pair of rows: kept where a condition's status did
 * not change, the new time where it did.
 */
class StatusAggregatorTest {
  static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");
  static final Instant T1 = Instant.parse("2026-01-02T04:00:00Z");
  static final long GENERATION = 4;
  static final String REPO = "registry.example.com/team/env:ef-1";

  static final Problem TIMEOUT = new Problem(Reason.REGISTRY_TIMEOUT, "the registry did not answer in 10s");
  static final Problem REGISTRY_500 = new Problem(Reason.REGISTRY_ERROR, "the registry answered 500");
  static final Problem BAD_LOCK = new Problem(Reason.INVALID_LOCK, "uv.lock:3:1: expected a table");

  /** One variant outcome: phase, reason as on the wire, and whether its image exists. */
  record V(VariantPhase phase, String reason, boolean image) {}

  static V v(VariantPhase phase, Reason reason, boolean image) {
    return new V(phase, reason == null ? null : reason.wire(), image);
  }

  /** A condition's expected status and reason. */
  record C(String status, Reason reason) {}

  static C t(Reason r) {
    return new C("True", r);
  }

  static C f(Reason r) {
    return new C("False", r);
  }

  static C u(Reason r) {
    return new C("Unknown", r);
  }

  /**
   * One row: inputs, then Ready, Building, Failed, InvalidSpec, RegistryUnavailable, Reconciling, Stalled, and
   * variantsReady.
   */
  record Row(String name, List<V> variants, Problem spec, Problem registry, C ready, C building, C failed,
      C invalidSpec, C registryUnavailable, C reconciling, C stalled, String variantsReady) {
    Map<String, C> expected() {
      Map<String, C> m = new LinkedHashMap<>();
      m.put(Conditions.READY, ready);
      m.put(Conditions.BUILDING, building);
      m.put(Conditions.FAILED, failed);
      m.put(Conditions.INVALID_SPEC, invalidSpec);
      m.put(Conditions.REGISTRY_UNAVAILABLE, registryUnavailable);
      m.put(Conditions.RECONCILING, reconciling);
      m.put(Conditions.STALLED, stalled);
      return m;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static final C IDLE = f(Reason.IDLE);
  static final C NO_FAILURE = f(Reason.NO_FAILURE);
  static final C SPEC_VALID = f(Reason.SPEC_VALID);
  static final C REACHABLE = f(Reason.REGISTRY_REACHABLE);
  static final C PROGRESSING = f(Reason.PROGRESSING);
  static final C RECONCILED = f(Reason.RECONCILED);

  static final V CACHED = v(VariantPhase.Cached, Reason.CACHED, true);
  static final V BUILT = v(VariantPhase.Succeeded, Reason.BUILT, true);
  static final V PENDING = v(VariantPhase.Pending, null, false);
  static final V CHECKING = v(VariantPhase.Checking, Reason.CHECKING_REGISTRY, false);
  static final V CHECKING_KEEPS_IMAGE = v(VariantPhase.Checking, Reason.CHECKING_REGISTRY, true);
  static final V BUILD_PENDING = v(VariantPhase.Building, Reason.BUILD_PENDING, false);
  static final V BUILD_RUNNING = v(VariantPhase.Building, Reason.BUILD_RUNNING, false);
  static final V REBUILD_RUNNING = v(VariantPhase.Building, Reason.BUILD_RUNNING, true);
  static final V QUOTA = v(VariantPhase.Building, Reason.QUOTA_EXCEEDED, false);
  static final V OOM = v(VariantPhase.Failed, Reason.OOM_KILLED, false);
  static final V PUSH_DENIED = v(VariantPhase.Failed, Reason.PUSH_DENIED, false);
  static final V NEWER_FAILURE = new V(VariantPhase.Failed, "SomethingANewerVersionWrites", false);

  static List<Row> rows() {
    return List.of(
        new Row("no variants yet", List.of(), null, null, u(Reason.CHECKING_REGISTRY), IDLE, NO_FAILURE,
            SPEC_VALID, REACHABLE, t(Reason.CHECKING_REGISTRY), PROGRESSING, "0/0"),
        new Row("one cached", List.of(CACHED), null, null, t(Reason.CACHED), IDLE, NO_FAILURE, SPEC_VALID,
            REACHABLE, RECONCILED, RECONCILED, "1/1"),
        new Row("one built", List.of(BUILT), null, null, t(Reason.BUILT), IDLE, NO_FAILURE, SPEC_VALID, REACHABLE,
            RECONCILED, RECONCILED, "1/1"),
        new Row("cached and built", List.of(CACHED, BUILT), null, null, t(Reason.BUILT), IDLE, NO_FAILURE,
            SPEC_VALID, REACHABLE, RECONCILED, RECONCILED, "2/2"),
        new Row("rebuild of an existing image", List.of(REBUILD_RUNNING), null, null, t(Reason.BUILT),
            t(Reason.BUILD_RUNNING), NO_FAILURE, SPEC_VALID, REACHABLE, RECONCILED, RECONCILED, "1/1"),
        new Row("pending variant", List.of(PENDING), null, null, u(Reason.CHECKING_REGISTRY), IDLE, NO_FAILURE,
            SPEC_VALID, REACHABLE, t(Reason.CHECKING_REGISTRY), PROGRESSING, "0/1"),
        new Row("checking", List.of(CACHED, CHECKING), null, null, u(Reason.CHECKING_REGISTRY), IDLE, NO_FAILURE,
            SPEC_VALID, REACHABLE, t(Reason.CHECKING_REGISTRY), PROGRESSING, "1/2"),
        new Row("build pending", List.of(BUILD_PENDING), null, null, f(Reason.BUILD_PENDING),
            t(Reason.BUILD_PENDING), NO_FAILURE, SPEC_VALID, REACHABLE, t(Reason.BUILD_PENDING), PROGRESSING,
            "0/1"),
        new Row("build running beside a cached one", List.of(CACHED, BUILD_RUNNING), null, null,
            f(Reason.BUILD_RUNNING), t(Reason.BUILD_RUNNING), NO_FAILURE, SPEC_VALID, REACHABLE,
            t(Reason.BUILD_RUNNING), PROGRESSING, "1/2"),
        new Row("build cannot start", List.of(QUOTA), null, null, f(Reason.QUOTA_EXCEEDED),
            t(Reason.QUOTA_EXCEEDED), NO_FAILURE, SPEC_VALID, REACHABLE, t(Reason.QUOTA_EXCEEDED), PROGRESSING,
            "0/1"),
        new Row("failed", List.of(OOM), null, null, f(Reason.OOM_KILLED), IDLE, t(Reason.OOM_KILLED), SPEC_VALID,
            REACHABLE, f(Reason.OOM_KILLED), t(Reason.OOM_KILLED), "0/1"),
        new Row("first failure names the reason", List.of(CACHED, PUSH_DENIED, OOM), null, null,
            f(Reason.PUSH_DENIED), IDLE, t(Reason.PUSH_DENIED), SPEC_VALID, REACHABLE, f(Reason.PUSH_DENIED),
            t(Reason.PUSH_DENIED), "1/3"),
        new Row("failed while another builds", List.of(OOM, BUILD_RUNNING), null, null, f(Reason.OOM_KILLED),
            t(Reason.BUILD_RUNNING), t(Reason.OOM_KILLED), SPEC_VALID, REACHABLE, t(Reason.OOM_KILLED),
            PROGRESSING, "0/2"),
        new Row("a newer version's failure reason", List.of(NEWER_FAILURE), null, null, f(Reason.BUILD_FAILED),
            IDLE, t(Reason.BUILD_FAILED), SPEC_VALID, REACHABLE, f(Reason.BUILD_FAILED), t(Reason.BUILD_FAILED),
            "0/1"),
        new Row("registry timeout", List.of(CHECKING), null, TIMEOUT, u(Reason.REGISTRY_TIMEOUT), IDLE,
            NO_FAILURE, SPEC_VALID, t(Reason.REGISTRY_TIMEOUT), t(Reason.REGISTRY_TIMEOUT), PROGRESSING, "0/1"),
        new Row("registry error keeps a known image", List.of(CHECKING_KEEPS_IMAGE), null, REGISTRY_500,
            u(Reason.REGISTRY_ERROR), IDLE, NO_FAILURE, SPEC_VALID, t(Reason.REGISTRY_ERROR),
            t(Reason.REGISTRY_ERROR), PROGRESSING, "0/1"),
        new Row("registry error for one of two", List.of(CACHED, CHECKING), null, REGISTRY_500,
            u(Reason.REGISTRY_ERROR), IDLE, NO_FAILURE, SPEC_VALID, t(Reason.REGISTRY_ERROR),
            t(Reason.REGISTRY_ERROR), PROGRESSING, "1/2"),
        new Row("failure comes before the registry", List.of(OOM, CHECKING), null, TIMEOUT, f(Reason.OOM_KILLED),
            IDLE, t(Reason.OOM_KILLED), SPEC_VALID, t(Reason.REGISTRY_TIMEOUT), t(Reason.OOM_KILLED), PROGRESSING,
            "0/2"),
        new Row("invalid lock", List.of(), BAD_LOCK, null, f(Reason.INVALID_LOCK), IDLE, NO_FAILURE,
            t(Reason.INVALID_LOCK), REACHABLE, f(Reason.INVALID_LOCK), t(Reason.INVALID_LOCK), "0/0"),
        new Row("invalid spec over cached images", List.of(CACHED), BAD_LOCK, null, f(Reason.INVALID_LOCK), IDLE,
            NO_FAILURE, t(Reason.INVALID_LOCK), REACHABLE, f(Reason.INVALID_LOCK), t(Reason.INVALID_LOCK), "1/1"),
        new Row("invalid spec comes before a failure and the registry", List.of(OOM), BAD_LOCK, TIMEOUT,
            f(Reason.INVALID_LOCK), IDLE, t(Reason.OOM_KILLED), t(Reason.INVALID_LOCK), t(Reason.REGISTRY_TIMEOUT),
            f(Reason.INVALID_LOCK), t(Reason.INVALID_LOCK), "0/1"));
  }

  static PythonEnvironmentStatus aggregate(Row row, PythonEnvironmentStatus previous, Instant at) {
    return StatusAggregator.aggregate(GENERATION, previous, variants(row.variants()), row.spec(), row.registry(),
        Clock.fixed(at, ZoneOffset.UTC));
  }

  static List<VariantStatus> variants(List<V> outcomes) {
    List<VariantStatus> variants = new ArrayList<>();
    for (int i = 0; i < outcomes.size(); i++) {
      V o = outcomes.get(i);
      VariantStatus v = new VariantStatus("v" + i);
      v.setPhase(o.phase());
      v.setReason(o.reason());
      v.setMessage(o.phase() + " " + o.reason());
      v.setImage(o.image() ? REPO + "@sha256:" + i : null);
      variants.add(v);
    }
    return variants;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void conditionsReasonsAndCountsFollowFromTheVariants(Row row) {
    PythonEnvironmentStatus status = aggregate(row, null, T0);

    Map<String, C> actual = new LinkedHashMap<>();
    for (Condition c : status.getConditions()) {
      assertThat(actual.put(c.getType(), new C(c.getStatus(), Reason.fromWire(c.getReason()).orElse(null))))
          .as("one condition of type %s", c.getType()).isNull();
      assertThat(c.getObservedGeneration()).isEqualTo(GENERATION);
      assertThat(c.getLastTransitionTime()).isEqualTo(T0.toString());
      assertThat(c.getMessage()).isNotBlank();
    }
    assertThat(actual).containsExactlyInAnyOrderEntriesOf(row.expected());
    assertThat(status.getVariantsReady()).isEqualTo(row.variantsReady());
    assertThat(status.getObservedGeneration()).isEqualTo(GENERATION);
    assertThat(status.getImage()).isEqualTo(row.variants().isEmpty() ? null
        : row.variants().get(0).image() ? REPO + "@sha256:0" : null);
    // kstatus reads exactly one of Ready, Reconciling and Stalled as True
    assertThat(Stream.of(row.ready(), row.reconciling(), row.stalled()).filter(c -> c.status().equals("True")))
        .as("one of Ready, Reconciling, Stalled True").hasSizeLessThanOrEqualTo(1);
    assertThat(Stream.of(row.ready(), row.reconciling(), row.stalled())
        .anyMatch(c -> c.status().equals("True")) || row.ready().status().equals("Unknown")).isTrue();
  }

  static Stream<Arguments> pairs() {
    List<Row> rows = rows();
    return rows.stream().flatMap(a -> rows.stream().map(b -> Arguments.of(a, b)));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("pairs")
  void lastTransitionTimeChangesOnlyWithTheConditionsStatus(Row before, Row after) {
    PythonEnvironmentStatus previous = aggregate(before, null, T0);
    PythonEnvironmentStatus next = aggregate(after, previous, T1);

    for (Condition c : next.getConditions()) {
      String was = previous.condition(c.getType()).map(Condition::getStatus).orElseThrow();
      assertThat(c.getLastTransitionTime()).as("%s %s -> %s", c.getType(), was, c.getStatus())
          .isEqualTo(was.equals(c.getStatus()) ? T0.toString() : T1.toString());
    }
    if (before == after) {
      // an unchanged world gives an identical status, so nothing is written
      assertThat(next).isEqualTo(previous);
    }
  }
}
