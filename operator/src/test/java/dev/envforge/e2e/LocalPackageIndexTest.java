package dev.envforge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LocalPackageIndexTest {
  private static final TestWheels WHEELS = TestWheels.create();
  private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @Test
  void listsProjectsAndTheirFilesWithHashesOfTheServedBytes() throws Exception {
    try (LocalPackageIndex index = LocalPackageIndex.start(WHEELS.servedFiles())) {
      HttpResponse<String> root = get(index, "/simple/", null);
      HttpResponse<String> alpha = get(index, "/simple/alpha/", null);
      HttpResponse<String> tampered = get(index, "/simple/tampered/", null);

      assertThat(root.statusCode()).isEqualTo(200);
      assertThat(root.body()).contains("<a href=\"alpha/\">alpha</a>", "<a href=\"epsilon/\">epsilon</a>");
      assertThat(alpha.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
          .startsWith("text/html"));
      assertThat(alpha.body()).contains(
          "href=\"../../files/alpha-1.0-py3-none-any.whl#sha256=" + WHEELS.alpha().wheel().sha256() + "\"",
          "href=\"../../files/alpha-1.0.tar.gz#sha256=" + WHEELS.alpha().sdist().sha256() + "\"");
      assertThat(tampered.body()).contains(WHEELS.tamperedAsServed().wheel().sha256())
          .doesNotContain(WHEELS.tampered().wheel().sha256());
    }
  }

  @Test
  void servesFileBytes() throws Exception {
    try (LocalPackageIndex index = LocalPackageIndex.start(WHEELS.servedFiles())) {
      TestWheels.Distribution wheel = WHEELS.beta().wheel();
      HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(index.fileUrl(wheel)).build(),
          HttpResponse.BodyHandlers.ofByteArray());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo(wheel.content());
      assertThat(index.downloadedFiles()).containsExactly(wheel.filename());
    }
  }

  @Test
  void redirectsToTheNormalizedProjectUrlAndAnswers404ForUnknownOnes() throws Exception {
    try (LocalPackageIndex index = LocalPackageIndex.start(WHEELS.servedFiles())) {
      HttpResponse<String> unnormalized = get(index, "/simple/Alpha", null);
      HttpResponse<String> unknown = get(index, "/simple/zeta/", null);
      HttpResponse<String> noFile = get(index, "/files/zeta-1.0.tar.gz", null);

      assertThat(unnormalized.statusCode()).isEqualTo(301);
      assertThat(unnormalized.headers().firstValue("Location")).contains("/simple/alpha/");
      assertThat(unknown.statusCode()).isEqualTo(404);
      assertThat(noFile.statusCode()).isEqualTo(404);
    }
  }

  @Test
  void withCredentialsAnswers401WithAChallengeUnlessAuthorized() throws Exception {
    LocalPackageIndex.Credentials credentials = new LocalPackageIndex.Credentials("reader", "pa55");
    try (LocalPackageIndex index = LocalPackageIndex.start(WHEELS.servedFiles(), Optional.of(credentials))) {
      HttpResponse<String> anonymous = get(index, "/simple/alpha/", null);
      HttpResponse<String> wrong = get(index, "/simple/alpha/", basic("reader", "nope"));
      HttpResponse<String> right = get(index, "/simple/alpha/", basic("reader", "pa55"));

      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v)
          .startsWith("Basic realm="));
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(right.statusCode()).isEqualTo(200);
      assertThat(index.simpleUrlWithCredentials())
          .isEqualTo(URI.create("http://reader:pa55@127.0.0.1:" + index.port() + "/simple"));
    }
  }

  @Test
  void recordsEveryRequestWithItsStatusAndAuthorization() throws Exception {
    LocalPackageIndex.Credentials credentials = new LocalPackageIndex.Credentials("reader", "pa55");
    try (LocalPackageIndex index = LocalPackageIndex.start(WHEELS.servedFiles(), Optional.of(credentials))) {
      get(index, "/simple/beta/", null);
      get(index, "/simple/beta/", basic("reader", "pa55"));

      assertThat(index.requestCount()).isEqualTo(2);
      assertThat(index.requests()).extracting(LocalPackageIndex.Request::status).containsExactly(401, 200);
      assertThat(index.requests().get(0).authorization()).isNull();
      assertThat(index.requests().get(1).authorization()).isEqualTo(basic("reader", "pa55"));
      assertThat(index.requests()).extracting(LocalPackageIndex.Request::path).containsOnly("/simple/beta/");
      index.clearRequests();
      assertThat(index.requestCount()).isZero();
    }
  }

  private HttpResponse<String> get(LocalPackageIndex index, String path, String authorization)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + index.port() + path));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes());
  }
}
