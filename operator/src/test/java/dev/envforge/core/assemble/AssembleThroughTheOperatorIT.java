package dev.envforge.core.assemble;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.api.v1alpha1.PythonEnvironment;
import dev.envforge.api.v1alpha1.VariantPhase;
import dev.envforge.api.v1alpha1.VariantStatus;
import dev.envforge.e2e.AssembleJobExecutor;
import dev.envforge.testing.RegistryServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builder mode assemble end to end, short of a cluster: the operator creates the build Job, the Job's container
 * command ({@code envforge assemble} with its args, env and mounted files) runs as a process of the envforge jar
 * against a real registry, the Job is marked complete as the Job controller would, and the resource becomes Ready
 * with the image the registry serves. The registry demands a login, which reaches the assembler only through the
 * push Secret mounted as its docker config. The counterpart of RealBuildIT for the assembler; the timed version is
 * {@code dev.envforge.bench.OperatorApplyBenchmark}.
 */
class AssembleThroughTheOperatorIT {
  @TempDir
  Path work;

  @Test
  void anAssembleBuildJobPushesTheImageWithThePushSecretAndTheResourceBecomesReady() throws Exception {
    Path jar = AssembleJobExecutor.defaultJar();
    String unavailable = OperatorAssembleWorld.unavailableReason(jar);
    Assumptions.assumeTrue(unavailable == null, unavailable);
    Optional<String> noLogin = RegistryServer.unavailableReason(RegistryServer.Options.plain()
        .withBasicAuth("u", "p"));
    Assumptions.assumeTrue(noLogin.isEmpty(), () -> noLogin.orElse(""));
    try (OperatorAssembleWorld world = OperatorAssembleWorld.startWithLogin(work, jar)) {
      String lock = world.lock("app", world.smallWheels("pkg", 3, "1.0"));
      world.apply(world.environment("team", "app", lock, "team/app", "team/cache"));

      PythonEnvironment ready = world.awaitReady("team", "app", Duration.ofMinutes(3));

      VariantStatus v = ready.getStatus().getVariants().get(0);
      assertThat(v.getBuilder()).isEqualTo("assemble");
      assertThat(v.getPhase()).isEqualTo(VariantPhase.Succeeded);
      String digest = v.getImage().substring(v.getImage().indexOf('@') + 1);
      assertThat(world.manifestDigest("team/app", v.getTag())).as("the registry serves the status's image")
          .isEqualTo(digest);
      assertThat(world.executor().problems()).isEmpty();
      List<AssembleJobExecutor.Execution> runs = world.executor().executions();
      assertThat(runs).as("one build Pod, which exited 0").singleElement()
          .satisfies(run -> assertThat(run.exitCode()).as(Files.readString(run.log())).isZero());
      String log = Files.readString(runs.get(0).log());
      assertThat(log).as("what envforge assemble printed")
          .contains(v.getImage().substring(0, v.getImage().indexOf('@')));

      // the login reached the assembler only as the mounted Secret: not in its log, nor in any other object
      String password = world.registry().password();
      String basic = Base64.getEncoder().encodeToString((OperatorAssembleWorld.PUSH_USER + ":" + password)
          .getBytes(StandardCharsets.UTF_8));
      assertThat(log).doesNotContain(password, basic);
      List<String> holders = world.storedObjects().stream().filter(json -> json.contains(password)
          || json.contains(basic) || json.contains(Base64.getEncoder().encodeToString(
              world.registry().dockerConfigJson().getBytes(StandardCharsets.UTF_8)))).toList();
      assertThat(holders).as("objects holding the registry login").singleElement()
          .satisfies(json -> assertThat(json).contains("\"kind\":\"Secret\"",
              "\"name\":\"" + OperatorAssembleWorld.PUSH_SECRET + "\""));
    }
  }
}
