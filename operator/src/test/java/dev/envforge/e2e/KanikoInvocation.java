package dev.envforge.e2e;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The arguments of a Kaniko executor container (exec form, {@code --flag=value} or {@code --flag value}), read as
 * Kaniko reads them. Flags that change what is built or where it goes and that {@link KanikoJobExecutor} cannot
 * reproduce with buildah are refused, so a build is never silently different from the one Kaniko would run.
 *
 * @param dockerfile the Dockerfile's path, relative to the context unless absolute
 * @param contextDirectory the context folder inside the container ({@code --context=dir://...})
 * @param destinations where the image is pushed
 * @param digestFile where the pushed manifest's digest is written, if anywhere
 * @param insecureRegistries registries reached over plain HTTP ({@code --insecure-registry})
 * @param insecure whether every push may use plain HTTP ({@code --insecure})
 * @param insecurePull whether every pull may use plain HTTP ({@code --insecure-pull})
 * @param customPlatform the image's platform ({@code --custom-platform}), if set
 * @param reproducible whether timestamps are stripped from the image ({@code --reproducible})
 * @param ignorePaths paths left out of every snapshot ({@code --ignore-path})
 */
public record KanikoInvocation(String dockerfile, String contextDirectory, List<String> destinations,
    Optional<String> digestFile, Set<String> insecureRegistries, boolean insecure, boolean insecurePull,
    Optional<String> customPlatform, boolean reproducible, List<String> ignorePaths) {

  /** A flag this emulation does not reproduce. */
  public static final class UnsupportedFlag extends IllegalArgumentException {
    UnsupportedFlag(String message) {
      super(message);
    }
  }

  /** Flags without a value (booleans) that Kaniko accepts as {@code --flag} or {@code --flag=true|false}. */
  private static final Set<String> BOOLEAN_FLAGS = Set.of("insecure", "insecure-pull", "reproducible", "cache",
      "no-push", "cleanup", "single-snapshot", "skip-tls-verify", "skip-tls-verify-pull", "use-new-run");

  /** Reads the arguments; the defaults are Kaniko's (Dockerfile, context /workspace). */
  public static KanikoInvocation parse(List<String> args) {
    String dockerfile = "Dockerfile";
    String context = "/workspace";
    List<String> destinations = new ArrayList<>();
    String digestFile = null;
    Set<String> insecureRegistries = new LinkedHashSet<>();
    boolean insecure = false;
    boolean insecurePull = false;
    String platform = null;
    boolean reproducible = false;
    List<String> ignorePaths = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("--")) {
        throw new UnsupportedFlag("positional argument " + arg + ": Kaniko takes flags only");
      }
      String name;
      String value;
      int eq = arg.indexOf('=');
      if (eq >= 0) {
        name = arg.substring(2, eq);
        value = arg.substring(eq + 1);
      } else {
        name = arg.substring(2);
        if (BOOLEAN_FLAGS.contains(name)) {
          value = "true";
        } else if (i + 1 < args.size()) {
          value = args.get(++i);
        } else {
          throw new UnsupportedFlag("flag --" + name + " has no value");
        }
      }
      switch (name) {
        case "dockerfile", "f" -> dockerfile = value;
        case "context", "c" -> context = contextDirectory(value);
        case "destination", "d" -> destinations.add(value);
        case "digest-file" -> digestFile = value;
        case "insecure-registry" -> insecureRegistries.add(value);
        case "insecure" -> insecure = Boolean.parseBoolean(value);
        case "insecure-pull" -> insecurePull = Boolean.parseBoolean(value);
        case "custom-platform" -> platform = value;
        case "reproducible" -> reproducible = Boolean.parseBoolean(value);
        // buildah commits one layer per instruction and never the content of a mounted folder: the same outcome
        // as Kaniko's full-filesystem snapshots that leave these paths (and every mount point) out
        case "ignore-path" -> ignorePaths.add(value);
        case "snapshot-mode" -> {
          if (!Set.of("full", "redo", "time").contains(value)) {
            throw new UnsupportedFlag("--snapshot-mode=" + value + " is not a Kaniko snapshot mode");
          }
        }
        case "cache" -> {
          if (Boolean.parseBoolean(value)) {
            throw new UnsupportedFlag("--cache=true: Kaniko's layer cache in a registry is not reproduced");
          }
        }
        default -> throw new UnsupportedFlag("--" + name + " is not reproduced by this Kaniko emulation");
      }
    }
    if (destinations.isEmpty()) {
      throw new UnsupportedFlag("no --destination: a build that pushes nothing is not what envforge runs");
    }
    return new KanikoInvocation(dockerfile, context, List.copyOf(destinations), Optional.ofNullable(digestFile),
        Set.copyOf(insecureRegistries), insecure, insecurePull, Optional.ofNullable(platform), reproducible,
        List.copyOf(ignorePaths));
  }

  /** Whether pushing to this registry ({@code host[:port]}) goes over plain HTTP. */
  public boolean pushesInsecurely(String registry) {
    return insecure || insecureRegistries.contains(registry);
  }

  /** Whether pulling from this registry goes over plain HTTP. */
  public boolean pullsInsecurely(String registry) {
    return insecurePull || insecureRegistries.contains(registry);
  }

  /** The registry part of an image reference, as Docker reads it (docker.io when the first part is no host). */
  public static String registryOf(String reference) {
    int slash = reference.indexOf('/');
    if (slash < 0) {
      return "docker.io";
    }
    String first = reference.substring(0, slash);
    return first.contains(".") || first.contains(":") || first.equals("localhost") ? first : "docker.io";
  }

  private static String contextDirectory(String value) {
    if (value.startsWith("dir://")) {
      return value.substring("dir://".length());
    }
    if (value.startsWith("/")) {
      return value;
    }
    throw new UnsupportedFlag("--context=" + value + ": only local folders (dir://) are reproduced");
  }
}
