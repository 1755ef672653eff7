package dev.envforge.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.envforge.core.registry.ManifestCheck.UnknownKind;
import dev.envforge.core.registry.RegistryCredentials.Login;
import dev.envforge.core.registry.RegistrySession.BlobContent;
import dev.envforge.core.registry.RegistrySession.BlobPush;
import dev.envforge.core.registry.RegistrySession.Referrer;
import dev.envforge.testing.RegistryProxy;
import dev.envforge.testing.RegistryProxy.RecordedRequest;
import dev.envforge.testing.RegistryServer;
import dev.envforge.testing.TokenAuthServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RegistrySession}, the write side of the distribution protocol, against a real docker-registry on loopback:
 * plain, with Basic auth, and behind a proxy that demands Bearer tokens from a {@link TokenAuthServer}.
 */
class RegistrySessionIT {
  private static final String USER = "envforge";
  private static final String PASSWORD = "Sup3r:s3cret-pw";
  private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  private static final String EMPTY_CONFIG = "application/vnd.oci.empty.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String unavailable;
  private static RegistryServer plain;
  private static RegistryServer basic;

  @TempDir
  Path temp;

  @BeforeAll
  static void startRegistries() {
    RegistryServer.Options basicOptions = RegistryServer.Options.plain().withBasicAuth(USER, PASSWORD);
    unavailable = RegistryServer.unavailableReason(basicOptions).orElse(null);
    if (unavailable == null) {
      plain = RegistryServer.start();
      basic = RegistryServer.start(basicOptions);
    }
  }

  @BeforeEach
  void skipWithoutRegistry() {
    Assumptions.assumeTrue(unavailable == null, unavailable);
  }

  @AfterAll
  static void stopRegistries() {
    for (RegistryServer registry : new RegistryServer[] {plain, basic}) {
      if (registry != null) {
        registry.close();
      }
    }
  }

  @Test
  void uploadsMonolithicAndChunkedBlobsAndPushesAManifestThatReadsBack() throws Exception {
    RegistryClient client = RegistryClient.builder().insecureRegistry(plain.hostPort())
        .uploadChunkSize(1024 * 1024).build();
    RegistrySession session = client.session(repository(plain.hostPort(), newRepository()), true, List.of());
    Path small = randomFile("small", 200_000);
    Path large = randomFile("large", 3 * 1024 * 1024 + 17); // four PATCH chunks of 1 MiB, then the PUT
    String smallDigest = digest(small);
    String largeDigest = digest(large);
    byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
    String configDigest = digest(config);

    assertThat(session.blobSize(smallDigest)).isEmpty();
    assertThat(session.pushBlob(smallDigest, Files.size(small), BlobContent.of(small), List.of()))
        .isEqualTo(BlobPush.UPLOADED);
    assertThat(session.pushBlob(largeDigest, Files.size(large), BlobContent.of(large), List.of()))
        .isEqualTo(BlobPush.UPLOADED);
    assertThat(session.pushBlob(configDigest, config.length, BlobContent.of(config), List.of()))
        .isEqualTo(BlobPush.UPLOADED);
    assertThat(session.blobSize(largeDigest)).contains(Files.size(large));
    assertThat(session.pushBlob(smallDigest, Files.size(small), BlobContent.of(small), List.of()))
        .isEqualTo(BlobPush.PRESENT);

    byte[] manifest = manifest(configDigest, config.length, EMPTY_CONFIG,
        List.of(new Object[] {smallDigest, Files.size(small)}, new Object[] {largeDigest, Files.size(large)}), null);
    RegistrySession.PutManifest put = session.putManifest("v1", OCI_MANIFEST, manifest);

    assertThat(put.digest()).isEqualTo(digest(manifest));
    assertThat(client.check(ImageReference.parse(plain.hostPort() + "/" + session.repository() + ":v1")).digest())
        .isEqualTo(put.digest());
    RegistrySession.Manifest read = session.manifest("v1").orElseThrow();
    assertThat(read.content()).isEqualTo(manifest);
    assertThat(read.mediaType()).isEqualTo(OCI_MANIFEST);
    assertThat(session.manifest(put.digest()).orElseThrow().digest()).isEqualTo(put.digest());
    assertThat(session.manifest("absent")).isEmpty();
    Path back = temp.resolve("back");
    session.downloadBlob(largeDigest, back);
    assertThat(Files.mismatch(back, large)).isEqualTo(-1);
    assertThat(session.blob(configDigest, 1024)).isEqualTo(config);
  }

