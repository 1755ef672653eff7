package dev.envforge.core.assemble;

import dev.envforge.core.plan.Artifact;
import dev.envforge.core.plan.PackageSource;
import dev.envforge.core.text.Texts;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads the wheels of a plan into a folder keyed by sha256, checking the lock's sha256 while streaming (a file
 * that does not match is never kept). Where a wheel comes from:
 * <ul>
 *   <li>with a mirror ({@code indexUrl}): a lock URL under the lock's index is moved under the mirror (the prefix
 *       rewritten); any other wheel is looked up by file name on the mirror's simple page (PEP 503);</li>
 *   <li>without one: the lock's URL, or, for locks that record only file names, the package's index (PyPI when the
 *       lock names none).</li>
 * </ul>
 * Index credentials come from a netrc file (as pip reads {@code NETRC}); they go only to their own host, also across
 * redirects.
 */
public final class WheelFetcher {
  private static final Pattern HREF = Pattern.compile("<a\\s[^>]*href\\s*=\\s*[\"']([^\"']+)[\"']",
      Pattern.CASE_INSENSITIVE);
  private static final int MAX_PAGE = 16 * 1024 * 1024;
  private static final int MAX_REDIRECTS = 5;

  private final HttpClient client;
  private final Path folder;
  private final String indexUrl;
  private final Map<String, String> netrc;
  private final Map<String, String> pages = new ConcurrentHashMap<>();

