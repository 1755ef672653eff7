package dev.envforge.operator;

import dev.envforge.core.hash.PlanHasher;
import dev.envforge.core.registry.ImageReference;
import dev.envforge.core.registry.ManifestCheck;
import dev.envforge.core.registry.RegistryCheckListener;
import dev.envforge.core.registry.RegistryClient;
import dev.envforge.core.registry.RegistryCredentials;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One registry client per distinct access (credentials, CA, plain HTTP), so resources that share a push Secret's
 * content share one client and its cache of positive answers. Clients are keyed by a hash of the access, never by
 * the secret text itself.
 */
public final class PooledImageRegistry implements ImageRegistry {
  private static final int MAX_CLIENTS = 256;

  private final Duration cacheTtl;
  private final Duration requestTimeout;
  private final RegistryCheckListener listener;
  private final Map<String, RegistryClient> clients = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, RegistryClient> eldest) {
      return size() > MAX_CLIENTS;
    }
  };

  public PooledImageRegistry(Duration cacheTtl, Duration requestTimeout, RegistryCheckListener listener) {
    this.cacheTtl = cacheTtl;
    this.requestTimeout = requestTimeout;
    this.listener = listener;
  }

  @Override
  public ManifestCheck check(ImageReference image, RegistryAccess access) {
    return client(image.registry(), access).check(image);
  }

  private RegistryClient client(String registry, RegistryAccess access) {
    String key = PlanHasher.sha256Hex(registry + "\n" + access.dockerConfigJson() + "\n" + access.caPem() + "\n"
        + access.insecure());
    synchronized (clients) {
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
