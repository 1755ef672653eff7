package dev.envforge.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.envforge.core.recipe.BuildContext;
import dev.envforge.core.recipe.BuildContextRenderer;
import dev.envforge.core.recipe.RuntimeRequirements;
import dev.envforge.core.plan.Artifact;
import dev.envforge.core.plan.PackageSource;
import dev.envforge.core.plan.PlannedPackage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's launcher script run by the host's /bin/sh, with its paths moved into a test folder through its
 * environment variables: it replaces itself with the command (same process, so signals reach the command), passes
 * the command's words unchanged, and with requirements present installs them from a local index with the base
 * interpreter's pip and puts them on PYTHONPATH. {@link RealBuildIT} runs it inside a built image.
 */
class LauncherScriptIT {
  static final Path BASE_PYTHON = Path.of("/usr/bin/python3");
  static final TestWheels WHEELS = TestWheels.create();
  static String launcher;

  @BeforeAll
  static void readLauncher() throws IOException {
    try (InputStream in = BuildContextRenderer.class.getResourceAsStream(BuildContext.LAUNCHER)) {
      launcher = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static ProcessBuilder launch(Path dir, Map<String, String> env, String... command) throws IOException {
    Path script = Files.writeString(dir.resolve("launcher"), launcher);
    List<String> argv = new ArrayList<>(List.of("/bin/sh", script.toString()));
    argv.addAll(List.of(command));
    ProcessBuilder pb = new ProcessBuilder(argv);
    pb.environment().put("ENVFORGE_RUNTIME_REQUIREMENTS", dir.resolve("mount/requirements.txt").toString());
    pb.environment().put("ENVFORGE_RUNTIME_DIR", dir.resolve("empty-dir").toString());
    pb.environment().remove("PYTHONPATH");
    pb.environment().putAll(env);
    return pb;
  }

  static String run(ProcessBuilder pb, int expectedExit) throws Exception {
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isEqualTo(expectedExit);
    return out;
  }

  @Test
  void withoutRequirementsItBecomesTheCommandAndPassesItsWordsUnchanged(@TempDir Path dir) throws Exception {
    Process p = launch(dir, Map.of(), "/bin/sh", "-c", "echo $$; exit 7").start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("the command's exit code").isEqualTo(7);
    assertThat(Long.parseLong(out)).as("exec: the command is the launched process itself").isEqualTo(p.pid());

    String words = run(launch(dir, Map.of(), "/usr/bin/printf", "[%s]\\n", "a b", "$(id)", "*", "'\"", ""), 0);
    assertThat(words).isEqualTo("[a b]\n[$(id)]\n[*]\n['\"]\n[]\n");
    assertThat(dir.resolve("empty-dir")).as("nothing written").doesNotExist();
  }

  @Test
  void aSignalReachesTheCommand(@TempDir Path dir) throws Exception {
    Process p = launch(dir, Map.of(), "/bin/sh", "-c", "trap 'echo got TERM; exit 3' TERM; echo ready;"
        + " while :; do sleep 0.05; done").start();
    var reader = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    assertThat(reader.readLine()).isEqualTo("ready");
    // SIGTERM to the launched process, as the kubelet sends it to the container's first process
    assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor()).isZero();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(reader.readLine()).isEqualTo("got TERM");
    assertThat(p.exitValue()).isEqualTo(3);
  }

  @Test
  void withRequirementsItInstallsThemWithTheBasePipAndPutsThemOnThePath(@TempDir Path dir) throws Exception {
    assumeTrue(Files.isExecutable(BASE_PYTHON), "no " + BASE_PYTHON);
    Process pip = new ProcessBuilder(BASE_PYTHON.toString(), "-m", "pip", "--version").start();
    assumeTrue(pip.waitFor() == 0, "no pip for " + BASE_PYTHON + " (python3-pip)");
    Path venv = dir.resolve("venv");
    run(new ProcessBuilder(BASE_PYTHON.toString(), "-m", "venv", "--without-pip", venv.toString()), 0);
    try (LocalPackageIndex index = LocalPackageIndex.start(WHEELS.servedFiles())) {
      TestWheels.Distribution wheel = WHEELS.epsilon().wheel();
      String requirements = RuntimeRequirements.render(List.of(PlannedPackage.python("epsilon", "3.0",
          PackageSource.registry(index.simpleUrl().toString()), List.of(new Artifact(wheel.filename(), null,
              "sha256:" + wheel.sha256())))), List.of());
      Files.createDirectories(dir.resolve("mount"));
      Files.writeString(dir.resolve("mount/requirements.txt"), requirements);
      Files.createDirectories(dir.resolve("empty-dir"));
      Map<String, String> env = Map.of("ENVFORGE_VENV", venv.toString());
      String probe = "import epsilon, sys; print(epsilon.__version__, epsilon.__file__)";

      String out = run(launch(dir, env, venv.resolve("bin/python3").toString(), "-c", probe), 0);

      assertThat(out).endsWith("3.0 " + dir.resolve("empty-dir/site-packages/epsilon/__init__.py") + "\n");
      assertThat(index.downloadedFiles()).contains(wheel.filename());
      assertThat(dir.resolve("empty-dir/tmp")).as("its scratch space is cleaned up").doesNotExist();

      int requests = index.requestCount();
      run(launch(dir, env, venv.resolve("bin/python3").toString(), "-c", probe), 0);
      assertThat(index.requestCount()).as("a restart installs nothing again").isEqualTo(requests);

      // a wheel whose hash is not the locked one is refused, and the command does not run
      Files.writeString(dir.resolve("mount/requirements.txt"), requirements.replace(wheel.sha256(), "0".repeat(64)));
      String refused = run(launch(dir, env, "/bin/echo", "ran"), 70);
      assertThat(refused).contains("THESE PACKAGES DO NOT MATCH THE HASHES").contains("envforge launcher:")
          .doesNotContain("ran\n");
    }
  }

  @Test
  void withoutAWritableDirectoryItSaysWhatToMount(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("mount"));
    Files.writeString(dir.resolve("mount/requirements.txt"), "epsilon==3.0 --hash=sha256:" + "0".repeat(64) + "\n");
    // a read-only root filesystem without the emptyDir: the directory cannot be made (here, not even by root)
    Path notAFolder = Files.writeString(dir.resolve("not-a-folder"), "");

    String out = run(launch(dir, Map.of("ENVFORGE_RUNTIME_DIR", notAFolder.resolve("runtime").toString()),
        "/bin/echo", "ran"), 70);

    assertThat(out).contains("envforge launcher: cannot write to " + notAFolder.resolve("runtime")
        + ": mount an emptyDir there").doesNotContain("ran\n");
  }
}
