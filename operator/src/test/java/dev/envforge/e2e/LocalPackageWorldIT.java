package dev.envforge.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.envforge.testing.RegistryServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local package world works end to end: a base image made from this machine's Debian Python, a package index
 * with the test wheels, a registry, and buildah building and pushing a hand-written Dockerfile that installs
 * hash-checked packages into a venv. Skipped, with the reason, where buildah or the Debian packages are missing.
 */
class LocalPackageWorldIT {
  private static final TestWheels WHEELS = TestWheels.create();

  private static Path work;
  private static RegistryServer registry;
  private static LocalPythonBaseImage base;
  private static String baseReference;
  private static BuildahBuilder builder;

  /** Why the tests are skipped, or null: checked once, reported with every skipped test. */
  private static String unavailable;

  @BeforeAll
  static void startWorld(@TempDir Path temp) throws IOException {
    unavailable = LocalPythonBaseImage.missingPrerequisites()
        .or(() -> RegistryServer.unavailableReason(RegistryServer.Options.plain()))
        .map(reason -> "end-to-end image builds skipped: " + reason).orElse(null);
    if (unavailable != null) {
      return;
    }
    work = temp;
    registry = RegistryServer.start();
    base = LocalPythonBaseImage.prepare();
    long pushStart = System.nanoTime();
    String baseDigest = base.pushTo(registry.hostPort());
    report("base image %s (python %s): %s in %.1f s, pushed in %.1f s as %s", base.tag(), base.pythonVersion(),
        base.reused() ? "reused from cache" : "built", seconds(base.preparation()),
        (System.nanoTime() - pushStart) / 1e9, baseDigest);
    baseReference = base.reference(registry.hostPort());
    Path storage = temp.resolve("buildah");
    builder = BuildahBuilder.create(storage, BuildahBuilder.StorageDriver.forDirectory(storage));
  }

  @BeforeEach
  void skipWhereImagesCannotBeBuilt() {
    assumeTrue(unavailable == null, () -> unavailable);
  }

