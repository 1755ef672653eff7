package dev.envforge.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test wheels and the index are what pip expects, checked with this machine's Debian pip in a venv (no image
 * build): resolution with markers and extras, hash checking, and basic auth. Skipped where Debian's python3 with
 * venv is missing.
 */
class LocalPackageIndexIT {
  /** Debian's interpreter, not whichever python3 comes first on PATH (often a pyenv build). */
  private static final Path DEBIAN_PYTHON = Path.of("/usr/bin/python3");
  private static final Duration PIP_TIMEOUT = Duration.ofMinutes(3);
  private static final TestWheels WHEELS = TestWheels.create();

  @TempDir
  static Path temp;

  private static Path venvTemplate;
  /** Why the tests are skipped, or null: checked once, reported with every skipped test. */
  private static String unavailable;

  @BeforeAll
  static void makeVenvTemplate() {
    if (!Files.isExecutable(DEBIAN_PYTHON)) {
      unavailable = "Debian python3 is missing (apt-get install -y python3 python3-venv python3-pip)";
      return;
    }
    venvTemplate = temp.resolve("template");
    ExternalCommand.Result venv = ExternalCommand.run(List.of(DEBIAN_PYTHON.toString(), "-m", "venv",
        venvTemplate.toString()), PIP_TIMEOUT);
    if (!venv.succeeded()) {
      unavailable = "cannot make a venv (apt-get install -y python3-venv python3-pip): " + venv.output();
    }
  }

  @BeforeEach
  void skipWithoutDebianPython() {
    assumeTrue(unavailable == null, () -> unavailable);
  }

  @Test
  void pipResolvesMarkersAndExtrasFromTheWheelMetadata() throws IOException {
    Path venv = freshVenv("resolve");
    try (LocalPackageIndex index = LocalPackageIndex.start(WHEELS.servedFiles())) {
      ExternalCommand.Result install = pip(venv, "install", "--index-url", index.simpleUrl().toString(),
          "alpha[fast]==1.0");

      assertThat(install.exitCode()).as(install.output()).isZero();
      assertThat(freeze(venv)).containsExactly("alpha==1.0", "beta==2.0", "gamma==0.5");
      assertThat(index.downloadedFiles()).noneMatch(f -> f.startsWith("delta"));
    }
  }

  @Test
  void everyPackageIsImportableWithItsVersion() throws IOException {
    Path venv = freshVenv("import");
    try (LocalPackageIndex index = LocalPackageIndex.start(WHEELS.servedFiles())) {
      Path requirements = temp.resolve("all.txt");
      StringBuilder lines = new StringBuilder();
      for (String name : List.of("alpha", "beta", "gamma", "delta", "epsilon")) {
        lines.append(WHEELS.get(name).hashedRequirement()).append('\n');
      }
      Files.writeString(requirements, lines);

      ExternalCommand.Result install = pip(venv, "install", "--no-deps", "--require-hashes", "--index-url",
          index.simpleUrl().toString(), "-r", requirements.toString());
      ExternalCommand.Result imported = ExternalCommand.run(List.of(venv.resolve("bin/python").toString(), "-c",
          "import alpha, beta, gamma, delta, epsilon; "
              + "print(alpha.__version__, beta.__version__, gamma.__version__, delta.__version__, epsilon.__version__)"),
          PIP_TIMEOUT);

      assertThat(install.exitCode()).as(install.output()).isZero();
      assertThat(imported.stdout().trim()).isEqualTo("1.0 2.0 0.5 1.0 3.0");
    }
  }

  @Test
  void pipRefusesTheTamperedPackage() throws IOException {
    Path venv = freshVenv("tampered");
    try (LocalPackageIndex index = LocalPackageIndex.start(WHEELS.servedFiles())) {
      Path requirements = temp.resolve("tampered.txt");
      Files.writeString(requirements, WHEELS.tampered().hashedRequirement() + "\n");

      ExternalCommand.Result install = pip(venv, "install", "--no-deps", "--require-hashes", "--index-url",
          index.simpleUrl().toString(), "-r", requirements.toString());

      assertThat(install.exitCode()).isNotZero();
      assertThat(install.output()).contains("THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE")
          .contains(WHEELS.tamperedAsServed().wheel().sha256());
      assertThat(freeze(venv)).isEmpty();
    }
  }

  @Test
  void pipSendsCredentialsFromTheIndexUrl() throws IOException {
    Path venv = freshVenv("auth");
    LocalPackageIndex.Credentials credentials = new LocalPackageIndex.Credentials("reader", "pa55-word");
    try (LocalPackageIndex index = LocalPackageIndex.start(WHEELS.servedFiles(), Optional.of(credentials))) {
      ExternalCommand.Result anonymous = pip(venv, "install", "--no-deps", "--index-url",
          index.simpleUrl().toString(), "beta==2.0");
      ExternalCommand.Result authorized = pip(venv, "install", "--no-deps", "--index-url",
          index.simpleUrlWithCredentials().toString(), "beta==2.0");

      assertThat(anonymous.exitCode()).isNotZero();
      assertThat(authorized.exitCode()).as(authorized.output()).isZero();
      assertThat(index.downloadedFiles()).containsExactly(WHEELS.beta().wheel().filename());
      assertThat(freeze(venv)).containsExactly("beta==2.0");
    }
  }

  /** A copy of the template venv: cheaper than ensurepip for every test. */
  private static Path freshVenv(String name) throws IOException {
    Path venv = temp.resolve(name);
    ExternalCommand.run(List.of("cp", "-a", venvTemplate.toString(), venv.toString()), PIP_TIMEOUT).orThrow();
    return venv;
  }

  /** Runs pip without this machine's pip configuration (files and PIP_* variables may add other indexes). */
  private static ExternalCommand.Result pip(Path venv, String... args) {
    List<String> command = ExternalCommand.command(venv.resolve("bin/python"), "-m", "pip",
        "--disable-pip-version-check", "--no-input", "--no-cache-dir", List.of(args));
    Map<String, String> environment = new HashMap<>();
    System.getenv().keySet().stream().filter(k -> k.startsWith("PIP_") || k.equals("NETRC"))
        .forEach(k -> environment.put(k, null));
    environment.put("PIP_CONFIG_FILE", "/dev/null");
    return ExternalCommand.run(command, environment, PIP_TIMEOUT);
  }

  private static List<String> freeze(Path venv) {
    return pip(venv, "freeze", "--all", "--exclude", "pip", "--exclude", "setuptools").orThrow().stdout().lines()
        .toList();
  }
}
