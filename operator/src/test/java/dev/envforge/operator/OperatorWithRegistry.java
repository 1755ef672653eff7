package dev.envforge.operator;

import dev.envforge.testing.RegistryServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the operator tests that need a real registry: one plain registry on loopback per test class, and a fresh
 * mock API server with a started operator per test. Without a registry each test is skipped with the reason.
 */
abstract class OperatorWithRegistry {
  static RegistryServer registry;
  /** Why no registry can run here, or null. */
  static String unavailable;
  OperatorHarness k8s;

  @BeforeAll
  static void startRegistry() {
    unavailable = RegistryServer.unavailableReason(RegistryServer.Options.plain()).orElse(null);
    if (unavailable == null) {
      registry = RegistryServer.start();
    }
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      registry.close();
      registry = null;
    }
  }

  @BeforeEach
  void startOperator() {
    Assumptions.assumeTrue(unavailable == null, unavailable);
    k8s = new OperatorHarness();
    beforeOperatorStarts(k8s);
    k8s.start();
  }

  /** Set up the harness before the operator starts, for example its clock. */
  void beforeOperatorStarts(OperatorHarness harness) {}

  @AfterEach
  void stopOperator() {
    if (k8s != null) {
      k8s.close();
    }
  }
}
