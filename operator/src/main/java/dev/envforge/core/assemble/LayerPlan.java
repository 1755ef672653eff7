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
 * environments and a change of one small package changes one bucket.
 *
 * <p>Layers are in one global order, heavy first ({@link #ORDER}): single-package layers by {@link #sizeClass} of the
 * wheel, largest class first, then by package name; then buckets by number. A container runtime keeps an unpacked layer
 * under its chain ID (the layer and every layer below it), so two images on a node share unpacked layers only for a
 * common prefix: with heavy layers first, environments that share torch or CUDA wheels share those gigabytes, whatever
 * small packages follow. The rule depends only on the wheel (its size is that of the file the lock's sha256 names) and
 * the name, so two layers are in the same relative order in every environment; classes are decades, so a new version
 * of a package rarely moves it. Layers of a venv never overwrite each other, so the order changes no file.
 */
public final class LayerPlan {
  /** Docker allows 125 and CRI-O 128 layers; envforge keeps images at or under 100. */
  public static final int MAX_LAYERS = 100;
  /** Layers besides base and packages: the venv skeleton and the per-environment layer. */
  public static final int OWN_LAYERS = 2;
  public static final int BUCKETS = 16;
  /** The smallest size class holds wheels below 1 MB; each class above is ten times larger. */
  static final long SMALLEST_CLASS_LIMIT = 1_000_000L;

  /** The global order of single-package layers: larger size class first, then by name. */
  static final Comparator<Package> ORDER = Comparator.comparingInt((Package p) -> sizeClass(p.wheelSize())).reversed()
      .thenComparing(Package::name);

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
    checkFits(packages.size(), baseLayers);
    int available = MAX_LAYERS - baseLayers - OWN_LAYERS;
    List<Package> sorted = new ArrayList<>(packages);
    sorted.sort(ORDER);
    List<Layer> layers = new ArrayList<>();
    if (!needsBuckets(sorted.size(), baseLayers)) {
      sorted.forEach(p -> layers.add(new Layer(List.of(p), -1)));
      return layers;
    }
    int singles = available - BUCKETS;
    List<Package> bySize = new ArrayList<>(sorted);
    bySize.sort(Comparator.comparingLong(Package::wheelSize).reversed().thenComparing(Package::name));
    List<Package> heavy = new ArrayList<>(bySize.subList(0, singles));
    heavy.sort(ORDER);
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

  /** Refuses a base image that leaves no room for this many packages, with the limit in the message. */
  public static void checkFits(int packageCount, int baseLayers) {
    int available = MAX_LAYERS - baseLayers - OWN_LAYERS;
    if (available < BUCKETS + 1 && packageCount > available) {
      throw new IllegalArgumentException("the base image has " + baseLayers + " layers; with the venv, the "
          + packageCount + " packages and the environment layer the image would exceed " + MAX_LAYERS
          + " layers. Use a base image with at most " + (MAX_LAYERS - OWN_LAYERS - BUCKETS - 1)
          + " layers (or build with the Kaniko recipe)");
    }
    if (available < 1 && packageCount > 0) {
      throw new IllegalArgumentException("the base image has " + baseLayers + " layers, too many for "
          + MAX_LAYERS + " with the venv and the environment layer");
    }
  }

  /** Whether some packages must share bucket layers (then the largest wheels get layers of their own). */
  public static boolean needsBuckets(int packageCount, int baseLayers) {
    return packageCount > MAX_LAYERS - baseLayers - OWN_LAYERS;
  }

  /**
   * A wheel's size class: 0 below 1 MB, 1 below 10 MB, 2 below 100 MB, 3 below 1 GB, and so on, by decades. Coarse,
   * so that the few percent a new version adds or removes rarely cross a class limit.
   */
  static int sizeClass(long wheelSize) {
    int sizeClass = 0;
    long limit = SMALLEST_CLASS_LIMIT;
    while (wheelSize >= limit) {
      sizeClass++;
      if (limit > Long.MAX_VALUE / 10) {
        break;
      }
      limit *= 10;
    }
    return sizeClass;
  }

  /** A stable bucket: the first bytes of the name's sha256. */
  static int bucketOf(String name) {
    byte[] digest = LayerWriter.sha256().digest(name.getBytes(StandardCharsets.UTF_8));
    return ((digest[0] & 0xff) << 8 | (digest[1] & 0xff)) % BUCKETS;
  }
}