  @Test
  void mountsAcrossRepositoriesAndUploadsWhenTheSourceLacksTheBlob() throws Exception {
    RegistryClient client = RegistryClient.builder().insecureRegistry(plain.hostPort()).build();
    String source = newRepository();
    Path blob = randomFile("blob", 50_000);
    String digest = digest(blob);
    client.session(repository(plain.hostPort(), source), true, List.of())
        .uploadBlob(digest, Files.size(blob), BlobContent.of(blob));

    try (RegistryProxy proxy = RegistryProxy.inFrontOf(plain)) {
      RegistryClient viaProxy = RegistryClient.builder().insecureRegistry(proxy.hostPort()).build();
      String target = newRepository();
      RegistrySession session = viaProxy.session(repository(proxy.hostPort(), target), true, List.of(source));
      assertThat(session.pushBlob(digest, Files.size(blob), BlobContent.of(blob), List.of(source)))
          .isEqualTo(BlobPush.MOUNTED);
      assertThat(proxy.requests()).extracting(RecordedRequest::method).containsExactly("HEAD", "POST");
      assertThat(proxy.count("PUT") + proxy.count("PATCH")).isZero();

      // A source that lacks the blob: the registry answers 202 and the content is uploaded on that session.
      proxy.clearRequests();
      Path other = randomFile("other", 10_000);
      String otherDigest = digest(other);
      assertThat(session.pushBlob(otherDigest, Files.size(other), BlobContent.of(other), List.of(source)))
          .isEqualTo(BlobPush.UPLOADED);
      assertThat(proxy.requests()).extracting(RecordedRequest::method).containsExactly("HEAD", "POST", "PUT");
      assertThat(client.session(repository(plain.hostPort(), target), false, List.of()).blobSize(otherDigest))
          .contains(Files.size(other));
    }
  }

  /**
   * A registry that refuses mounts of a blob its source has: with an upload session (202), the blob goes up on it;
   * with a client error (401 without a challenge, 403, 404, 405), on a new upload session; a server error stays an
   * error, as it is not a refusal.
   */
  @Test
  void aRefusedMountUploadsTheBlobAndAServerErrorFails() throws Exception {
    RegistryClient client = RegistryClient.builder().insecureRegistry(plain.hostPort()).build();
    String source = newRepository();
    try (RegistryProxy proxy = RegistryProxy.inFrontOf(plain)) {
      RegistryClient viaProxy = RegistryClient.builder().insecureRegistry(proxy.hostPort()).build();
      for (int refusal : new int[] {202, 401, 403, 404, 405}) {
        Path blob = randomFile("refused-" + refusal, 20_000);
        String digest = digest(blob);
        client.session(repository(plain.hostPort(), source), true, List.of())
            .uploadBlob(digest, Files.size(blob), BlobContent.of(blob));
        String target = newRepository();
        RegistrySession session = viaProxy.session(repository(proxy.hostPort(), target), true, List.of(source));
        proxy.refuseMounts(refusal);
        proxy.clearRequests();
        assertThat(session.pushBlob(digest, Files.size(blob), BlobContent.of(blob), List.of(source)))
            .as("HTTP %d on the mount", refusal).isEqualTo(BlobPush.UPLOADED);
        List<String> expected = refusal == 202 ? List.of("HEAD", "POST 202", "PUT 201")
            : List.of("HEAD", "POST " + refusal, "POST 202", "PUT 201");
        assertThat(proxy.requests()).extracting(r -> r.method().equals("HEAD") ? "HEAD" : r.method() + " " + r.status())
            .as("HTTP %d on the mount", refusal).containsExactlyElementsOf(expected);
        assertThat(client.session(repository(plain.hostPort(), target), false, List.of()).blobSize(digest))
            .contains(Files.size(blob));
      }

      Path blob = randomFile("server-error", 1_000);
      String digest = digest(blob);
      client.session(repository(plain.hostPort(), source), true, List.of())
          .uploadBlob(digest, Files.size(blob), BlobContent.of(blob));
      RegistrySession session = viaProxy.session(repository(proxy.hostPort(), newRepository()), true, List.of(source));
      proxy.refuseMounts(503);
      assertThatThrownBy(() -> session.pushBlob(digest, Files.size(blob), BlobContent.of(blob), List.of(source)))
          .isInstanceOf(RegistryException.class).hasMessageContaining("mount of " + digest);
    }
  }

