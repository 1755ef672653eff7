package dev.envforge.core.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.core.registry.ManifestCheck.Outcome;
import dev.envforge.core.registry.ManifestCheck.UnknownKind;
import dev.envforge.core.registry.RegistryCredentials.Login;
import dev.envforge.testing.RegistryProxy;
import dev.envforge.testing.RegistryProxy.RecordedRequest;
import dev.envforge.testing.RegistryServer;
import dev.envforge.testing.RegistryServer.ManifestFormat;
import dev.envforge.testing.TokenAuthServer;
import dev.envforge.testing.TokenAuthServer.TokenRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link RegistryClient} against real registries (Debian's docker-registry) on loopback: plain, with Basic auth, and
 * with TLS and Basic auth. Bearer token auth, faults and request counting go through a {@link RegistryProxy} in front
 * of a real registry; the token endpoint is a {@link TokenAuthServer}.
 */
class RegistryClientIT {
  private static final String USER = "envforge";
  private static final String PASSWORD = "Sup3r:s3cret-pw";
  private static final String DOCKER_TYPES_ONLY = "application/vnd.docker.distribution.manifest.v2+json, "
      + "application/vnd.docker.distribution.manifest.list.v2+json";

  private static final RegistryServer.Options TLS_BASIC =
      RegistryServer.Options.plain().withBasicAuth(USER, PASSWORD).withTls();

  private static String unavailable;
  private static RegistryServer plain;
  private static RegistryServer basic;
  private static RegistryServer tlsBasic;

  @BeforeAll
  static void startRegistries() {
    unavailable = RegistryServer.unavailableReason(TLS_BASIC).orElse(null);
    if (unavailable == null) {
      plain = RegistryServer.start();
      basic = RegistryServer.start(RegistryServer.Options.plain().withBasicAuth(USER, PASSWORD));
      tlsBasic = RegistryServer.start(TLS_BASIC);
    }
  }

  @BeforeEach
  void skipWithoutRegistry() {
    Assumptions.assumeTrue(unavailable == null, unavailable);
  }

  @AfterAll
  static void stopRegistries() {
    for (RegistryServer registry : new RegistryServer[] {plain, basic, tlsBasic}) {
      if (registry != null) {
        registry.close();
      }
    }
  }

  private static String newRepository() {
    return "it/" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static ImageReference reference(String registryHostPort, String repository, String tag) {
    return ImageReference.parse(registryHostPort + "/" + repository + ":" + tag);
  }

  private static RegistryClient.Builder allowingHttp(String... hostPorts) {
    RegistryClient.Builder builder = RegistryClient.builder();
    for (String hostPort : hostPorts) {
      builder.insecureRegistry(hostPort);
    }
    return builder;
  }

  @Test
  void presentWithTheDigestThePushReported() {
    String repository = newRepository();
    String pushed = plain.pushRandomImage(repository, "v1");

    ManifestCheck check = allowingHttp(plain.hostPort()).build().check(reference(plain.hostPort(), repository, "v1"));

    assertThat(check.outcome()).isEqualTo(Outcome.PRESENT);
    assertThat(check.digest()).isEqualTo(pushed);
    assertThat(check.cached()).isFalse();
  }

  @Test
  void absentForAnUnknownTagOrRepository() {
    String repository = newRepository();
    plain.pushRandomImage(repository, "v1");
    RegistryClient client = allowingHttp(plain.hostPort()).build();

    assertThat(client.check(reference(plain.hostPort(), repository, "v2")).outcome()).isEqualTo(Outcome.ABSENT);
    assertThat(client.check(reference(plain.hostPort(), newRepository(), "v1")).outcome())
        .isEqualTo(Outcome.ABSENT);
  }

  @Test
  void checksByDigest() {
    String repository = newRepository();
    String pushed = plain.pushRandomImage(repository, "v1");
    RegistryClient client = allowingHttp(plain.hostPort()).build();

    ManifestCheck byDigest = client.check(ImageReference.parse(plain.hostPort() + "/" + repository + "@" + pushed));
    ManifestCheck unknownDigest = client.check(ImageReference.parse(plain.hostPort() + "/" + repository
        + "@sha256:" + "0".repeat(64)));

    assertThat(byDigest.digest()).isEqualTo(pushed);
    assertThat(unknownDigest.outcome()).isEqualTo(Outcome.ABSENT);
  }

  @Test
  void findsAllFourManifestMediaTypes() {
    String repository = newRepository();
    Map<String, String> pushedByTag = Map.of(
        "oci-manifest", plain.pushRandomImage(repository, "oci-manifest", ManifestFormat.OCI),
        "oci-index", plain.pushRandomIndex(repository, "oci-index", ManifestFormat.OCI),
        "docker-manifest", plain.pushRandomImage(repository, "docker-manifest", ManifestFormat.DOCKER_V2),
        "docker-list", plain.pushRandomIndex(repository, "docker-list", ManifestFormat.DOCKER_V2));
    RegistryClient client = allowingHttp(plain.hostPort()).build();

    pushedByTag.forEach((tag, digest) ->
        assertThat(client.check(reference(plain.hostPort(), repository, tag)).digest()).as(tag).isEqualTo(digest));
  }

  @Test
  void registryAnswers404ForAnOciManifestWhenTheOciTypeIsNotAccepted() {
    // Why the Accept header lists all four types: without the OCI type an existing tag looks absent.
    String repository = newRepository();
    String pushed = plain.pushRandomImage(repository, "v1", ManifestFormat.OCI);
    String path = "/v2/" + repository + "/manifests/v1";

    HttpResponse<byte[]> dockerOnly = plain.request("HEAD", path, Map.of("Accept", DOCKER_TYPES_ONLY));
    HttpResponse<byte[]> allFour = plain.request("HEAD", path, Map.of("Accept", RegistryClient.MANIFEST_ACCEPT));
    HttpResponse<byte[]> dockerOnlyGet = plain.request("GET", path, Map.of("Accept", DOCKER_TYPES_ONLY));

    assertThat(dockerOnly.statusCode()).isEqualTo(404);
    assertThat(new String(dockerOnlyGet.body(), StandardCharsets.UTF_8)).contains("MANIFEST_UNKNOWN");
    assertThat(allFour.statusCode()).isEqualTo(200);
    assertThat(allFour.headers().firstValue("Docker-Content-Digest")).contains(pushed);
    assertThat(RegistryClient.MANIFEST_MEDIA_TYPES).containsExactlyInAnyOrder(
        "application/vnd.oci.image.manifest.v1+json", "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.docker.distribution.manifest.list.v2+json");
  }

  @Test
  void computesTheDigestWithGetWhenHeadLeavesItOut() {
    String repository = newRepository();
    String pushed = plain.pushRandomImage(repository, "v1");
    try (RegistryProxy proxy = RegistryProxy.inFrontOf(plain)) {
      proxy.stripDigestOnHead(true);

      ManifestCheck check = allowingHttp(proxy.hostPort()).build().check(reference(proxy.hostPort(), repository, "v1"));

      assertThat(check.digest()).isEqualTo(pushed);
      assertThat(proxy.requests()).extracting(RecordedRequest::method).containsExactly("HEAD", "GET");
      assertThat(proxy.requests()).extracting(RecordedRequest::accept).containsOnly(RegistryClient.MANIFEST_ACCEPT);
    }
  }

  @Test
  void basicAuthWithCredentialsFromADockerConfig() {
    String repository = newRepository();
    String pushed = basic.pushRandomImage(repository, "v1");
    ImageReference ref = reference(basic.hostPort(), repository, "v1");

    ManifestCheck withLogin = allowingHttp(basic.hostPort())
        .credentials(RegistryCredentials.fromDockerConfigJson(basic.dockerConfigJson())).build().check(ref);
    ManifestCheck anonymous = allowingHttp(basic.hostPort()).build().check(ref);

    assertThat(withLogin.digest()).isEqualTo(pushed);
    assertThat(anonymous.outcome()).as("401 is not absent").isEqualTo(Outcome.UNKNOWN);
    assertThat(anonymous.kind()).isEqualTo(UnknownKind.UNAUTHORIZED);
    assertThat(anonymous.reason()).contains(basic.hostPort(), "none is configured");
  }

  @Test
  void wrongPasswordIsUnauthorizedAndTheReasonHidesIt() {
    String repository = newRepository();
    basic.pushRandomImage(repository, "v1");
    String wrong = "wr0ng:" + PASSWORD;
    RegistryClient client = allowingHttp(basic.hostPort())
        .credentials(RegistryCredentials.of(Map.of(basic.hostPort(), Login.basic(USER, wrong)))).build();

    ManifestCheck check = client.check(reference(basic.hostPort(), repository, "v1"));

    assertThat(check.kind()).isEqualTo(UnknownKind.UNAUTHORIZED);
    assertThat(check.reason()).contains("rejected the credentials", "user " + USER);
    assertThat(check.toString() + check.reason() + client)
        .doesNotContain(wrong, PASSWORD, base64(USER + ":" + wrong));
  }

  @Test
  void basicAuthOverPlainHttpAnswersTheChallengeThenSendsCredentialsRightAway() {
    String repository = newRepository();
    basic.pushRandomImage(repository, "v1");
    basic.pushRandomImage(repository, "v2");
    try (RegistryProxy proxy = RegistryProxy.inFrontOf(basic)) {
      RegistryClient client = allowingHttp(proxy.hostPort())
          .credentials(RegistryCredentials.of(Map.of(proxy.hostPort(), Login.basic(USER, PASSWORD)))).build();

      assertThat(client.check(reference(proxy.hostPort(), repository, "v1")).isPresent()).isTrue();
      assertThat(client.check(reference(proxy.hostPort(), repository, "v2")).isPresent()).isTrue();

      assertThat(proxy.requests()).extracting(RecordedRequest::status).containsExactly(401, 200, 200);
      assertThat(proxy.requests().get(0).authorization()).as("nothing is sent in clear text up front").isNull();
      assertThat(proxy.requests().get(1).authorization()).isEqualTo(Login.basic(USER, PASSWORD).basicAuthorization());
    }
  }

  @Test
  void basicAuthIsSentWithTheFirstRequestOverHttps() {
    String repository = newRepository();
    String pushed = tlsBasic.pushRandomImage(repository, "v1");
    try (RegistryProxy proxy = RegistryProxy.inFrontOf(tlsBasic)) {
      RegistryClient client = RegistryClient.builder()
          .caCertificates(proxy.hostPort(), tlsBasic.caPem())
          .credentials(RegistryCredentials.of(Map.of(proxy.hostPort(), Login.basic(USER, PASSWORD)))).build();

      assertThat(client.check(reference(proxy.hostPort(), repository, "v1")).digest()).isEqualTo(pushed);
      assertThat(proxy.requests()).singleElement().satisfies(request -> {
        assertThat(request.status()).isEqualTo(200);
        assertThat(request.authorization()).startsWith("Basic ");
      });
    }
  }

  @Test
  void tlsWithTheRegistrysCaAndWithoutIt() {
    String repository = newRepository();
    String pushed = tlsBasic.pushRandomImage(repository, "v1");
    ImageReference ref = reference(tlsBasic.hostPort(), repository, "v1");
    RegistryCredentials login = RegistryCredentials.fromDockerConfigJson(tlsBasic.dockerConfigJson());

    ManifestCheck trusted = RegistryClient.builder().credentials(login)
        .caCertificates(tlsBasic.hostPort(), tlsBasic.caPem()).build().check(ref);
    ManifestCheck untrusted = RegistryClient.builder().credentials(login).build().check(ref);
    ManifestCheck caForAnotherRegistry = RegistryClient.builder().credentials(login)
        .caCertificates("127.0.0.1:1", tlsBasic.caPem()).build().check(ref);

    assertThat(trusted.digest()).isEqualTo(pushed);
    assertThat(untrusted.kind()).isEqualTo(UnknownKind.TLS);
    assertThat(untrusted.reason()).contains("TLS handshake failed");
    assertThat(untrusted.reason()).doesNotContain(PASSWORD, base64(USER + ":" + PASSWORD));
    assertThat(caForAnotherRegistry.kind()).isEqualTo(UnknownKind.TLS);
  }

  @Test
  void plainHttpOnlyWhenAllowed() {
    String repository = newRepository();
    String pushed = plain.pushRandomImage(repository, "v1");
    ImageReference ref = reference(plain.hostPort(), repository, "v1");

    ManifestCheck refused = RegistryClient.builder().build().check(ref);
    ManifestCheck allowedForHostAndPort = allowingHttp(plain.hostPort()).build().check(ref);
    ManifestCheck allowedForHost = allowingHttp(plain.host()).build().check(ref);
    ManifestCheck otherHostAllowed = allowingHttp("127.0.0.2").build().check(ref);

    assertThat(refused.outcome()).isEqualTo(Outcome.UNKNOWN);
    assertThat(refused.kind()).as("https to a plain-HTTP server fails the handshake").isEqualTo(UnknownKind.TLS);
    assertThat(allowedForHostAndPort.digest()).isEqualTo(pushed);
    assertThat(allowedForHost.digest()).isEqualTo(pushed);
    assertThat(otherHostAllowed.kind()).isEqualTo(UnknownKind.TLS);
  }

  @Test
  void serverErrorsRateLimitsRedirectsAndDenialsAreUnknown() {
    String repository = newRepository();
    plain.pushRandomImage(repository, "v1");
    try (RegistryProxy proxy = RegistryProxy.inFrontOf(plain)) {
      RegistryClient client = allowingHttp(proxy.hostPort()).build();
      ImageReference ref = reference(proxy.hostPort(), repository, "v1");

      proxy.failWith(500);
      assertThat(client.check(ref)).satisfies(check -> {
        assertThat(check.kind()).isEqualTo(UnknownKind.SERVER_ERROR);
        assertThat(check.reason()).contains("HTTP 500");
      });
      proxy.failWith(503);
      assertThat(client.check(ref).kind()).isEqualTo(UnknownKind.SERVER_ERROR);
      proxy.failWith(429, Map.of("Retry-After", "30"));
      assertThat(client.check(ref)).satisfies(check -> {
        assertThat(check.kind()).isEqualTo(UnknownKind.RATE_LIMITED);
        assertThat(check.reason()).contains("retry after 30");
      });
      proxy.failWith(403);
      assertThat(client.check(ref).kind()).isEqualTo(UnknownKind.UNAUTHORIZED);
      proxy.failWith(307, Map.of("Location", "http://elsewhere.example/v2/x"));
      assertThat(client.check(ref)).satisfies(check -> {
        assertThat(check.kind()).isEqualTo(UnknownKind.UNEXPECTED_RESPONSE);
        assertThat(check.reason()).contains("redirects are not followed");
      });
      proxy.failWith(400);
      assertThat(client.check(ref).kind()).isEqualTo(UnknownKind.UNEXPECTED_RESPONSE);
      proxy.failWith(401);
      assertThat(client.check(ref).kind()).as("401 without challenge").isEqualTo(UnknownKind.UNAUTHORIZED);

      proxy.failWith(200, Map.of("Content-Type", "text/html"));
      assertThat(client.check(ref)).as("a web page answering 200 to anything").satisfies(check -> {
        assertThat(check.kind()).isEqualTo(UnknownKind.UNEXPECTED_RESPONSE);
        assertThat(check.reason()).contains("Content-Type 'text/html'");
      });

      proxy.behaveNormally();
      assertThat(client.check(ref).isPresent()).isTrue();
      assertThat(proxy.requests()).hasSize(10);
    }
  }

  @Test
  void slowRegistryTimesOut() {
    String repository = newRepository();
    plain.pushRandomImage(repository, "v1");
    try (RegistryProxy proxy = RegistryProxy.inFrontOf(plain)) {
      proxy.delayAnswers(Duration.ofSeconds(5));
      RegistryClient client = allowingHttp(proxy.hostPort()).requestTimeout(Duration.ofMillis(300)).build();

      ManifestCheck check = client.check(reference(proxy.hostPort(), repository, "v1"));

      assertThat(check.kind()).isEqualTo(UnknownKind.TIMEOUT);
      assertThat(check.reason()).contains("300 ms");
    }
  }

  @Test
  void refusedConnectionIsUnknown() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closedPort = socket.getLocalPort();
    }
    String registry = "127.0.0.1:" + closedPort;

    ManifestCheck check = allowingHttp(registry).build().check(reference(registry, "team/app", "v1"));

    assertThat(check.kind()).isEqualTo(UnknownKind.CONNECTION);
    assertThat(check.reason()).contains(registry, "connection failed");
  }

  @Test
  void presentAnswersAreCachedAndAbsentOnesAreNot() {
    String repository = newRepository();
    String first = plain.pushRandomImage(repository, "v1");
    MutableClock clock = new MutableClock();
    try (RegistryProxy proxy = RegistryProxy.inFrontOf(plain)) {
      RegistryClient client = allowingHttp(proxy.hostPort()).clock(clock).cacheTtl(Duration.ofMinutes(10)).build();
      ImageReference v1 = reference(proxy.hostPort(), repository, "v1");
      ImageReference v2 = reference(proxy.hostPort(), repository, "v2");

      ManifestCheck asked = client.check(v1);
      ManifestCheck cached = client.check(v1);
      assertThat(proxy.count("HEAD")).as("a cache hit makes no request").isEqualTo(1);
      assertThat(asked.cached()).isFalse();
      assertThat(cached.cached()).isTrue();
      assertThat(cached.digest()).isEqualTo(first);

      client.check(v2);
      client.check(v2);
      assertThat(proxy.count("HEAD")).as("absent answers are asked again").isEqualTo(3);

      // A tag pushed again is reported with its old digest until the entry expires (documented trade-off).
      String second = plain.pushRandomImage(repository, "v1");
      assertThat(client.check(v1).digest()).isEqualTo(first);
      clock.advance(Duration.ofMinutes(10));
      assertThat(client.check(v1).digest()).isEqualTo(second);
      assertThat(proxy.count("HEAD")).isEqualTo(4);

      client.clearCache();
      assertThat(client.check(v1).cached()).isFalse();
      assertThat(proxy.count("HEAD")).isEqualTo(5);
    }
  }

  @Test
  void cachingCanBeTurnedOffAndIsBounded() {
    String repository = newRepository();
    plain.pushRandomImage(repository, "a");
    plain.pushRandomImage(repository, "b");
    try (RegistryProxy proxy = RegistryProxy.inFrontOf(plain)) {
      RegistryClient uncached = allowingHttp(proxy.hostPort()).cacheTtl(Duration.ZERO).build();
      uncached.check(reference(proxy.hostPort(), repository, "a"));
      uncached.check(reference(proxy.hostPort(), repository, "a"));
      assertThat(proxy.count("HEAD")).isEqualTo(2);

      RegistryClient oneEntry = allowingHttp(proxy.hostPort()).cacheSize(1).build();
      oneEntry.check(reference(proxy.hostPort(), repository, "a"));
      oneEntry.check(reference(proxy.hostPort(), repository, "b"));
      assertThat(oneEntry.cachedAnswers()).isEqualTo(1);
      assertThat(oneEntry.check(reference(proxy.hostPort(), repository, "b")).cached()).isTrue();
      assertThat(oneEntry.check(reference(proxy.hostPort(), repository, "a")).cached()).isFalse();
    }
  }

  @Test
  void listenerHearsEveryCheck() {
    String repository = newRepository();
    plain.pushRandomImage(repository, "v1");
    List<String> heard = new CopyOnWriteArrayList<>();
    List<Long> durations = new CopyOnWriteArrayList<>();
    RegistryClient client = allowingHttp(plain.hostPort()).listener((registry, check, nanos) -> {
      durations.add(nanos);
      heard.add(registry + " " + check.outcome() + (check.cached() ? " cached" : ""));
    }).build();

    client.check(reference(plain.hostPort(), repository, "v1"));
    client.check(reference(plain.hostPort(), repository, "v1"));
    client.check(reference(plain.hostPort(), repository, "nope"));
    RegistryClient throwing = allowingHttp(plain.hostPort()).listener((registry, check, nanos) -> {
      throw new IllegalStateException("broken metrics");
    }).build();

    assertThat(heard).containsExactly(plain.hostPort() + " PRESENT", plain.hostPort() + " PRESENT cached",
        plain.hostPort() + " ABSENT");
    assertThat(durations).allSatisfy(nanos -> assertThat(nanos).isPositive());
    assertThat(throwing.check(reference(plain.hostPort(), repository, "v1")).isPresent()).isTrue();
  }

  @Test
  void bearerTokenFlowWithAnonymousTokens() {
    String repository = newRepository();
    String otherRepository = newRepository();
    String pushed = plain.pushRandomImage(repository, "v1");
    plain.pushRandomImage(repository, "v2");
    plain.pushRandomImage(otherRepository, "v1");
    try (TokenAuthServer auth = TokenAuthServer.start();
         RegistryProxy proxy = RegistryProxy.inFrontOf(plain).requireBearerTokens(auth)) {
      RegistryClient client = allowingHttp(proxy.hostPort(), auth.hostPort()).build();

      ManifestCheck check = client.check(reference(proxy.hostPort(), repository, "v1"));

      assertThat(check.digest()).isEqualTo(pushed);
      assertThat(auth.requests()).containsExactly(
          new TokenRequest("GET", TokenAuthServer.SERVICE, "repository:" + repository + ":pull", null, 200));
      assertThat(proxy.requests()).extracting(RecordedRequest::status).containsExactly(401, 200);
      assertThat(proxy.requests().get(1).authorization()).startsWith("Bearer ");

      // Same repository: the cached token goes with the first request.
      assertThat(client.check(reference(proxy.hostPort(), repository, "v2")).isPresent()).isTrue();
      assertThat(auth.requests()).hasSize(1);
      // Another repository: a new token, fetched before asking since the registry is known to want one.
      assertThat(client.check(reference(proxy.hostPort(), otherRepository, "v1")).isPresent()).isTrue();
      assertThat(auth.requests()).hasSize(2);
      assertThat(auth.requests().get(1).scope()).isEqualTo("repository:" + otherRepository + ":pull");
      assertThat(proxy.requests()).extracting(RecordedRequest::status).containsExactly(401, 200, 200, 200);
      // An absent tag is absent under token auth too.
      assertThat(client.check(reference(proxy.hostPort(), repository, "nope")).isAbsent()).isTrue();
    }
  }

  @Test
  void bearerTokenFlowWithUserCredentials() {
    String repository = newRepository();
    String pushed = plain.pushRandomImage(repository, "v1");
    try (TokenAuthServer auth = TokenAuthServer.start(TokenAuthServer.Options.anonymous().withUser(USER, PASSWORD));
         RegistryProxy proxy = RegistryProxy.inFrontOf(plain).requireBearerTokens(auth)) {
      ImageReference ref = reference(proxy.hostPort(), repository, "v1");

      ManifestCheck withLogin = allowingHttp(proxy.hostPort(), auth.hostPort())
          .credentials(RegistryCredentials.of(Map.of(proxy.hostPort(), Login.basic(USER, PASSWORD)))).build()
          .check(ref);
      ManifestCheck anonymous = allowingHttp(proxy.hostPort(), auth.hostPort()).build().check(ref);
      String wrong = "not-" + PASSWORD;
      ManifestCheck wrongPassword = allowingHttp(proxy.hostPort(), auth.hostPort())
          .credentials(RegistryCredentials.of(Map.of(proxy.hostPort(), Login.basic(USER, wrong)))).build()
          .check(ref);

      assertThat(withLogin.digest()).isEqualTo(pushed);
      assertThat(auth.requests().get(0).subject()).isEqualTo(USER);
      assertThat(anonymous.kind()).isEqualTo(UnknownKind.UNAUTHORIZED);
      assertThat(anonymous.reason()).contains("token endpoint", "refused a token", "no credentials are configured");
      assertThat(wrongPassword.kind()).isEqualTo(UnknownKind.UNAUTHORIZED);
      assertThat(wrongPassword.reason()).contains("user " + USER).doesNotContain(wrong, base64(USER + ":" + wrong));
    }
  }

  @Test
  void bearerTokenFromAccessTokenFieldAndFromAnIdentityToken() {
    String repository = newRepository();
    String pushed = plain.pushRandomImage(repository, "v1");
    String identityToken = "refresh-" + UUID.randomUUID();
    try (TokenAuthServer auth = TokenAuthServer.start(TokenAuthServer.Options.anonymous()
             .withUser(USER, PASSWORD).withIdentityToken(identityToken).withAccessTokenField());
         RegistryProxy proxy = RegistryProxy.inFrontOf(plain).requireBearerTokens(auth)) {
      RegistryClient client = allowingHttp(proxy.hostPort(), auth.hostPort())
          .credentials(RegistryCredentials.fromDockerConfigJson("{\"auths\":{\"" + proxy.hostPort()
              + "\":{\"identitytoken\":\"" + identityToken + "\"}}}")).build();

      ManifestCheck check = client.check(reference(proxy.hostPort(), repository, "v1"));

      assertThat(check.digest()).isEqualTo(pushed);
      assertThat(auth.requests()).singleElement().satisfies(request -> {
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.subject()).isEqualTo("identity-token");
      });

      ManifestCheck badToken = allowingHttp(proxy.hostPort(), auth.hostPort())
          .credentials(RegistryCredentials.of(Map.of(proxy.hostPort(), Login.identityToken("bad-" + identityToken))))
          .build().check(reference(proxy.hostPort(), repository, "v1"));
      assertThat(badToken.kind()).isEqualTo(UnknownKind.UNAUTHORIZED);
      assertThat(badToken.reason()).doesNotContain(identityToken);
    }
  }

  @Test
  void tokensAreRenewedWhenExpiredOrRefused() {
    String repository = newRepository();
    plain.pushRandomImage(repository, "v1");
    plain.pushRandomImage(repository, "v2");
    plain.pushRandomImage(repository, "v3");
    MutableClock clock = new MutableClock();
    try (TokenAuthServer auth = TokenAuthServer.start(TokenAuthServer.Options.anonymous()
             .withLifetime(Duration.ofSeconds(120)));
         RegistryProxy proxy = RegistryProxy.inFrontOf(plain).requireBearerTokens(auth)) {
      RegistryClient client = allowingHttp(proxy.hostPort(), auth.hostPort()).clock(clock).cacheTtl(Duration.ZERO)
          .build();
      ImageReference ref = reference(proxy.hostPort(), repository, "v1");

      client.check(ref);
      client.check(ref);
      assertThat(auth.requests()).hasSize(1);

      clock.advance(Duration.ofSeconds(120));
      assertThat(client.check(ref).isPresent()).isTrue();
      assertThat(auth.requests()).as("an expired token is not sent").hasSize(2);

      auth.revokeAll();
      proxy.clearRequests();
      assertThat(client.check(ref).isPresent()).isTrue();
      assertThat(auth.requests()).as("a refused token is replaced once").hasSize(3);
      assertThat(proxy.requests()).extracting(RecordedRequest::status).containsExactly(401, 200);
    }
  }

  @Test
  void tokenEndpointProblemsAreUnknown() {
    String repository = newRepository();
    plain.pushRandomImage(repository, "v1");
    try (TokenAuthServer auth = TokenAuthServer.start();
         RegistryProxy proxy = RegistryProxy.inFrontOf(plain).requireBearerTokens(auth)) {
      ImageReference ref = reference(proxy.hostPort(), repository, "v1");

      ManifestCheck realmNotAllowed = allowingHttp(proxy.hostPort()).build().check(ref);
      assertThat(realmNotAllowed.kind()).isEqualTo(UnknownKind.UNEXPECTED_RESPONSE);
      assertThat(realmNotAllowed.reason()).contains("plain-HTTP token endpoint", auth.hostPort());

      RegistryClient client = allowingHttp(proxy.hostPort(), auth.hostPort()).build();
      auth.close();
      ManifestCheck endpointDown = client.check(ref);
      assertThat(endpointDown.kind()).isEqualTo(UnknownKind.CONNECTION);
      assertThat(endpointDown.reason()).contains("token endpoint " + auth.hostPort());
    }
  }

  @Test
  void concurrentChecksGetTheirOwnAnswers() throws Exception {
    String repository = newRepository();
    List<String> digests = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      digests.add(plain.pushRandomImage(repository, "t" + i));
    }
    try (TokenAuthServer auth = TokenAuthServer.start();
         RegistryProxy proxy = RegistryProxy.inFrontOf(plain).requireBearerTokens(auth)) {
      RegistryClient client = allowingHttp(proxy.hostPort(), auth.hostPort()).cacheTtl(Duration.ZERO).build();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
          int tag = i % 5; // t4 does not exist
          results.add(pool.submit(() -> {
            ManifestCheck check = client.check(reference(proxy.hostPort(), repository, "t" + tag));
            return tag < 4 ? digests.get(tag).equals(check.digest()) : check.isAbsent();
          }));
        }
        for (Future<Boolean> result : results) {
          assertThat(result.get()).isTrue();
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /** A clock the test moves by hand. */
  private static final class MutableClock extends Clock {
    private volatile Instant now = Instant.parse("2030-01-01T00:00:00Z");

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
