package dev.envforge.operator;

import dev.envforge.testing.RegistryServer;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Base of the operator tests that need a real registry: one plain registry on loopback per test class, and a fresh
 * mock API server with a started operator per test ({@link OperatorExtension}). Without a registry each test is
 * skipped with the reason.
 */
abstract class OperatorWithRegistry implements OperatorExtension.BeforeOperatorStarts {
  @RegisterExtension
  static final OperatorExtension OPERATOR = OperatorExtension.withRegistry();

  static RegistryServer registry;
  OperatorHarness k8s;

  /** Set up the harness before the operator starts, for example its clock. */
  @Override
  public void beforeOperatorStarts(OperatorHarness harness) {}
}
