package dev.envforge.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.api.v1alpha1.EnvforgeApi.Conditions;
import dev.envforge.api.v1alpha1.Reason;
import dev.envforge.api.v1alpha1.PythonEnvironment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** spec.suspend: no registry check and no build while true, shown in status; resuming continues as usual. */
class SuspendTest extends OperatorWithRegistry {
  static final String NS = "team-s";
  static final String NAME = "env";
  static final String LOCK = BuildFailureTest.LOCK;

  @Test
  void aSuspendedResourceNeitherChecksNorBuildsUntilResumed() {
    PythonEnvironment pe = OperatorHarness.environment(NS, NAME, null, LOCK, registry.hostPort() + "/suspend/env");
    pe.getSpec().setSuspend(true);
    k8s.apply(pe);

    PythonEnvironment suspended = k8s.awaitCondition(NS, NAME, Conditions.READY, "False", Reason.SUSPENDED.wire());
    assertThat(suspended.getStatus().condition(Conditions.RECONCILING)).get()
        .satisfies(c -> assertThat(c.getStatus() + " " + c.getReason()).isEqualTo("False " + Reason.SUSPENDED.wire()));
    assertThat(suspended.getStatus().condition(Conditions.STALLED)).get()
        .satisfies(c -> assertThat(c.getStatus() + " " + c.getReason()).isEqualTo("False " + Reason.SUSPENDED.wire()));
    assertThat(suspended.getStatus().getObservedGeneration()).isEqualTo(1L);
    k8s.reconcileWithoutChange(NS, NAME);
    assertThat(k8s.jobs()).isEmpty();
    assertThat(k8s.get(NS, NAME).getStatus().getVariants()).isEmpty();

    k8s.edit(NS, NAME, p -> {
      p.getSpec().setSuspend(false);
      return p;
    });
    k8s.awaitJob();
    k8s.awaitCondition(NS, NAME, Conditions.RECONCILING, "True", Reason.BUILD_PENDING.wire());
  }

  @Test
  void suspendingAReadyResourceKeepsItReady() {
    registry.pushRandomImage("suspend/ready", OperatorHarness.tagOf(Map.of("requirements.txt", LOCK), List.of()));
    k8s.apply(OperatorHarness.environment(NS, NAME, null, LOCK, registry.hostPort() + "/suspend/ready"));
    PythonEnvironment ready = k8s.awaitCondition(NS, NAME, Conditions.READY, "True", Reason.CACHED.wire());

    k8s.edit(NS, NAME, p -> {
      p.getSpec().setSuspend(true);
      return p;
    });
    PythonEnvironment suspended = k8s.awaitCondition(NS, NAME, Conditions.RECONCILING, "False", Reason.SUSPENDED.wire());
    assertThat(suspended.getStatus().condition(Conditions.READY).get().getStatus()).isEqualTo("True");
    assertThat(suspended.getStatus().getImage()).isEqualTo(ready.getStatus().getImage());
    assertThat(suspended.getStatus().getObservedGeneration()).isEqualTo(2L);
  }
}
