package dev.envforge.core.assemble;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which packages go into which layer, and in which order, for an image of at most {@value #MAX_LAYERS} layers.
 *
 * <p>When every package fits, each gets its own layer. Otherwise the largest wheels get their own layers and the rest
 * go into {@value #BUCKETS} buckets chosen by a hash of the package name, so a package stays in the same bucket across
 * environments and a change of one small package changes one bucket. Layers are ordered by a global rule that does not
 * depend on the environment: single-package layers by package name, then buckets by number. (Layers of a venv never
 * overwrite each other, so the order changes no file; a fixed order keeps the image digest stable.)
 */
public final class LayerPlan {
  /** Docker allows 125 and CRI-O 128 layers; envforge keeps images at or under 100. */
  public static final int MAX_LAYERS = 100;
  /** Layers besides base and packages: the venv skeleton and the per-environment layer. */
  public static final int OWN_LAYERS = 2;
  public static final int BUCKETS = 16;

  /** A package to place: its name and the size of its wheel. */
  public record Package(String name, long wheelSize) {}

  /** One layer: its packages, sorted by name, and whether it is a bucket (with its number). */
  public record Layer(List<Package> packages, int bucket) {
    public boolean isBucket() {
      return bucket >= 0;
    }

    public String describe() {
      return isBucket() ? "bucket " + bucket + " (" + packages.size() + " packages)" : packages.get(0).name();
    }
  }

  private LayerPlan() {}

  public static List<Layer> plan(List<Package> packages, int baseLayers) {
    int available = MAX_LAYERS - baseLayers - OWN_LAYERS;
    if (available < BUCKETS + 1 && packages.size() > available) {
      throw new IllegalArgumentException("the base image has " + baseLayers + " layers; with the venv, the "
          + packages.size() + " packages and the environment layer the image would exceed " + MAX_LAYERS
          + " layers. Use a base image with at most " + (MAX_LAYERS - OWN_LAYERS - BUCKETS - 1)
          + " layers (or build with the Kaniko recipe)");
    }
    if (available < 1 && !packages.isEmpty()) {
      throw new IllegalArgumentException("the base image has " + baseLayers + " layers, too many for "
          + MAX_LAYERS + " with the venv and the environment layer");
    }
    List<Package> sorted = new ArrayList<>(packages);
    sorted.sort(Comparator.comparing(Package::name));
    List<Layer> layers = new ArrayList<>();
    if (sorted.size() <= available) {
      sorted.forEach(p -> layers.add(new Layer(List.of(p), -1)));
      return layers;
    }
    int singles = available - BUCKETS;
    List<Package> bySize = new ArrayList<>(sorted);
    bySize.sort(Comparator.comparingLong(Package::wheelSize).reversed().thenComparing(Package::name));
    List<Package> heavy = new ArrayList<>(bySize.subList(0, singles));
    heavy.sort(Comparator.comparing(Package::name));
    heavy.forEach(p -> layers.add(new Layer(List.of(p), -1)));
    Map<Integer, List<Package>> buckets = new TreeMap<>();
    for (Package p : bySize.subList(singles, bySize.size())) {
      buckets.computeIfAbsent(bucketOf(p.name()), b -> new ArrayList<>()).add(p);
    }
    buckets.forEach((bucket, members) -> {
      members.sort(Comparator.comparing(Package::name));
      layers.add(new Layer(List.copyOf(members), bucket));
    });
    return layers;
  }

  /** A stable bucket: the first bytes of the name's sha256. */
  static int bucketOf(String name) {
    byte[] digest = LayerWriter.sha256().digest(name.getBytes(StandardCharsets.UTF_8));
    return ((digest[0] & 0xff) << 8 | (digest[1] & 0xff)) % BUCKETS;
  }
}