  @Test
  void pushesWithBasicAuthAndRefusesWithoutCredentials() throws Exception {
    byte[] content = "basic".getBytes(StandardCharsets.UTF_8);
    String digest = digest(content);
    RegistryClient withLogin = RegistryClient.builder().insecureRegistry(basic.hostPort())
        .credentials(RegistryCredentials.of(Map.of(basic.hostPort(), Login.basic(USER, PASSWORD)))).build();
    RegistrySession session = withLogin.session(repository(basic.hostPort(), newRepository()), true, List.of());

    assertThat(session.pushBlob(digest, content.length, BlobContent.of(content), List.of()))
        .isEqualTo(BlobPush.UPLOADED);
    assertThat(session.blobSize(digest)).contains((long) content.length);

    RegistrySession anonymous = RegistryClient.builder().insecureRegistry(basic.hostPort()).build()
        .session(repository(basic.hostPort(), session.repository()), true, List.of());
    assertThatThrownBy(() -> anonymous.uploadBlob(digest, content.length, BlobContent.of(content)))
        .isInstanceOfSatisfying(RegistryException.class, e -> {
          assertThat(e.kind()).isEqualTo(UnknownKind.UNAUTHORIZED);
          assertThat(e.getMessage()).contains(basic.hostPort(), "requires a user name and password");
        });
    String wrong = "not-" + PASSWORD;
    RegistrySession wrongPassword = RegistryClient.builder().insecureRegistry(basic.hostPort())
        .credentials(RegistryCredentials.of(Map.of(basic.hostPort(), Login.basic(USER, wrong)))).build()
        .session(repository(basic.hostPort(), session.repository()), true, List.of());
    assertThatThrownBy(() -> wrongPassword.uploadBlob(digest, content.length, BlobContent.of(content)))
        .isInstanceOfSatisfying(RegistryException.class, e -> {
          assertThat(e.kind()).isEqualTo(UnknownKind.UNAUTHORIZED);
          assertThat(e.getMessage()).doesNotContain(wrong);
        });
  }

