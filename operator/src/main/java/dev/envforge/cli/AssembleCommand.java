package dev.envforge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.envforge.core.assemble.AssembleRefusedException;
import dev.envforge.core.assemble.BaseImageReader;
import dev.envforge.core.assemble.BlobStore.Descriptor;
import dev.envforge.core.assemble.ImageAssembler;
import dev.envforge.core.assemble.LayerPlan;
import dev.envforge.core.assemble.RegistryBlobStore;
import dev.envforge.core.assemble.VenvLayout;
import dev.envforge.core.assemble.WheelChoice;
import dev.envforge.core.assemble.WheelFetcher;
import dev.envforge.core.plan.PackageSource;
import dev.envforge.core.plan.PlannedPackage;
import dev.envforge.core.planner.VariantPlan;
import dev.envforge.core.recipe.Builder;
import dev.envforge.core.registry.ImageReference;
import dev.envforge.core.registry.RegistryClient;
import dev.envforge.core.registry.RegistrySession;
import dev.envforge.core.registry.RegistrySession.BlobContent;
import dev.envforge.core.text.Texts;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "assemble", mixinStandardHelpOptions = true,
    description = "Assembles a variant's image from wheels, one layer per package, and pushes it: no container"
        + " runtime, no root. Prints REPO:TAG@sha256:... Exit 4 when the plan or base cannot be assembled (a package"
        + " without a compatible wheel, a musl base, too many base layers): build it with the Kaniko recipe instead.")
final class AssembleCommand implements Callable<Integer> {
  /** The plan or the base image cannot be assembled; the Kaniko recipe can build it. */
  static final int EXIT_NOT_ASSEMBLABLE = 4;

  @Mixin ProjectOptions project;
  @Mixin RecipeOptions recipe;

  @Option(names = "--to", required = true, paramLabel = "REPO[:TAG]",
      description = "Where to push; without a tag, the variant's envforge tag.")
  String to;

  @Option(names = "--cache-repo", paramLabel = "REPO",
      description = "The layer cache repository, on the same registry (default: REPO/cache).")
  String cacheRepo;

  @Option(names = "--index-url", paramLabel = "URL",
      description = "A mirror of the lock's package index to download wheels from (PEP 503 simple index).")
  String indexUrl;

  @Option(names = "--docker-config", paramLabel = "FILE",
      description = "Registry logins, as a .dockerconfigjson (default: $DOCKER_CONFIG/config.json, else"
          + " ~/.docker/config.json, when it exists; none: anonymous).")
  Path dockerConfig;

  @Option(names = "--insecure", description = "Plain HTTP to the registry of --to (and so of --cache-repo).")
  boolean insecure;

  @Option(names = "--insecure-registry", paramLabel = "HOST[:PORT]",
      description = "Plain HTTP to this registry too, such as the base image's; may be repeated.")
  List<String> insecureRegistries = new ArrayList<>();

  @Option(names = "--registry-ca", paramLabel = "FILE",
      description = "PEM certificates to trust for the registry of --to, besides the system's.")
  Path registryCa;

  @Option(names = "--cache-dir", paramLabel = "DIR",
      description = "Downloaded wheels and base-image facts (default: $XDG_CACHE_HOME/envforge, else"
          + " ~/.cache/envforge).")
  Path cacheDir;

  @Option(names = "--json", description = "Print one JSON object: {\"image\", \"digest\", \"tag\", \"layers\","
      + " \"builtLayers\", \"foundLayers\", \"blobs\"}.")
  boolean json;

