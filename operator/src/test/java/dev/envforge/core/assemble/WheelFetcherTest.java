package dev.envforge.core.assemble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.envforge.core.plan.Artifact;
import dev.envforge.core.plan.PackageSource;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where wheels come from, netrc credentials, and the sha256 check while downloading from a local server. */
class WheelFetcherTest {
  private static final PackageSource PYPI = PackageSource.registry("https://pypi.org/simple");
  private static final String HEX = "ab".repeat(32);

  @TempDir
  Path dir;

  @Test
  void aLockUrlUnderTheLockIndexMovesUnderTheMirror() throws Exception {
    WheelFetcher fetcher = new WheelFetcher(dir, "https://mirror.example/pypi/simple/", null);
    PackageSource nexus = PackageSource.registry("https://nexus.example/repository/pypi/simple");
    Artifact wheel = new Artifact("a-1-py3-none-any.whl",
        "https://nexus.example/repository/pypi/packages/a/a-1-py3-none-any.whl", "sha256:" + HEX);
    assertThat(fetcher.locate("a", wheel, nexus).toString())
        .isEqualTo("https://mirror.example/pypi/packages/a/a-1-py3-none-any.whl");
    // without a mirror, the lock's URL as it is
    assertThat(new WheelFetcher(dir, null, null).locate("a", wheel, nexus).toString()).isEqualTo(wheel.url());
  }

  @Test
  void downloadsCheckTheSha256AndLookUpFileNamesOnTheMirror() throws Exception {
    byte[] content = "wheel bytes".getBytes(StandardCharsets.UTF_8);
    String sha = WheelInstaller.sha256Hex(Files.write(dir.resolve("w"), content));
    List<String> authorizations = new CopyOnWriteArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    server.createContext("/", exchange -> {
      authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
      String path = exchange.getRequestURI().getPath();
      byte[] body = path.equals("/simple/my-pkg/")
          ? "<a href=\"/files/My_Pkg-1.0-py3-none-any.whl#sha256=x\">w</a><a href='/files/other.whl'>o</a>"
              .getBytes(StandardCharsets.UTF_8)
          : path.startsWith("/files/My_Pkg") ? content : null;
      exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
      if (body != null) {
        exchange.getResponseBody().write(body);
      }
      exchange.close();
    });
    server.start();
    try {
      String host = "127.0.0.1:" + server.getAddress().getPort();
      WheelFetcher fetcher = new WheelFetcher(dir.resolve("cache"), "http://" + host + "/simple",
          "machine 127.0.0.1 login user password s3cret\n");
      Artifact wheel = new Artifact("My_Pkg-1.0-py3-none-any.whl", "https://files.example/My_Pkg-1.0-py3-none-any.whl",
          "sha256:" + sha);

      Path file = fetcher.fetch("My.Pkg", wheel, PYPI, sha);

      assertThat(Files.readAllBytes(file)).isEqualTo(content);
      assertThat(file).isEqualTo(dir.resolve("cache").resolve(sha).resolve(wheel.filename()));
      assertThat(authorizations).allSatisfy(a -> assertThat(a).startsWith("Basic "));
      assertThat(fetcher.fetch("My.Pkg", wheel, PYPI, sha)).isEqualTo(file); // kept: no second download
      assertThat(authorizations).hasSize(2);

      String wrong = "cd".repeat(32);
      assertThatThrownBy(() -> fetcher.fetch("My.Pkg", wheel, PYPI, wrong))
          .hasMessageContaining("has sha256 " + sha).hasMessageContaining("the lock says " + wrong);
      assertThat(dir.resolve("cache").resolve(wrong)).isEmptyDirectory();
    } finally {
      server.stop(0);
    }
  }

  @Test
  void netrcAndNames() {
    assertThat(WheelFetcher.parseNetrc("machine a.example login u password p\nmachine B.example\n login v\n"
        + " password q\ndefault login x password y\n"))
        .containsOnly(java.util.Map.entry("a.example", "u:p"), java.util.Map.entry("b.example", "v:q"));
    assertThat(WheelFetcher.normalize("Foo.Bar__baz")).isEqualTo("foo-bar-baz");
  }
}
