package dev.envforge.operator;

/**
 * How to reach one resource's registry. Holds secret material: never log it, never put it in status.
 *
 * @param dockerConfigJson the push Secret's {@code .dockerconfigjson}, or null for anonymous access
 * @param caPem a PEM bundle the registry's certificate chains to, or null for the JVM's trust store
 * @param insecure whether plain HTTP is allowed
 */
public record RegistryAccess(String dockerConfigJson, String caPem, boolean insecure) {
  @Override
  public String toString() {
    return "RegistryAccess[credentials=" + (dockerConfigJson == null ? "none" : "***") + ", customCa="
        + (caPem != null) + ", insecure=" + insecure + "]";
  }
}