  @Spec CommandSpec spec;

  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public Integer call() throws IOException {
    if ("kaniko".equalsIgnoreCase(recipe.builder)) {
      throw new IllegalArgumentException("--builder kaniko: assemble builds with the assembler; give --builder"
          + " assemble or auto (the tag is then the one the operator computes for an assembled image)");
    }
    VariantPlan plan = project.plan(recipe);
    if (plan.recipe().builder() != Builder.ASSEMBLE) {
      // under auto the operator builds this plan with Kaniko, under a Kaniko tag: assembling it would mislabel it
      return notAssemblable(plan.builderReason());
    }
    ImageReference target = parse("--to", to);
    boolean tagGiven = to.lastIndexOf(':') > to.lastIndexOf('/');
    String tag = tagGiven ? target.tag() : plan.hash().tag();
    if (target.digest() != null) {
      throw new IllegalArgumentException("--to: expected REPO or REPO:TAG, got a digest: " + Texts.quote(to));
    }
    ImageReference cache = parse("--cache-repo", cacheRepo != null ? cacheRepo
        : target.registry() + "/" + target.repository() + "/cache");
    ImageReference base = parse("--base-image", plan.recipe().baseImage());

    RegistryClient.Builder builder = RegistryClient.builder().credentials(DockerConfig.credentials(dockerConfig))
        .requestTimeout(java.time.Duration.ofSeconds(60));
    if (insecure) {
      builder.insecureRegistry(target.registry());
    }
    insecureRegistries.forEach(builder::insecureRegistry);
    if (registryCa != null) {
      builder.caCertificates(target.registry(), Files.readString(registryCa, StandardCharsets.US_ASCII));
    }
    RegistryClient client = builder.build();
    boolean baseOnTargetRegistry = base.registry().equals(target.registry());
    List<String> mountSources = new ArrayList<>(List.of(cache.repository()));
    if (baseOnTargetRegistry) {
      mountSources.add(base.repository());
    }
    RegistrySession targetSession = client.session(target, true, mountSources);
    RegistrySession cacheSession = client.session(cache, true, List.of(target.repository()));
    RegistrySession baseSession = client.session(base, false, List.of());
    Path caches = cacheDir != null ? cacheDir : defaultCacheDir();
    Path work = Files.createTempDirectory("envforge-assemble-");
    try {
      return assemble(plan, target.withTag(tag), base, targetSession, cacheSession, baseSession, baseOnTargetRegistry,
          caches, work);
    } catch (AssembleRefusedException e) {
      return notAssemblable(e.getMessage());
    } finally {
      deleteTree(work);
    }
  }

  /** One line saying why, and the exit status that tells a caller to build with the Kaniko recipe. */
  private int notAssemblable(String reason) {
    spec.commandLine().getErr().println(Texts.oneLine("envforge: cannot assemble: " + reason
        + " (build with the Kaniko recipe instead)"));
    spec.commandLine().getErr().flush();
    return EXIT_NOT_ASSEMBLABLE;
  }