  /**
   * @param folder   where wheels are kept, as {@code <sha256>/<file name>}
   * @param indexUrl a mirror of the lock's index, or null
   * @param netrc    netrc text (credentials by host), or null
   */
  public WheelFetcher(Path folder, String indexUrl, String netrc) {
    this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30))
        .followRedirects(HttpClient.Redirect.NEVER).build();
    this.folder = folder;
    this.indexUrl = indexUrl == null ? null : withoutSlash(indexUrl);
    this.netrc = netrc == null ? Map.of() : parseNetrc(netrc);
  }

  /** The wheel's file, downloaded unless it is there already. */
  public Path fetch(String project, Artifact wheel, PackageSource source, String sha256) throws IOException {
    Path target = folder.resolve(sha256).resolve(safeName(wheel.filename()));
    if (Files.isRegularFile(target)) {
      return target;
    }
    URI uri = locate(project, wheel, source);
    Files.createDirectories(target.getParent());
    Path partial = target.resolveSibling(target.getFileName() + ".partial");
    HttpResponse<InputStream> response = get(uri, "application/octet-stream");
    MessageDigest digest = LayerWriter.sha256();
    try (InputStream in = new DigestInputStream(response.body(), digest)) {
      Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
    }
    String got = java.util.HexFormat.of().formatHex(digest.digest());
    if (!got.equals(sha256)) {
      Files.deleteIfExists(partial);
      throw new IOException(wheel.filename() + " from " + Texts.withoutUserInfo(uri.toString()) + " has sha256 " + got
          + ", the lock says " + sha256);
    }
    Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return target;
  }

  /** The size of the wheel: of the kept file, else from a HEAD of its URL, else empty. */
  public Optional<Long> size(String project, Artifact wheel, PackageSource source, String sha256) throws IOException {
    Path target = folder.resolve(sha256).resolve(safeName(wheel.filename()));
    if (Files.isRegularFile(target)) {
      return Optional.of(Files.size(target));
    }
    URI uri = locate(project, wheel, source);
    HttpResponse<InputStream> response = send(uri, "HEAD", "*/*");
    response.body().close();
    if (response.statusCode() != 200) {
      return Optional.empty();
    }
    return response.headers().firstValueAsLong("Content-Length").stream().boxed().findFirst();
  }

  /** Where the wheel is downloaded from. */
  URI locate(String project, Artifact wheel, PackageSource source) throws IOException {
    String lockIndex = source != null && source.type() == PackageSource.Type.REGISTRY && source.url() != null
        ? withoutSlash(source.url()) : null;
    if (indexUrl != null) {
      if (wheel.url() != null && lockIndex != null) {
        String base = lockIndex.endsWith("/simple") ? lockIndex.substring(0, lockIndex.length() - 7) : lockIndex;
        if (wheel.url().startsWith(base + "/")) {
          String mirrorBase = indexUrl.endsWith("/simple") ? indexUrl.substring(0, indexUrl.length() - 7) : indexUrl;
          return URI.create(mirrorBase + wheel.url().substring(base.length()));
        }
      }
      return fromIndex(indexUrl, project, wheel.filename());
    }
    if (wheel.url() != null && !wheel.url().isEmpty()) {
      return URI.create(wheel.url());
    }
    return fromIndex(lockIndex != null ? lockIndex : PackageSource.PYPI, project, wheel.filename());
  }

  private URI fromIndex(String index, String project, String filename) throws IOException {
    URI page = URI.create(index + "/" + normalize(project) + "/");
    String html = pages.get(page.toString());
    if (html == null) {
      HttpResponse<InputStream> response = get(page, "text/html");
      try (InputStream in = response.body()) {
        byte[] bytes = in.readNBytes(MAX_PAGE);
        html = new String(bytes, StandardCharsets.UTF_8);
      }
      pages.put(page.toString(), html);
    }
    Matcher links = HREF.matcher(html);
    while (links.find()) {
      String href = links.group(1).replace("&amp;", "&");
      String path = href.split("[#?]", 2)[0];
      String name = path.substring(path.lastIndexOf('/') + 1);
      if (java.net.URLDecoder.decode(name, StandardCharsets.UTF_8).equals(filename)) {
        return page.resolve(href.split("#", 2)[0]);
      }
    }
    throw new IOException("index " + Texts.withoutUserInfo(index) + " lists no file " + filename + " for " + project);
  }

  private HttpResponse<InputStream> get(URI uri, String accept) throws IOException {
    HttpResponse<InputStream> response = send(uri, "GET", accept);
    if (response.statusCode() != 200) {
      response.body().close();
      throw new IOException("GET " + Texts.withoutUserInfo(uri.toString()) + " answered HTTP "
          + response.statusCode());
    }
    return response;
  }

  /** Follows redirects itself, so credentials are sent to their own host only. */
  private HttpResponse<InputStream> send(URI start, String method, String accept) throws IOException {
    URI uri = start;
    for (int hop = 0; ; hop++) {
      HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
          .method(method, HttpRequest.BodyPublishers.noBody()).header("Accept", accept);
      String login = netrc.get(uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT));
      if (login != null) {
        request.header("Authorization", "Basic " + Base64.getEncoder()
            .encodeToString(login.getBytes(StandardCharsets.UTF_8)));
      }
      HttpResponse<InputStream> response;
      try {
        response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while downloading " + Texts.withoutUserInfo(uri.toString()));
      } catch (IOException e) {
        throw new IOException(method + " " + Texts.withoutUserInfo(uri.toString()) + " failed: " + e.getMessage(), e);
      }
      int status = response.statusCode();
      Optional<String> location = response.headers().firstValue("Location");
      if (status >= 300 && status < 400 && location.isPresent() && hop < MAX_REDIRECTS) {
        response.body().close();
        uri = uri.resolve(location.get());
        continue;
      }
      return response;
    }
  }

  /** PEP 503 normalized project name. */
  static String normalize(String name) {
    return name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-");
  }

  private static String safeName(String filename) {
    if (filename.contains("/") || filename.contains("\\") || filename.startsWith(".") || filename.isEmpty()) {
      throw new IllegalArgumentException("not a wheel file name: " + Texts.quote(filename));
    }
    return filename;
  }

  private static String withoutSlash(String url) {
    String u = url;
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    return u;
  }

  /** {@code machine host login user password secret} records: host to {@code user:secret}. */
  static Map<String, String> parseNetrc(String text) {
    Map<String, String> logins = new HashMap<>();
    List<String> tokens = List.of(text.trim().split("\\s+"));
    String host = null;
    String user = null;
    String password = null;
    for (int i = 0; i < tokens.size(); i++) {
      String token = tokens.get(i);
      String value = i + 1 < tokens.size() ? tokens.get(i + 1) : "";
      switch (token) {
        case "machine", "default" -> {
          if (host != null && user != null && password != null) {
            logins.put(host, user + ":" + password);
          }
          host = token.equals("machine") ? value.toLowerCase(Locale.ROOT) : null;
          user = null;
          password = null;
          if (token.equals("machine")) {
            i++;
          }
        }
        case "login" -> {
          user = value;
          i++;
        }
        case "password" -> {
          password = value;
          i++;
        }
        default -> { }
      }
    }
    if (host != null && user != null && password != null) {
      logins.put(host, user + ":" + password);
    }
    return logins;
  }
}
