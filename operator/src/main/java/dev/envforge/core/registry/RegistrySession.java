package dev.envforge.core.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.envforge.core.registry.ManifestCheck.UnknownKind;
import dev.envforge.core.registry.RegistryClient.Failure;
import dev.envforge.core.registry.RegistryClient.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads and writes one repository of an OCI registry with the distribution protocol: blob HEAD, GET and upload
 * (monolithic POST+PUT, or chunked PATCHes for large blobs, streamed from a file or stream so size costs no heap),
 * cross-repository mount (falling back to an upload when the registry answers 202), manifest GET and PUT, and the
 * referrers API with the tag-schema fallback ({@code sha256-<hex>} tags holding an OCI index) for registries without
 * it.
 *
 * <p>Authentication is the {@link RegistryClient}'s: Basic, or Bearer tokens for {@code repository:<name>:pull,push}
 * plus {@code pull} on every mount source, with the same CA bundles and insecure registries. Get one with
 * {@link RegistryClient#session}. Every failure is a {@link RegistryException} whose message holds no secret.
 */
public final class RegistrySession {
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String OCTET_STREAM = "application/octet-stream";

  private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");
  private static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
  private static final int MAX_SMALL_BODY_BYTES = 64 * 1024;
  /** Time allowed per MiB of a request or answer body, on top of the request timeout. */
  private static final Duration PER_MIB = Duration.ofSeconds(2);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RegistryClient.Auth auth;
  private final String repository;
  private final long chunkSize;

  RegistrySession(RegistryClient.Auth auth, String repository, long chunkSize) {
    this.auth = auth;
    this.repository = repository;
    this.chunkSize = chunkSize;
  }

  /** How a blob got into the repository. */
  public enum BlobPush { PRESENT, MOUNTED, UPLOADED }

  /** A manifest as the registry holds it. */
  public record Manifest(String mediaType, byte[] content, String digest) { }

  /** The answer to a manifest PUT: its digest, and whether the registry said it indexed the {@code subject}. */
  public record PutManifest(String digest, boolean subjectIndexed) { }

  /** A descriptor as listed by the referrers API. */
  public record Referrer(String mediaType, String digest, long size, String artifactType,
      Map<String, String> annotations) { }

  /** Blob content that can be read again from any offset (a retry after a 401, the next chunk). */
  @FunctionalInterface
  public interface BlobContent {
    InputStream open(long offset) throws IOException;

    /** A file, positioned without reading what comes before. */
    static BlobContent of(Path file) {
      return offset -> {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        channel.position(offset);
        return Channels.newInputStream(channel);
      };
    }

    static BlobContent of(byte[] bytes) {
      return offset -> new java.io.ByteArrayInputStream(bytes, (int) offset, bytes.length - (int) offset);
    }
  }

  public String registry() {
    return auth.registry;
  }

  public String repository() {
    return repository;
  }

  /** The blob's size when the repository has it, empty on 404. */
  public Optional<Long> blobSize(String digest) throws RegistryException {
    requireDigest(digest);
    Reply reply = call("HEAD blob " + digest, a -> request("blobs/" + digest, a).method("HEAD", noBody()).build(), 0);
    if (reply.status() == 404) {
      return Optional.empty();
    }
    expect(reply, "HEAD blob " + digest, 200);
    return Optional.of(reply.headers().firstValueAsLong("Content-Length").orElse(-1));
  }

  /**
   * Puts a blob into the repository unless it is there: HEAD, then a mount from each of {@code mountFrom} (same
   * registry; the session must have been opened with them), then an upload. A mount is only a shortcut: a registry
   * that refuses it, with the upload session the distribution spec allows (202) or with a client error (401, 403,
   * 404, 405, ...), gets the blob uploaded instead.
   */
  public BlobPush pushBlob(String digest, long size, BlobContent content, List<String> mountFrom)
      throws RegistryException {
    if (blobSize(digest).isPresent()) {
      return BlobPush.PRESENT;
    }
    for (String from : mountFrom) {
      if (from.equals(repository)) {
        continue;
      }
      String what = "mount of " + digest + " from " + from;
      Reply reply;
      try {
        reply = call(what, a -> request("blobs/uploads/?mount=" + encode(digest) + "&from=" + encode(from), a)
            .POST(noBody()).build(), MAX_SMALL_BODY_BYTES);
      } catch (RegistryException e) {
        if (e.kind() != UnknownKind.UNAUTHORIZED) {
          throw e;
        }
        continue; // no right to read the source (or a registry that answers mounts 401): the upload says if it can
      }
      if (reply.status() == 201) {
        return BlobPush.MOUNTED;
      }
      if (reply.status() == 202 && reply.headers().firstValue("Location").isPresent()) {
        // The registry could not mount (another repository it cannot read, or no mount support): upload instead.
        upload(location(reply, what), digest, size, content);
        return BlobPush.UPLOADED;
      }
      if (reply.status() != 202 && (reply.status() < 400 || reply.status() >= 500)) {
        expect(reply, what, 201);
      }
    }
    uploadBlob(digest, size, content);
    return BlobPush.UPLOADED;
  }

  /** Uploads a blob whether or not it is there. */
  public void uploadBlob(String digest, long size, BlobContent content) throws RegistryException {
    requireDigest(digest);
    String what = "upload of " + digest;
    Reply reply = call(what, a -> request("blobs/uploads/", a).POST(noBody()).build(), MAX_SMALL_BODY_BYTES);
    expect(reply, what, 202);
    upload(location(reply, what), digest, size, content);
  }

  private void upload(URI location, String digest, long size, BlobContent content) throws RegistryException {
    String what = "upload of " + digest;
    URI next = location;
    long offset = 0;
    if (chunkSize > 0 && size > chunkSize) {
      while (offset < size) {
        long start = offset;
        long length = Math.min(chunkSize, size - offset);
        URI target = next;
        Reply reply = call(what, a -> upstreamRequest(target, a, length)
            .method("PATCH", body(content, start, length))
            .header("Content-Type", OCTET_STREAM)
            .header("Content-Range", start + "-" + (start + length - 1)).build(), MAX_SMALL_BODY_BYTES);
        expect(reply, what + " (bytes " + start + "-" + (start + length - 1) + ")", 202);
        next = location(reply, what);
        offset += length;
      }
    }
    long from = offset;
    long rest = size - offset;
    URI done = withQuery(next, "digest=" + encode(digest));
    Reply reply = call(what, a -> upstreamRequest(done, a, rest)
        .PUT(rest == 0 ? noBody() : body(content, from, rest))
        .header("Content-Type", OCTET_STREAM).build(), MAX_SMALL_BODY_BYTES);
    expect(reply, what, 201);
    String stored = reply.headers().firstValue("Docker-Content-Digest").orElse(digest);
    if (!stored.equals(digest)) {
      throw new RegistryException(UnknownKind.UNEXPECTED_RESPONSE, where() + " stored " + printable(stored)
          + " for an upload of " + digest);
    }
  }

  /** Puts a manifest under a tag or its digest and returns the digest the registry gave it (checked). */
  public PutManifest putManifest(String reference, String mediaType, byte[] manifest) throws RegistryException {
    String digest = "sha256:" + RegistryClient.sha256Hex(manifest);
    String what = "PUT manifest " + reference;
    Reply reply = call(what, a -> request("manifests/" + reference, a)
        .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest))
        .header("Content-Type", mediaType).build(), MAX_SMALL_BODY_BYTES);
    expect(reply, what, 201);
    String stored = reply.headers().firstValue("Docker-Content-Digest").orElse(digest);
    if (!stored.equals(digest)) {
      throw new RegistryException(UnknownKind.UNEXPECTED_RESPONSE, where() + " stored manifest " + printable(stored)
          + " for content whose digest is " + digest);
    }
    return new PutManifest(digest, reply.headers().firstValue("OCI-Subject").isPresent());
  }

  /** The manifest a tag or digest names, or empty on 404; by digest, the content is checked against it. */
  public Optional<Manifest> manifest(String reference) throws RegistryException {
    String what = "GET manifest " + reference;
    Reply reply = call(what, a -> request("manifests/" + reference, a).GET()
        .header("Accept", RegistryClient.MANIFEST_ACCEPT).build(), MAX_MANIFEST_BYTES);
    if (reply.status() == 404) {
      return Optional.empty();
    }
    expect(reply, what, 200);
    String digest = "sha256:" + RegistryClient.sha256Hex(reply.body());
    if (DIGEST.matcher(reference).matches() && !reference.equals(digest)) {
      throw new RegistryException(UnknownKind.UNEXPECTED_RESPONSE, where() + " answered " + what
          + " with content whose digest is " + digest);
    }
    String type = reply.headers().firstValue("Content-Type").orElse("").split(";")[0].trim();
    return Optional.of(new Manifest(type, reply.body(), digest));
  }

  /** A small blob (a config) read into memory, checked against its digest; at most {@code maxBytes}. */
  public byte[] blob(String digest, int maxBytes) throws RegistryException {
    requireDigest(digest);
    String what = "GET blob " + digest;
    Reply reply = call(what, a -> request("blobs/" + digest, a).GET().build(), maxBytes);
    if (reply.status() == 307 || reply.status() == 302 || reply.status() == 303) {
      URI elsewhere = location(reply, what);
      try {
        reply = RegistryClient.exchange(auth.client, HttpRequest.newBuilder(elsewhere).GET()
            .timeout(auth.requestTimeout()).build(), maxBytes, where() + ": " + what);
      } catch (Failure failure) {
        throw asException(failure);
      }
    }
    expect(reply, what, 200);
    if (!digest.equals("sha256:" + RegistryClient.sha256Hex(reply.body()))) {
      throw new RegistryException(UnknownKind.UNEXPECTED_RESPONSE, where() + " answered " + what
          + " with other content");
    }
    return reply.body();
  }

  /**
   * Streams a blob into a file, checking its digest on the way (the file is replaced only when it matches). A
   * redirect to storage elsewhere is followed once, without credentials.
   */
  public void downloadBlob(String digest, Path target) throws RegistryException {
    requireDigest(digest);
    String what = "GET blob " + digest;
    try {
      String authorization = auth.initialAuthorization();
      HttpResponse<InputStream> response = stream(request("blobs/" + digest, authorization).GET().build(), what);
      if (response.statusCode() == 401) {
        response.body().close();
        Reply challenge = new Reply(401, response.headers(), new byte[0]);
        authorization = auth.authorizationAfterChallenge(challenge, authorization);
        response = stream(request("blobs/" + digest, authorization).GET().build(), what);
      }
      if (response.statusCode() == 307 || response.statusCode() == 302 || response.statusCode() == 303) {
        response.body().close();
        URI elsewhere = location(new Reply(response.statusCode(), response.headers(), new byte[0]), what);
        response = stream(HttpRequest.newBuilder(elsewhere).GET().timeout(auth.requestTimeout()).build(), what);
      }
      if (response.statusCode() != 200) {
        byte[] start = response.body().readNBytes(MAX_SMALL_BODY_BYTES);
        response.body().close();
        expect(new Reply(response.statusCode(), response.headers(), start), what, 200);
      }
      Path partial = target.resolveSibling(target.getFileName() + ".partial");
      MessageDigest sha256 = sha256();
      try (InputStream in = new DigestInputStream(response.body(), sha256)) {
        Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
      }
      String got = "sha256:" + HexFormat.of().formatHex(sha256.digest());
      if (!got.equals(digest)) {
        Files.deleteIfExists(partial);
        throw new RegistryException(UnknownKind.UNEXPECTED_RESPONSE, where() + " answered " + what
            + " with content whose digest is " + got);
      }
      Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (Failure failure) {
      throw asException(failure);
    } catch (IOException e) {
      if (e instanceof RegistryException registryException) {
        throw registryException;
      }
      throw new RegistryException(UnknownKind.CONNECTION, where() + ": " + what + " failed: "
          + printable(String.valueOf(e.getMessage())));
    }
  }

  /**
   * The manifests that name {@code subject} as their subject, optionally only those of one artifact type: from the
   * referrers API, or, when the registry does not have it (404), from the {@code sha256-<hex>} tag's index.
   */
  public List<Referrer> referrers(String subject, String artifactType) throws RegistryException {
    requireDigest(subject);
    String what = "GET referrers of " + subject;
    String query = artifactType == null ? "" : "?artifactType=" + encode(artifactType);
    Reply reply = call(what, a -> request("referrers/" + subject + query, a).GET().header("Accept", OCI_INDEX)
        .build(), MAX_MANIFEST_BYTES);
    byte[] index;
    if (reply.status() == 200 && reply.headers().firstValue("Content-Type").orElse("").startsWith(OCI_INDEX)) {
      index = reply.body();
    } else if (reply.status() == 404) {
      Optional<Manifest> fallback = manifest(fallbackTag(subject));
      if (fallback.isEmpty()) {
        return List.of();
      }
      index = fallback.get().content();
    } else {
      expect(reply, what, 200);
      throw new RegistryException(UnknownKind.UNEXPECTED_RESPONSE, where() + " answered " + what
          + " without an OCI index");
    }
    List<Referrer> referrers = new ArrayList<>();
    for (JsonNode entry : readIndex(index, what).path("manifests")) {
      Referrer referrer = new Referrer(entry.path("mediaType").asText(), entry.path("digest").asText(),
          entry.path("size").asLong(), entry.path("artifactType").asText(null), annotations(entry));
      if (artifactType == null || artifactType.equals(referrer.artifactType())) {
        referrers.add(referrer);
      }
    }
    return referrers;
  }

  /**
   * Pushes a manifest that has a {@code subject} (by its digest) and makes it findable by {@link #referrers}: when
   * the registry does not answer {@code OCI-Subject}, the descriptor is added to the {@code sha256-<hex>} tag's index.
   */
  public String pushReferrer(String mediaType, byte[] manifest) throws RegistryException {
    JsonNode parsed = readIndex(manifest, "the referrer manifest");
    String subject = parsed.path("subject").path("digest").asText("");
    requireDigest(subject);
    String digest = "sha256:" + RegistryClient.sha256Hex(manifest);
    PutManifest put = putManifest(digest, mediaType, manifest);
    if (put.subjectIndexed()) {
      return digest;
    }
    String tag = fallbackTag(subject);
    ObjectNode index = manifest(tag).map(m -> (ObjectNode) readIndexUnchecked(m.content()))
        .orElseGet(() -> JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", OCI_INDEX));
    ArrayNode entries = index.withArray("manifests");
    for (JsonNode entry : entries) {
      if (digest.equals(entry.path("digest").asText())) {
        return digest;
      }
    }
    ObjectNode descriptor = entries.addObject().put("mediaType", mediaType).put("digest", digest)
        .put("size", manifest.length);
    String artifactType = parsed.path("artifactType").asText(parsed.path("config").path("mediaType").asText(""));
    if (!artifactType.isEmpty()) {
      descriptor.put("artifactType", artifactType);
    }
    if (parsed.path("annotations").isObject()) {
      descriptor.set("annotations", parsed.path("annotations"));
    }
    try {
      putManifest(tag, OCI_INDEX, JSON.writeValueAsBytes(index));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return digest;
  }

  /** The tag of the referrers fallback for a subject: {@code sha256-<hex>}. */
  public static String fallbackTag(String subject) {
    return subject.replace(':', '-');
  }

  // ---- requests

  private Reply call(String what, Function<String, HttpRequest> request, int maxBody) throws RegistryException {
    try {
      String authorization = auth.initialAuthorization();
      Reply reply = auth.send(request.apply(authorization), maxBody, where() + ": " + what);
      if (reply.status() == 401) {
        authorization = auth.authorizationAfterChallenge(reply, authorization);
        reply = auth.send(request.apply(authorization), maxBody, where() + ": " + what);
        if (reply.status() == 401) {
          throw auth.rejected(authorization);
        }
      }
      return reply;
    } catch (Failure failure) {
      throw asException(failure);
    } catch (UncheckedIOException e) {
      throw new RegistryException(UnknownKind.CONNECTION, where() + ": " + what + ": cannot read the content: "
          + printable(String.valueOf(e.getCause().getMessage())));
    }
  }

  private HttpResponse<InputStream> stream(HttpRequest request, String what) throws Failure {
    try {
      return auth.clientFor(request).send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure(UnknownKind.INTERRUPTED, where() + ": " + what + ": interrupted");
    } catch (IOException e) {
      throw RegistryClient.classify(e, where() + ": " + what, request);
    }
  }

  private HttpRequest.Builder request(String path, String authorization) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(auth.base.resolve(repository + "/" + path))
        .timeout(auth.requestTimeout());
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    return builder;
  }

  /** A request to an upload location, which may be on another host: credentials go only to the registry's host. */
  private HttpRequest.Builder upstreamRequest(URI target, String authorization, long bodyBytes) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(target)
        .timeout(auth.requestTimeout().plus(PER_MIB.multipliedBy(bodyBytes / (1024 * 1024) + 1)));
    if (authorization != null && target.getRawAuthority().equalsIgnoreCase(auth.base.getRawAuthority())) {
      builder.header("Authorization", authorization);
    }
    return builder;
  }

  private static HttpRequest.BodyPublisher body(BlobContent content, long offset, long length) {
    return HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> {
      try {
        return new BoundedInputStream(content.open(offset), length);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }), length);
  }

  private static HttpRequest.BodyPublisher noBody() {
    return HttpRequest.BodyPublishers.noBody();
  }

  private URI location(Reply reply, String what) throws RegistryException {
    String location = reply.headers().firstValue("Location").orElse(null);
    if (location == null) {
      throw new RegistryException(UnknownKind.UNEXPECTED_RESPONSE, where() + " answered " + what
          + " without a Location");
    }
    try {
      URI resolved = auth.base.resolve(new URI(location));
      if (!"http".equalsIgnoreCase(resolved.getScheme()) && !"https".equalsIgnoreCase(resolved.getScheme())) {
        throw new IllegalArgumentException("not http(s)");
      }
      return resolved;
    } catch (java.net.URISyntaxException | IllegalArgumentException e) {
      throw new RegistryException(UnknownKind.UNEXPECTED_RESPONSE, where() + " answered " + what
          + " with an invalid Location " + printable(location));
    }
  }

  private static URI withQuery(URI uri, String parameter) {
    String text = uri.toString();
    return URI.create(text + (uri.getRawQuery() == null ? "?" : "&") + parameter);
  }

  private void expect(Reply reply, String what, int status) throws RegistryException {
    if (reply.status() == status) {
      return;
    }
    if (reply.status() == 401 || reply.status() == 403) {
      throw new RegistryException(UnknownKind.UNAUTHORIZED, auth.scrub(where() + " denied " + what + " (HTTP "
          + reply.status() + ")" + RegistryClient.errorDetail(reply)));
    }
    Failure failure = RegistryClient.failureForStatus(where() + ": " + what, reply);
    throw asException(failure);
  }

  private RegistryException asException(Failure failure) {
    return new RegistryException(failure.kind(), auth.scrub(failure.getMessage()));
  }

  private String where() {
    return "registry " + auth.registry + " repository " + repository;
  }

  private static JsonNode readIndex(byte[] bytes, String what) throws RegistryException {
    try {
      JsonNode node = JSON.readTree(bytes);
      if (node == null || !node.isObject()) {
        throw new IOException("not a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw new RegistryException(UnknownKind.UNEXPECTED_RESPONSE, what + " is not a JSON object");
    }
  }

  private static JsonNode readIndexUnchecked(byte[] bytes) {
    try {
      return readIndex(bytes, "the referrers index");
    } catch (RegistryException e) {
      return JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", OCI_INDEX);
    }
  }

  private static Map<String, String> annotations(JsonNode entry) {
    Map<String, String> annotations = new LinkedHashMap<>();
    entry.path("annotations").fields().forEachRemaining(e -> annotations.put(e.getKey(), e.getValue().asText()));
    return Map.copyOf(annotations);
  }

  private static void requireDigest(String digest) {
    if (!DIGEST.matcher(digest).matches()) {
      throw new IllegalArgumentException("not a sha256 digest: " + printable(digest));
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static String printable(String text) {
    return RegistryClient.printable(text);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads at most {@code limit} bytes of a stream, then reports its end. */
  private static final class BoundedInputStream extends InputStream {
    private final InputStream in;
    private long left;

    BoundedInputStream(InputStream in, long limit) {
      this.in = in;
      this.left = limit;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        return -1;
      }
      int b = in.read();
      if (b >= 0) {
        left--;
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = in.read(buffer, offset, (int) Math.min(length, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