  private int assemble(VariantPlan plan, ImageReference image, ImageReference base, RegistrySession targetSession,
      RegistrySession cacheSession, RegistrySession baseSession, boolean baseOnTargetRegistry, Path caches,
      Path work) throws IOException {
    BaseImageReader.Base baseImage = BaseImageReader.read(baseSession, base.toString(), base.manifestReference(),
        plan.recipe().platform(), work, caches.resolve("bases"), cacheSession);
    BaseImageReader.Facts facts = baseImage.facts();
    String planMinor = minor(plan.recipe().python());
    if (!facts.python().minor().equals(planMinor)) {
      throw new IllegalArgumentException("the plan is for Python " + plan.recipe().python() + " but base image "
          + base + " has Python " + facts.python().version() + "; give --python " + facts.python().version()
          + " or another --base-image");
    }

    List<String> refusals = new ArrayList<>();
    List<ImageAssembler.Wheel> wheels = new ArrayList<>();
    Map<String, WheelChoice.Choice> choices = new HashMap<>();
    WheelChoice.Chooser chooser = WheelChoice.forInterpreter(facts.interpreter());
    for (PlannedPackage pkg : plan.plan().packages()) {
      WheelChoice.Choice choice = chooser.choose(pkg);
      if (!choice.isAssemblable()) {
        refusals.add(choice.refusal());
        continue;
      }
      choices.put(pkg.name(), choice);
      wheels.add(new ImageAssembler.Wheel(pkg.name(), pkg.version(), null, choice.sha256()));
    }
    if (!refusals.isEmpty()) {
      throw new AssembleRefusedException(refusals.size() + " of " + plan.plan().packages().size()
          + " packages have no wheel to install: " + String.join("; ", refusals));
    }
    try {
      LayerPlan.checkFits(wheels.size(), baseImage.image().layers().size());
    } catch (IllegalArgumentException e) {
      throw new AssembleRefusedException(e.getMessage());
    }

    RegistryBlobStore store = new RegistryBlobStore(targetSession, cacheSession);
    for (Descriptor layer : baseImage.image().layers()) {
      BlobContent download = offset -> {
        Path file = work.resolve("base-" + layer.digest().substring(7));
        if (!Files.exists(file)) {
          baseSession.downloadBlob(layer.digest(), file);
        }
        return BlobContent.of(file).open(offset);
      };
      if (baseOnTargetRegistry) {
        store.mount(layer.digest(), layer.size(), baseSession.repository(), download);
      } else if (!store.has(layer.digest())) {
        Path file = work.resolve("base-" + layer.digest().substring(7));
        baseSession.downloadBlob(layer.digest(), file);
        store.put(file, layer.digest(), layer.size());
        Files.deleteIfExists(file);
      }
    }

    String defaultIndex = plan.plan().indexes().isEmpty() ? null : plan.plan().indexes().get(0);
    WheelFetcher fetcher = new WheelFetcher(caches.resolve("wheels"), indexUrl, netrc());
    ImageAssembler.WheelFiles files = new ImageAssembler.WheelFiles() {
      @Override
      public long size(ImageAssembler.Wheel wheel) throws IOException {
        WheelChoice.Choice c = choices.get(wheel.name());
        return fetcher.size(wheel.name(), c.wheel(), source(c.pkg(), defaultIndex), c.sha256()).orElseGet(() -> {
          try {
            return Files.size(file(wheel));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
      }

      @Override
      public Path file(ImageAssembler.Wheel wheel) throws IOException {
        WheelChoice.Choice c = choices.get(wheel.name());
        return fetcher.fetch(wheel.name(), c.wheel(), source(c.pkg(), defaultIndex), c.sha256());
      }
    };
    ImageAssembler.Request request = new ImageAssembler.Request(baseImage.image(), facts.python(),
        VenvLayout.standard(facts.python().minor()), facts.activateTemplates(), wheels,
        new ImageAssembler.Labels(plan.hash().hex(), plan.variant(), plan.lockDigest()), image.tag());
    ImageAssembler.Result result = ImageAssembler.assemble(request, store, work, files);
    print(image, result, store);
    return Main.EXIT_OK;
  }

  private static PackageSource source(PlannedPackage pkg, String defaultIndex) {
    if (pkg.source() != null || defaultIndex == null) {
      return pkg.source();
    }
    return PackageSource.registry(defaultIndex);
  }

  private void print(ImageReference image, ImageAssembler.Result result, RegistryBlobStore store) throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    String reference = image.registry() + "/" + image.repository() + ":" + image.tag() + "@" + result.manifestDigest();
    if (json) {
      Map<String, Object> document = new LinkedHashMap<>();
      document.put("image", reference);
      document.put("digest", result.manifestDigest());
      document.put("tag", image.tag());
      document.put("layers", result.layers().size());
      document.put("builtLayers", result.builtLayers());
      document.put("foundLayers", result.foundLayers());
      Map<String, Integer> blobs = new LinkedHashMap<>();
      store.counts().forEach((kind, count) -> blobs.put(kind.name().toLowerCase(java.util.Locale.ROOT), count));
      document.put("blobs", blobs);
      out.println(JSON.writeValueAsString(document));
    } else {
      out.println(reference);
    }
    out.flush();
  }

  private static String minor(String version) {
    String[] parts = version.split("\\.");
    return parts[0] + "." + parts[1];
  }

  private static Path defaultCacheDir() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    return xdg != null && !xdg.isBlank() ? Path.of(xdg, "envforge")
        : Path.of(System.getProperty("user.home"), ".cache", "envforge");
  }

  private static String netrc() throws IOException {
    String path = System.getenv("NETRC");
    Path file = path != null ? Path.of(path) : Path.of(System.getProperty("user.home"), ".netrc");
    return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
  }

  private static ImageReference parse(String option, String text) {
    try {
      return ImageReference.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(option + " " + Texts.quote(text) + ": " + e.getMessage(), e);
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary folder: left for the system to clean
    }
  }
}
