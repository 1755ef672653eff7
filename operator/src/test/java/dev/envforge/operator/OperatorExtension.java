package dev.envforge.operator;

import dev.envforge.testing.RegistryServer;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The one set-up of the operator tests: a fresh mock API server with a started operator per test (field of type
 * {@link OperatorHarness}), and when asked a real registry on loopback per test class (field of type
 * {@link RegistryServer}), both injected into the test's fields and stopped afterwards. Failed reconciles are retried
 * after 100 ms, growing to 1 s, so tests do not wait out production delays. Without a registry on this machine, the
 * tests that need one are skipped with the reason.
 *
 * <pre>
 * &#64;RegisterExtension
 * static final OperatorExtension OPERATOR = OperatorExtension.withRegistry();
 * OperatorHarness k8s;
 * </pre>
 */
final class OperatorExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
    AfterEachCallback {
  static final ReconcileRetry FAST_RETRY = new ReconcileRetry(Duration.ofMillis(100), 2, Duration.ofSeconds(1));

  private final boolean withRegistry;
  private UnaryOperator<OperatorSettings> settings = s -> s.withRetry(FAST_RETRY);
  private ImageRegistry imageRegistry;
  private boolean startOperator = true;
  private RegistryServer registry;
  private String unavailable;
  private OperatorHarness harness;

  private OperatorExtension(boolean withRegistry) {
    this.withRegistry = withRegistry;
  }

  /** An operator that asks a real registry, started for the test class. */
  static OperatorExtension withRegistry() {
    return new OperatorExtension(true);
  }

  /** An operator whose registry answers are the given ones (no registry process). */
  static OperatorExtension withImageRegistry(ImageRegistry answers) {
    OperatorExtension extension = new OperatorExtension(false);
    extension.imageRegistry = answers;
    return extension;
  }

  /** Only the mock API server and the clients: the test starts what it needs. */
  static OperatorExtension apiServerOnly() {
    OperatorExtension extension = new OperatorExtension(false);
    extension.startOperator = false;
    return extension;
  }

  /** Other operator settings than the defaults (the fast retry is kept unless the change replaces it). */
  OperatorExtension settings(UnaryOperator<OperatorSettings> change) {
    UnaryOperator<OperatorSettings> before = settings;
    settings = s -> change.apply(before.apply(s));
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (withRegistry) {
      unavailable = RegistryServer.unavailableReason(RegistryServer.Options.plain()).orElse(null);
      if (unavailable == null) {
        registry = RegistryServer.start();
      }
    }
  }

  /** A test that sets up the harness (its clock, say) before the operator starts. */
  interface BeforeOperatorStarts {
    void beforeOperatorStarts(OperatorHarness harness);
  }

  @Override
  public void beforeEach(ExtensionContext context) throws IllegalAccessException {
    Assumptions.assumeTrue(unavailable == null, unavailable);
    Object test = context.getRequiredTestInstance();
    harness = new OperatorHarness();
    if (test instanceof BeforeOperatorStarts hook) {
      hook.beforeOperatorStarts(harness);
    }
    if (startOperator) {
      harness.start(settings.apply(OperatorSettings.defaults()), imageRegistry);
    }
    for (Class<?> type = test.getClass(); type != Object.class; type = type.getSuperclass()) {
      for (Field field : type.getDeclaredFields()) {
        if (Modifier.isStatic(field.getModifiers()) && field.getType() != RegistryServer.class) {
          continue;
        }
        if (field.getType() == OperatorHarness.class) {
          field.setAccessible(true);
          field.set(test, harness);
        } else if (field.getType() == RegistryServer.class && registry != null) {
          field.setAccessible(true);
          field.set(Modifier.isStatic(field.getModifiers()) ? null : test, registry);
        }
      }
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (harness != null) {
      OperatorHarness closing = harness;
      harness = null;
      closing.close();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (registry != null) {
      registry.close();
      registry = null;
    }
  }
}
