package dev.envforge.core.assemble;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.envforge.e2e.BuildahBuilder;
import dev.envforge.e2e.ExternalCommand;
import dev.envforge.e2e.LocalPythonBaseImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An image assembled by {@code envforge assemble} on a real Debian Python base (the e2e base made from this
 * machine's packages, pushed to a local docker-registry) runs: buildah pulls it, {@code python} imports the packages
 * and the console scripts pip wrote run, as the image's user.
 */
class AssembledImageRunsIT {
  @TempDir
  Path work;

  @Test
  void importsAndConsoleScriptsRunInTheAssembledImage() throws Exception {
    String unavailable = AssembleFixture.unavailableReason();
    Assumptions.assumeTrue(unavailable == null, unavailable);
    Assumptions.assumeTrue(LocalPythonBaseImage.missingPrerequisites().isEmpty(),
        () -> LocalPythonBaseImage.missingPrerequisites().orElse(""));
    Assumptions.assumeTrue(BuildahBuilder.isInstalled(), "buildah is not installed");
    LocalPythonBaseImage base = LocalPythonBaseImage.prepare();
    try (AssembleFixture fixture = AssembleFixture.start(work)) {
      String registry = fixture.registry.hostPort();
      base.pushTo(registry);
      fixture.python = base.pythonVersion();
      List<String> wheels = new ArrayList<>(fixture.debianWheels());
      Assumptions.assumeFalse(wheels.isEmpty(), "python3-pip-whl and python3-setuptools-whl are not installed");
      wheels.add(fixture.serve(JavaWheels.small(Files.createDirectories(work.resolve("wheels")), "alpha", "1.0",
          "alpha-in-the-image")));

      JsonNode image = fixture.assemble(registry, fixture.project("real", wheels), "app/real", "cache/real",
          work.resolve("cache"), LocalPythonBaseImage.REPOSITORY + ":" + base.tag());

      String reference = registry + "/app/real@" + image.path("digest").asText();
      try (BuildahBuilder buildah = BuildahBuilder.create(work.resolve("storage"),
          BuildahBuilder.StorageDriver.forDirectory(work))) {
        buildah.pull(reference);
        // setuptools before pip: Debian's pip imports the standard library's distutils, after which setuptools'
        // distutils hack refuses to load, in a pip-installed venv as well
        ExternalCommand.Result imports = buildah.run(reference, "python", "-c",
            "import sys, setuptools, pip, alpha; print(sys.prefix, alpha.MARKER)");
        assertThat(imports.exitCode()).as(imports.output()).isZero();
        assertThat(imports.stdout()).contains("/opt/venv alpha-in-the-image");
        ExternalCommand.Result pip = buildah.run(reference, "pip", "--version");
        assertThat(pip.exitCode()).as(pip.output()).isZero();
        assertThat(pip.stdout()).contains("/opt/venv/lib/python" + base.tag() + "/site-packages/pip");
        // every console script of every installed distribution, as the image's metadata lists them, runs
        ExternalCommand.Result listed = buildah.run(reference, "python", "-c", "from importlib.metadata import"
            + " entry_points; print('\\n'.join(sorted(e.name for e in entry_points(group='console_scripts'))))");
        assertThat(listed.exitCode()).as(listed.output()).isZero();
        List<String> scripts = listed.stdout().strip().lines().toList();
        assertThat(scripts).contains("pip", "pip3", "pip" + base.tag());
        for (String script : scripts) {
          ExternalCommand.Result ran = buildah.run(reference, "/opt/venv/bin/" + script, "--version");
          assertThat(ran.exitCode()).as(script + ": " + ran.output()).isZero();
        }
        // the entrypoint every envforge image has: without runtime requirements mounted it only execs the command
        ExternalCommand.Result launched = buildah.run(reference, "/usr/share/envforge/launcher", "python", "-c",
            "import alpha; print('launched', alpha.MARKER)");
        assertThat(launched.exitCode()).as(launched.output()).isZero();
        assertThat(launched.stdout()).contains("launched alpha-in-the-image");
        ExternalCommand.Result user = buildah.run(reference, "id", "-u");
        assertThat(user.stdout().trim()).isEqualTo("65532");
      }
    }
  }
}
