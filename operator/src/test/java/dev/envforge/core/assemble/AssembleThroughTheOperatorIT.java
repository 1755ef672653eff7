package dev.envforge.core.assemble;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.api.v1alpha1.PythonEnvironment;
import dev.envforge.api.v1alpha1.VariantPhase;
import dev.envforge.api.v1alpha1.VariantStatus;
import dev.envforge.e2e.AssembleJobExecutor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builder mode assemble end to end, short of a cluster: the operator creates the build Job, the Job's container
 * command ({@code envforge assemble} with its args, env and mounted files) runs as a process of the envforge jar
 * against a real registry, the Job is marked complete as the Job controller would, and the resource becomes Ready
 * with the image the registry serves. The counterpart of RealBuildIT for the assembler; the timed version is
 * {@code dev.envforge.bench.OperatorApplyBenchmark}.
 */
class AssembleThroughTheOperatorIT {
  @TempDir
  Path work;

  @Test
  void anAssembleBuildJobPushesTheImageAndTheResourceBecomesReady() throws Exception {
    Path jar = AssembleJobExecutor.defaultJar();
    String unavailable = OperatorAssembleWorld.unavailableReason(jar);
    Assumptions.assumeTrue(unavailable == null, unavailable);
    try (OperatorAssembleWorld world = OperatorAssembleWorld.start(work, jar)) {
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
      assertThat(Files.readString(runs.get(0).log())).as("what envforge assemble printed")
          .contains(v.getImage().substring(0, v.getImage().indexOf('@')));
    }
  }
}