  @Test
  void pushesWithBearerTokensForPushAndTheMountSources() throws Exception {
    try (TokenAuthServer auth = TokenAuthServer.start(TokenAuthServer.Options.anonymous().withUser(USER, PASSWORD));
         RegistryProxy proxy = RegistryProxy.inFrontOf(plain).requireBearerTokens(auth)) {
      RegistryClient client = RegistryClient.builder().insecureRegistry(proxy.hostPort())
          .insecureRegistry(auth.hostPort()).uploadChunkSize(64 * 1024)
          .credentials(RegistryCredentials.of(Map.of(proxy.hostPort(), Login.basic(USER, PASSWORD)))).build();
      String source = newRepository();
      String target = newRepository();
      RegistrySession session = client.session(repository(proxy.hostPort(), target), true, List.of(source));
      Path blob = randomFile("chunked", 200_000);
      String digest = digest(blob);
      byte[] config = "{}".getBytes(StandardCharsets.UTF_8);

      assertThat(session.pushBlob(digest, Files.size(blob), BlobContent.of(blob), List.of(source)))
          .isEqualTo(BlobPush.UPLOADED);
      session.pushBlob(digest(config), config.length, BlobContent.of(config), List.of());
      byte[] manifest = manifest(digest(config), config.length, EMPTY_CONFIG,
          List.<Object[]>of(new Object[] {digest, Files.size(blob)}), null);
      String pushed = session.putManifest("v1", OCI_MANIFEST, manifest).digest();

      assertThat(pushed).isEqualTo(digest(manifest));
      assertThat(auth.requests()).singleElement().satisfies(request -> {
        assertThat(request.scope()).isEqualTo("repository:" + target + ":pull,push repository:" + source + ":pull");
        assertThat(request.subject()).isEqualTo(USER);
      });
      // One challenge, then every request (HEAD, POST mount, PATCH chunks, PUT, manifest PUT) carries the token.
      assertThat(proxy.requests()).filteredOn(r -> r.status() == 401).hasSize(1);
      assertThat(proxy.count("PATCH")).isEqualTo(4); // 200,000 bytes in chunks of 65,536
      assertThat(proxy.requests()).filteredOn(r -> r.status() != 401)
          .allSatisfy(r -> assertThat(r.authorization()).startsWith("Bearer "));
      assertThat(plain.request("HEAD", "/v2/" + target + "/manifests/v1",
          Map.of("Accept", OCI_MANIFEST)).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void referrersFallBackToTheTagSchemaOnARegistryWithoutTheApi() throws Exception {
    RegistryClient client = RegistryClient.builder().insecureRegistry(plain.hostPort()).build();
    String name = newRepository();
    RegistrySession session = client.session(repository(plain.hostPort(), name), true, List.of());
    byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
    session.pushBlob(digest(config), config.length, BlobContent.of(config), List.of());
    byte[] image = manifest(digest(config), config.length, EMPTY_CONFIG, List.of(), null);
    String subject = session.putManifest("v1", OCI_MANIFEST, image).digest();
    assertThat(session.referrers(subject, null)).isEmpty();

    byte[] log = "build log\n".getBytes(StandardCharsets.UTF_8);
    session.pushBlob(digest(log), log.length, BlobContent.of(log), List.of());
    ObjectNode subjectDescriptor = JSON.createObjectNode().put("mediaType", OCI_MANIFEST).put("digest", subject)
        .put("size", image.length);
    byte[] first = manifest(digest(config), config.length, EMPTY_CONFIG,
        List.<Object[]>of(new Object[] {digest(log), (long) log.length}), subjectDescriptor, "application/x.log",
        "first");
    byte[] second = manifest(digest(config), config.length, EMPTY_CONFIG,
        List.<Object[]>of(new Object[] {digest(log), (long) log.length}), subjectDescriptor, "application/x.other",
        "second");

    String firstDigest = session.pushReferrer(OCI_MANIFEST, first);
    String secondDigest = session.pushReferrer(OCI_MANIFEST, second);
    assertThat(session.pushReferrer(OCI_MANIFEST, first)).isEqualTo(firstDigest); // listed once

    assertThat(session.referrers(subject, null)).extracting(Referrer::digest)
        .containsExactly(firstDigest, secondDigest);
    assertThat(session.referrers(subject, "application/x.log")).singleElement().satisfies(referrer -> {
      assertThat(referrer.digest()).isEqualTo(firstDigest);
      assertThat(referrer.size()).isEqualTo(first.length);
      assertThat(referrer.annotations()).containsEntry("dev.envforge.test", "first");
    });
    assertThat(session.manifest(RegistrySession.fallbackTag(subject)).orElseThrow().mediaType())
        .isEqualTo(RegistrySession.OCI_INDEX);
  }

  private static byte[] manifest(String configDigest, long configSize, String configType, List<Object[]> layers,
      ObjectNode subject) throws IOException {
    return manifest(configDigest, configSize, configType, layers, subject, null, null);
  }

  private static byte[] manifest(String configDigest, long configSize, String configType, List<Object[]> layers,
      ObjectNode subject, String artifactType, String annotation) throws IOException {
    ObjectNode manifest = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", OCI_MANIFEST);
    if (artifactType != null) {
      manifest.put("artifactType", artifactType);
    }
    manifest.putObject("config").put("mediaType", configType).put("digest", configDigest).put("size", configSize);
    var array = manifest.putArray("layers");
    for (Object[] layer : layers) {
      array.addObject().put("mediaType", "application/vnd.oci.image.layer.v1.tar")
          .put("digest", (String) layer[0]).put("size", (Long) layer[1]);
    }
    if (subject != null) {
      manifest.set("subject", subject);
    }
    if (annotation != null) {
      manifest.putObject("annotations").put("dev.envforge.test", annotation);
    }
    return JSON.writeValueAsBytes(manifest);
  }

  private Path randomFile(String name, long size) throws IOException {
    Path file = temp.resolve(name);
    Random random = new Random(size);
    byte[] buffer = new byte[8192];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long left = size; left > 0; left -= buffer.length) {
        random.nextBytes(buffer);
        out.write(buffer, 0, (int) Math.min(buffer.length, left));
      }
    }
    return file;
  }

  private static String digest(Path file) throws Exception {
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    try (var in = Files.newInputStream(file)) {
      byte[] buffer = new byte[65536];
      for (int n; (n = in.read(buffer)) > 0; ) {
        sha256.update(buffer, 0, n);
      }
    }
    return "sha256:" + HexFormat.of().formatHex(sha256.digest());
  }

  private static String digest(byte[] bytes) throws Exception {
    return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static String newRepository() {
    return "it/" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static ImageReference repository(String hostPort, String name) {
    return ImageReference.parse(hostPort + "/" + name + ":unused");
  }
}
