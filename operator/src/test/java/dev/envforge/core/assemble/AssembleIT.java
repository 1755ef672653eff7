package dev.envforge.core.assemble;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.envforge.core.registry.RegistrySession;
import dev.envforge.testing.RegistryProxy;
import dev.envforge.testing.RegistryProxy.RecordedRequest;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code envforge assemble} end to end against a real docker-registry, through a counting {@link RegistryProxy}, with
 * wheels (Debian's pip and setuptools, and test-built ones) served by a local index that stands for a mirror of the
 * lock's index ({@link AssembleFixture}): the same plan twice from empty caches gives the same digests; a one-package
 * change uploads one package layer, the environment layer, the config and the manifest; a second environment sharing
 * all but one package uploads under 10 % of the first one's bytes; 300 packages fit in 100 layers; an sdist-only
 * package and a base with too many layers end with exit 4.
 */
class AssembleIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path work;
  static AssembleFixture fixture;
  static Path wheels;
  static String unavailable;

  @BeforeAll
  static void start() throws Exception {
    unavailable = AssembleFixture.unavailableReason();
    if (unavailable == null) {
      fixture = AssembleFixture.start(work);
      wheels = Files.createDirectories(work.resolve("wheels"));
    }
  }

  @AfterAll
  static void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @BeforeEach
  void skipWithoutRegistry() {
    Assumptions.assumeTrue(unavailable == null, unavailable);
  }

  @Test
  void deterministicOnePackageChangeAndSharing() throws Exception {
    List<String> packages = new ArrayList<>(fixture.debianWheels());
    for (String name : List.of("alpha", "beta", "gamma")) {
      packages.add(serve(JavaWheels.small(wheels, name, "1.0", name + "-marker")));
    }
    Path first = project("first", packages);
    try (RegistryProxy proxy = RegistryProxy.inFrontOf(fixture.registry)) {
      // Twice from empty caches (no cache repository tags, no wheel or facts folder): the same image.
      JsonNode one = assemble(proxy, first, "app/one", "cache/one", work.resolve("cache-1"));
      long firstBytes = proxy.bytesReceived();
      JsonNode two = assemble(proxy, first, "app/two", "cache/two", work.resolve("cache-2"));
      assertThat(two.path("digest").asText()).isEqualTo(one.path("digest").asText());
      assertThat(one.path("builtLayers").asInt()).isEqualTo(packages.size());
      assertThat(two.path("builtLayers").asInt()).isEqualTo(packages.size());
      assertThat(layerDigests("app/two", two)).isEqualTo(layerDigests("app/one", one));
      assertThat(one.path("image").asText()).startsWith(proxy.hostPort() + "/app/one:ef-")
          .endsWith("@" + one.path("digest").asText());

      // One package changed: one package layer, the environment layer (packages.txt), the config, the manifest.
      List<String> changed = new ArrayList<>(packages);
      changed.remove(changed.size() - 1);
      changed.add(serve(JavaWheels.small(wheels, "gamma", "1.1", "gamma-changed")));
      proxy.clearRequests();
      JsonNode three = assemble(proxy, project("changed", changed), "app/one", "cache/one", work.resolve("cache-1"));
      assertThat(three.path("builtLayers").asInt()).isEqualTo(1);
      assertThat(three.path("foundLayers").asInt()).isEqualTo(packages.size() - 1);
      List<RecordedRequest> blobUploads = proxy.requests().stream()
          .filter(r -> r.method().equals("PUT") && r.path().contains("/blobs/uploads/")).toList();
      List<RecordedRequest> manifestPuts = proxy.requests().stream()
          .filter(r -> r.method().equals("PUT") && r.path().contains("/manifests/")).toList();
      assertThat(blobUploads).hasSize(3).allSatisfy(r -> assertThat(r.path()).startsWith("/v2/app/one/"));
      // by digest: the new package layer, the environment layer and the config
      JsonNode threeManifest = JSON.readTree(fixture.session("app/one").manifest(three.path("digest").asText())
          .orElseThrow().content());
      List<String> newLayers = new ArrayList<>(layerDigests("app/one", three));
      newLayers.removeAll(layerDigests("app/one", one));
      List<String> threeLayers = layerDigests("app/one", three);
      assertThat(newLayers).hasSize(2).contains(threeLayers.get(threeLayers.size() - 1));
      assertThat(blobUploads).extracting(r -> "sha256:" + r.path().replaceFirst("(?i).*[?&]digest=sha256(%3A|:)", ""))
          .containsExactlyInAnyOrder(newLayers.get(0), newLayers.get(1),
              threeManifest.path("config").path("digest").asText());
      // the image's manifest, and the cache tag of the new layer in the cache repository
      assertThat(manifestPuts).extracting(r -> r.path().replaceAll("/manifests/.*", ""))
          .containsExactlyInAnyOrder("/v2/app/one", "/v2/cache/one");
      assertThat(proxy.count("PATCH")).isZero();

      // A second environment sharing all but one package, in another repository: under 10 % of the first's bytes.
      List<String> sharing = new ArrayList<>(packages);
      sharing.remove(sharing.size() - 2); // beta
      sharing.add(serve(JavaWheels.small(wheels, "delta", "1.0", "delta-marker")));
      proxy.clearRequests();
      JsonNode four = assemble(proxy, project("sharing", sharing), "app/other", "cache/one", work.resolve("cache-1"));
      assertThat(four.path("builtLayers").asInt()).isEqualTo(1);
      assertThat(proxy.bytesReceived()).isLessThan(firstBytes / 10);
    }
  }

  /**
   * A registry that refuses cross-repository mounts, with an upload session (202, as the distribution spec allows) or
   * with an error status: every blob the assembler would mount (base layers from the base's repository, new layers
   * into the cache repository, cached layers back into an image's repository) is uploaded instead, cold and warm, and
   * the image is the one assembled with mounts, complete and pullable.
   */
  @Test
  void aRegistryThatRefusesMountsGetsTheBlobsUploadedAndTheSameImage() throws Exception {
    Assumptions.assumeTrue(Processes.available("skopeo"), "skopeo is not installed (apt-get install -y skopeo)");
    Path dir = Files.createDirectories(work.resolve("refused"));
    List<String> packages = new ArrayList<>();
    for (String name : List.of("kilo", "lima")) {
      packages.add(serve(JavaWheels.small(dir, name, "1.0", name + "-marker")));
    }
    packages.add(serve(JavaWheels.large(dir, "mike", 1_100_000)));
    Path project = project("refused", packages);
    try (RegistryProxy proxy = RegistryProxy.inFrontOf(fixture.registry)) {
      JsonNode mounted = assemble(proxy, project, "app/mounting", "cache/mounting", work.resolve("cache-mounting"));
      assertThat(mounted.at("/blobs/mounted").asInt()).as("the registry mounts when the proxy lets it").isPositive();
      // an upload session, a refusal the client sees as an exception (401), one it sees as a status (404); every
      // status at the protocol level: RegistrySessionIT
      for (int refusal : new int[] {202, 401, 404}) {
        proxy.refuseMounts(refusal);
        String cache = "cache/refused-" + refusal;
        for (String run : List.of("cold", "warm")) {
          proxy.clearRequests();
          String repository = "app/refused-" + refusal + "-" + run;
          JsonNode image = assemble(proxy, project, repository, cache, work.resolve("cache-refused-" + refusal));
          String what = "HTTP " + refusal + " on mounts, " + run;
          assertThat(image.path("digest").asText()).as(what).isEqualTo(mounted.path("digest").asText());
          assertThat(image.path("builtLayers").asInt()).as(what).isEqualTo(run.equals("cold") ? 3 : 0);
          assertThat(image.at("/blobs/mounted").asInt()).as(what).isZero();
          List<RecordedRequest> mounts = proxy.requests().stream()
              .filter(r -> r.method().equals("POST") && r.path().contains("mount=")).toList();
          assertThat(mounts).as(what).isNotEmpty().allSatisfy(r -> assertThat(r.status()).isEqualTo(refusal));
          pullable(repository, image);
        }
      }
    }
  }

  /** skopeo copies the image from the registry itself into a folder, checking every blob against its digest. */
  private static void pullable(String repository, JsonNode image) throws Exception {
    Path copy = Files.createTempDirectory(work, "pulled");
    String reference = "docker://" + fixture.registry.hostPort() + "/" + repository + "@"
        + image.path("digest").asText();
    Processes.run(work, "skopeo", "copy", "--quiet", "--src-tls-verify=false", reference, "dir:" + copy);
    JsonNode manifest = JSON.readTree(copy.resolve("manifest.json").toFile());
    assertThat(manifest.path("layers")).hasSize(image.path("layers").asInt());
    for (JsonNode layer : manifest.path("layers")) {
      Path blob = copy.resolve(layer.path("digest").asText().substring(7));
      assertThat(blob).isRegularFile();
      assertThat(Files.size(blob)).isEqualTo(layer.path("size").asLong());
    }
    assertThat(Processes.run(work, "skopeo", "inspect", "--tls-verify=false", reference))
        .contains("\"dev.envforge.package-count\": \"3\"");
  }

  @Test
  void threeHundredPackagesFitInOneHundredLayers() throws Exception {
    List<String> packages = new ArrayList<>();
    Path dir = Files.createDirectories(work.resolve("many"));
    for (int i = 0; i < 300; i++) {
      packages.add(serve(JavaWheels.small(dir, "pkg" + i, "1.0", "m" + i)));
    }
    JsonNode image = assemble(null, project("many", packages), "app/many", "cache/many", work.resolve("cache-many"));
    assertThat(image.path("layers").asInt()).isLessThanOrEqualTo(LayerPlan.MAX_LAYERS);
    RegistrySession session = fixture.session("app/many");
    JsonNode manifest = JSON.readTree(session.manifest(image.path("digest").asText()).orElseThrow().content());
    assertThat(manifest.path("layers")).hasSize(image.path("layers").asInt());
    JsonNode config = JSON.readTree(session.blob(manifest.path("config").path("digest").asText(), 1 << 20));
    // one history entry per added layer (this base has no history of its own)
    assertThat(config.path("history")).hasSize(image.path("layers").asInt() - 1);
    assertThat(config.at("/config/User").asText()).isEqualTo("65532:65532");
    assertThat(config.at("/config/Labels/dev.envforge.package-count").asText()).isEqualTo("300");
  }

  @Test
  void anSdistOnlyPackageOrABaseWithTooManyLayersExitsWithFour() throws Exception {
    Path project = Files.createDirectories(work.resolve("sdist"));
    Files.writeString(project.resolve("pylock.toml"), "lock-version = '1.0'\ncreated-by = 'test'\n\n"
        + "[[packages]]\nname = 'builtonly'\nversion = '1.0'\nindex = '" + AssembleFixture.LOCK_INDEX + "'\n"
        + "sdist = {name = 'builtonly-1.0.tar.gz', url = 'https://pypi.example/packages/builtonly-1.0.tar.gz',"
        + " hashes = {sha256 = '" + "ab".repeat(32) + "'}}\n");
    StringWriter err = new StringWriter();
    int exit = fixture.run(new StringWriter(), err, project, fixture.registry.hostPort() + "/app/sdist",
        fixture.registry.hostPort() + "/cache/sdist", work.resolve("cache-sdist"), "base/python:3.11");
    assertThat(exit).as(err.toString()).isEqualTo(4);
    assertThat(err.toString()).contains("builtonly", "sdist", "Kaniko");

    fixture.pushBase("base/layered", "3.11", 90);
    List<String> packages = new ArrayList<>();
    Path dir = Files.createDirectories(work.resolve("layered"));
    for (int i = 0; i < 30; i++) {
      packages.add(serve(JavaWheels.small(dir, "lay" + i, "1.0", "m" + i)));
    }
    err = new StringWriter();
    exit = fixture.run(new StringWriter(), err, project("layered", packages), fixture.registry.hostPort() + "/app/layered",
        fixture.registry.hostPort() + "/cache/layered", work.resolve("cache-layered"), "base/layered:3.11");
    assertThat(exit).as(err.toString()).isEqualTo(4);
    assertThat(err.toString()).contains("90 layers", "100");
  }

  // ---- helpers

  private static JsonNode assemble(RegistryProxy proxy, Path project, String repository, String cacheRepository,
      Path cacheDir) throws Exception {
    return fixture.assemble(proxy != null ? proxy.hostPort() : fixture.registry.hostPort(), project, repository,
        cacheRepository, cacheDir);
  }

  private static List<String> layerDigests(String repository, JsonNode image) throws Exception {
    JsonNode manifest = JSON.readTree(fixture.session(repository).manifest(image.path("digest").asText())
        .orElseThrow().content());
    List<String> digests = new ArrayList<>();
    manifest.path("layers").forEach(l -> digests.add(l.path("digest").asText()));
    return digests;
  }

  private static String serve(Path wheel) {
    return fixture.serve(wheel);
  }

  private static Path project(String name, List<String> wheelNames) throws Exception {
    return fixture.project(name, wheelNames);
  }
}
