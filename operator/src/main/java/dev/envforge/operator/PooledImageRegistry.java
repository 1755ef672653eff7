package dev.envforge.operator;

import dev.envforge.core.buildlog.LogRegistry;
import dev.envforge.core.cache.BoundedCache;
import dev.envforge.core.hash.PlanHasher;
import dev.envforge.core.registry.RegistryException;
import dev.envforge.core.registry.ImageReference;
import dev.envforge.core.registry.ManifestCheck;
import dev.envforge.core.registry.RegistryCheckListener;
import dev.envforge.core.registry.RegistryClient;
import dev.envforge.core.registry.RegistryCredentials;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One registry client per distinct access (credentials, CA, plain HTTP), so resources that share a push Secret's
 * content share one client and its cache of positive answers. Clients are keyed by a hash of the access, never by
 * the secret text itself.
 */
public final class PooledImageRegistry implements ImageRegistry, BuildLogStore {
  private static final int MAX_CLIENTS = 256;

  private final Duration cacheTtl;
  private final Duration requestTimeout;
  private final RegistryCheckListener listener;
  private final BoundedCache<String, RegistryClient> clients = new BoundedCache<>(MAX_CLIENTS);

  public PooledImageRegistry(Duration cacheTtl, Duration requestTimeout, RegistryCheckListener listener) {
    this.cacheTtl = cacheTtl;
    this.requestTimeout = requestTimeout;
    this.listener = listener;
  }

  /** Checks under way, so that resources asking for the same image at once share one request. */
  private final ConcurrentHashMap<String, CompletableFuture<ManifestCheck>> inFlight = new ConcurrentHashMap<>();

  @Override
  public ManifestCheck check(ImageReference image, RegistryAccess access, Instant notBefore) {
    // a check that must be fresh does not join one that may answer from the cache
    String key = accessKey(image.registry(), access) + "\n" + image + "\n" + notBefore;
    CompletableFuture<ManifestCheck> mine = new CompletableFuture<>();
    CompletableFuture<ManifestCheck> running = inFlight.putIfAbsent(key, mine);
    if (running != null) {
      return running.join();
    }
    try {
      ManifestCheck check = client(image.registry(), access).check(image, notBefore);
      mine.complete(check);
      return check;
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      inFlight.remove(key, mine);
    }
  }

  @Override
  public Stored store(ImageReference image, String imageDigest, RegistryAccess access, byte[] log,
      java.util.Map<String, String> annotations) throws StoreFailure {
    try {
      LogRegistry.StoredLog stored = LogRegistry.store(client(image.registry(), access).session(image, true,
          java.util.List.of()), image, imageDigest, log, annotations);
      return new Stored(stored.reference(), stored.referrer());
    } catch (RegistryException e) {
      throw new StoreFailure(e.getMessage());
    }
  }

  private static String accessKey(String registry, RegistryAccess access) {
    return PlanHasher.sha256Hex(registry + "\n" + access.dockerConfigJson() + "\n" + access.caPem() + "\n"
        + access.insecure());
  }

  private RegistryClient client(String registry, RegistryAccess access) {
    String key = accessKey(registry, access);
    synchronized (clients) {
      RegistryClient existing = clients.get(key);
      if (existing != null) {
        return existing;
      }
      return clients.computeIfAbsent(key, k -> {
        RegistryClient.Builder builder = RegistryClient.builder()
            .cacheTtl(cacheTtl)
            // one limit for both: an address that drops packets must not hold a reconcile longer than a slow answer
            .connectTimeout(requestTimeout)
            .requestTimeout(requestTimeout)
            .listener(listener);
        if (access.dockerConfigJson() != null) {
          builder.credentials(RegistryCredentials.fromDockerConfigJson(access.dockerConfigJson()));
        }
        if (access.caPem() != null) {
          builder.caCertificates(registry, access.caPem());
        }
        if (access.insecure()) {
          builder.insecureRegistry(registry);
        }
        return builder.build();
      });
    }
  }
}
