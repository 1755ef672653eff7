package dev.envforge.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reasons are an enum in the code and the same CamelCase strings on the wire as before. */
class ReasonTest {
  /** The wire strings clients and alerts already match on; a change here breaks them. */
  static final List<String> WIRE = List.of("Built", "Cached", "CheckingRegistry", "BuildPending", "BuildRunning",
      "QuotaExceeded", "ServiceAccountNotFound", "Unschedulable", "BuildCannotStart", "PodSecurityRejected",
      "BuildFailed", "OOMKilled", "DeadlineExceeded", "BuilderImagePullFailed", "PushDenied", "InstallFailed",
      "NotAssemblable", "InvalidSpec", "PythonExcluded", "InvalidLock", "UnsupportedLockFormat", "SecretNotFound", "ConfigMapNotFound", "KeyNotFound",
      "RegistryReachable", "RegistryUnauthorized", "RegistryError", "RegistryTimeout", "PolicyViolated",
      "PolicyCompliant", "RolledBack", "SpecValid", "NoFailure", "Idle", "ReconcileError", "Suspended",
      "Reconciled", "Progressing");

  @Test
  void wireStringsAreUnchangedAndCamelCase() {
    assertThat(Arrays.stream(Reason.values()).map(Reason::wire)).containsExactlyElementsOf(WIRE);
    assertThat(WIRE).allMatch(w -> w.matches("[A-Z][A-Za-z0-9]*"));
    for (Reason reason : Reason.values()) {
      assertThat(Reason.fromWire(reason.wire())).contains(reason);
      assertThat(reason).hasToString(reason.wire());
    }
    assertThat(Reason.fromWire("SomethingNewer")).isEmpty();
    assertThat(Reason.fromWire(null)).isEmpty();
  }

  @Test
  void aVariantReasonIsWrittenAsItsWireStringAndAnUnknownOneIsReadAsWritten() throws Exception {
    VariantStatus v = new VariantStatus("default");
    v.setReason(Reason.OOM_KILLED);
    String json = ApiSerialization.mapper().writeValueAsString(v);
    assertThat(json).contains("\"reason\":\"OOMKilled\"");
    assertThat(ApiSerialization.mapper().readValue(json, VariantStatus.class).getReason()).isEqualTo("OOMKilled");

    // a newer envforge's reason is kept as written, not refused
    VariantStatus newer = ApiSerialization.mapper().readValue("{\"name\":\"default\",\"reason\":\"SomethingNewer\"}",
        VariantStatus.class);
    assertThat(newer.getReason()).isEqualTo("SomethingNewer");
  }
}