  @AfterAll
  static void stopWorld() {
    if (builder != null) {
      report("buildah storage (%s) after the tests: %d MB", builder.driver().id(),
          builder.storageBytes() / (1024 * 1024));
      builder.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void imageHoldsExactlyTheLockedPackages() throws IOException {
    try (LocalPackageIndex index = LocalPackageIndex.start(WHEELS.servedFiles())) {
      Path context = context("plain", index.simpleUrl().toString(), WHEELS.alpha(), WHEELS.beta());
      String image = registry.reference("envforge-e2e/smoke", "plain");

      BuildahBuilder.BuildResult result = builder.buildAndPush(context, image);

      String digest = result.requireDigest();
      report("2-wheel build (%s): build %.1f s, push %.1f s", builder.driver().id(), seconds(result.buildTime()),
          seconds(result.pushTime()));
      assertThat(manifestDigest("envforge-e2e/smoke", "plain")).isEqualTo(digest);
      ExternalCommand.Result freeze = builder.run(image, "pip", "freeze", "--all", "--exclude", "pip",
          "--exclude", "setuptools");
      assertThat(freeze.exitCode()).as(freeze.output()).isZero();
      assertThat(freeze.stdout().lines().toList()).as(freeze.output()).containsExactly("alpha==1.0", "beta==2.0");
      ExternalCommand.Result imports = builder.run(image, "python", "-c",
          "import alpha, beta; print(alpha.__version__, beta.__version__)");
      assertThat(imports.stdout().trim()).as(imports.output()).isEqualTo("1.0 2.0");
      // only these two wheels were fetched (pip may fetch one twice when it retries on a busy machine)
      assertThat(index.downloadedFiles()).as("requests: %s", index.requests())
          .containsOnly(WHEELS.alpha().wheel().filename(), WHEELS.beta().wheel().filename());
      ExternalCommand.Result systemPip = builder.run(image, "/usr/bin/python3", "-m", "pip", "install", "beta");
      assertThat(systemPip.output()).as("PEP 668 keeps system-wide installs out").contains("externally-managed");
    }
  }

  @Test
  void wheelThatDiffersFromTheLockedHashFailsTheBuild() throws IOException {
    try (LocalPackageIndex index = LocalPackageIndex.start(WHEELS.servedFiles())) {
      Path context = context("tampered", index.simpleUrl().toString(), WHEELS.beta(), WHEELS.tampered());

      BuildahBuilder.BuildResult result = builder.buildAndPush(context,
          registry.reference("envforge-e2e/smoke", "tampered"));

      assertThat(result.succeeded()).isFalse();
      assertThat(result.failedStep()).contains("build");
      assertThat(result.output()).contains("THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE")
          .contains("tampered==1.0").contains(WHEELS.tampered().wheel().sha256())
          .contains(WHEELS.tamperedAsServed().wheel().sha256());
      assertThat(manifestDigest("envforge-e2e/smoke", "tampered")).isNull();
    }
  }

  @Test
  void indexCredentialsComeFromTheSecretMountAndReachNoLayer() throws IOException {
    LocalPackageIndex.Credentials credentials = new LocalPackageIndex.Credentials("builder", "s3cret-e2e-pass");
    try (LocalPackageIndex index = LocalPackageIndex.start(WHEELS.servedFiles(), Optional.of(credentials))) {
      Path context = context("private", index.simpleUrl().toString(), WHEELS.alpha(), WHEELS.beta());
      Path secrets = Files.createDirectories(work.resolve("secrets-private"));
      Files.writeString(secrets.resolve("netrc"),
          "machine 127.0.0.1 login " + credentials.user() + " password " + credentials.password() + "\n");
      String image = registry.reference("envforge-e2e/smoke", "private");

      BuildahBuilder.BuildResult result = builder.buildAndPush(
          BuildahBuilder.BuildRequest.of(context, image).withSecretDirectory(secrets));

      result.requireDigest();
      long scanStart = System.nanoTime();
      assertThat(index.downloadedFiles()).as("requests: %s", index.requests())
          .containsOnly(WHEELS.alpha().wheel().filename(), WHEELS.beta().wheel().filename());
      assertThat(index.requests()).anyMatch(r -> r.status() == 200 && r.authorization() != null);
      List<BuildahBuilder.LayerFile> leaks = builder.layerFilesContaining(image, credentials.password());
      assertThat(leaks).extracting(BuildahBuilder.LayerFile::path).isEmpty();
      assertThat(builder.imageConfig(image)).doesNotContain(credentials.password());
      // buildah leaves the empty mount point; nothing mounted there may be committed
      assertThat(builder.layerFiles(image)).filteredOn(f -> f.path().startsWith("run/secrets"))
          .allSatisfy(f -> assertThat(f.type()).isEqualTo(TarFormat.EntryType.DIRECTORY))
          .extracting(BuildahBuilder.LayerFile::path).doesNotContain(BuildahBuilder.SECRET_MOUNT.substring(1) + "/netrc");
      report("2-wheel build with secret mount (%s): build %.1f s, push %.1f s, layer scan %.1f s",
          builder.driver().id(), seconds(result.buildTime()), seconds(result.pushTime()),
          (System.nanoTime() - scanStart) / 1e9);
    }
  }

  @Test
  void buildWithoutCredentialsIsRefusedByAPrivateIndex() throws IOException {
    LocalPackageIndex.Credentials credentials = new LocalPackageIndex.Credentials("builder", "s3cret-e2e-pass");
    try (LocalPackageIndex index = LocalPackageIndex.start(WHEELS.servedFiles(), Optional.of(credentials))) {
      Path context = context("no-credentials", index.simpleUrl().toString(), WHEELS.beta());

      BuildahBuilder.BuildResult result = builder.buildAndPush(context,
          registry.reference("envforge-e2e/smoke", "no-credentials"));

      assertThat(result.succeeded()).isFalse();
      assertThat(index.requests()).isNotEmpty().allMatch(r -> r.status() == 401);
    }
  }

  private static Path context(String name, String indexUrl, TestWheels.TestPackage... packages) {
    return SmokeBuildContext.write(work.resolve("context-" + name), baseReference, indexUrl, List.of(packages));
  }

  private static double seconds(Duration duration) {
    return duration.toMillis() / 1000.0;
  }

  private static void report(String format, Object... args) {
    System.out.println("[e2e] " + String.format(format, args));
  }

  /** The digest the registry stores for the tag, or null when it has no such manifest. */
  private static String manifestDigest(String repository, String tag) {
    HttpResponse<byte[]> response = registry.request("HEAD", "/v2/" + repository + "/manifests/" + tag,
        Map.of("Accept", String.join(", ", "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.v2+json",
            "application/vnd.docker.distribution.manifest.list.v2+json")));
    return response.statusCode() == 200 ? response.headers().firstValue("Docker-Content-Digest").orElse(null) : null;
  }
}
