package dev.envforge.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.envforge.api.CrdSchemaValidator;
import dev.envforge.api.GeneratedCrd;
import dev.envforge.api.v1alpha1.PythonEnvironment;
import dev.envforge.api.v1alpha1.PythonEnvironmentSpec;
import dev.envforge.cli.CliRunner;
import dev.envforge.cli.CliRunner.Result;
import dev.envforge.core.plan.PackageSource;
import dev.envforge.core.plan.PlannedPackage;
import dev.envforge.core.planner.EnvironmentPlanner;
import dev.envforge.core.planner.PlanningRequest;
import dev.envforge.core.planner.VariantPlan;
import dev.envforge.core.planner.VariantRequest;
import dev.envforge.core.recipe.BuildContext;
import dev.envforge.core.registry.ImageReference;
import dev.envforge.examples.Kustomize.FileSource;
import dev.envforge.examples.Kustomize.Generator;
import dev.envforge.examples.Kustomize.Kustomization;
import dev.envforge.operator.ProjectSourceLoader;
import dev.envforge.operator.SpecPlanning;
import dev.envforge.operator.ProjectSourceLoader.LoadedProject;
import dev.envforge.testing.Corpus;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every folder under {@code examples/} works as its README says: its manifests are accepted by the CRD's schema and
 * read by the Java types, its ConfigMaps and Secrets are well-formed, its project files are the real lock files of
 * the test corpus, and every variant of every PythonEnvironment resolves and hashes from the ConfigMap that
 * kustomize produces, read by the operator's own {@link ProjectSourceLoader}. The README's package counts, the
 * Secrets' fit to the project (netrc hosts, registry) and the gitops example's hash-suffixed name reference are
 * checked too.
 *
 * <p>With kubectl on the PATH the objects are those of {@code kubectl kustomize}; without it, the same objects built
 * by {@link Kustomize.Kustomization#buildWithoutKubectl()}, and the checks of kustomize's own output are skipped.
 */
class ExamplesTest {

  private static final String PROJECT_DIR = "project";
  private static final String SOURCE_FILE = "SOURCE.txt";
  /** The upstream project's licence text, kept next to SOURCE.txt; like it, not a project file. */
  private static final String LICENSE_FILE = "LICENSE";
  private static final Set<String> PROVENANCE_FILES = Set.of(SOURCE_FILE, LICENSE_FILE);
  private static final String NAMESPACE = "default";
  /** The placeholder registry every example pushes to. */
  private static final String PLACEHOLDER_REGISTRY = "registry.example.com";
  /** The API server's limit on a ConfigMap's or Secret's data. */
  private static final int MAX_OBJECT_DATA_BYTES = 1024 * 1024;
  /** The API server's limit on all annotations of an object, which client-side apply fills with the object. */
  private static final int MAX_ANNOTATION_BYTES = 256 * 1024;
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
  private static final Pattern DATA_KEY = Pattern.compile("^[-._a-zA-Z0-9]{1,253}$");
  private static final Pattern TAG = Pattern.compile("^ef-[0-9a-f]{32}$");
  private static final Pattern README_VARIANT_ROW = Pattern.compile("(?m)^\\| `([a-z0-9-]+)` \\|.*\\| (\\d+) \\|$");
  private static final Pattern NETRC_MACHINE = Pattern.compile("(?m)^\\s*machine\\s+(\\S+)");

  private static final CrdSchemaValidator VALIDATOR = CrdSchemaValidator.of(GeneratedCrd.bytes());
  /** Refuses fields the Java types do not know, so a typo in an example cannot pass unnoticed. */
  private static final ObjectMapper STRICT_YAML =
      new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  /** Reads objects the way the operator's client does. */
  private static final KubernetesSerialization KUBERNETES = new KubernetesSerialization();
  private static final Map<Path, List<JsonNode>> RENDERED = new ConcurrentHashMap<>();

  static Path examplesRoot() {
    return GeneratedCrd.repoRoot().resolve("examples");
  }

  static Stream<Arguments> examples() throws IOException {
    List<Path> dirs;
    try (Stream<Path> listing = Files.list(examplesRoot())) {
      dirs = listing.filter(Files::isDirectory).sorted().toList();
    }
    assertThat(dirs).as("example folders under %s", examplesRoot()).isNotEmpty();
    return dirs.stream().map(dir -> Arguments.of(Named.of(dir.getFileName().toString(), dir)));
  }

  /** The examples with an image marked by a setter comment (the GitOps loop kept in step by envforge sync). */
  static Stream<Arguments> examplesWithSetters() throws IOException {
    List<Arguments> marked = examples().filter(arguments -> {
      Path dir = (Path) ((Named<?>) arguments.get()[0]).getPayload();
      return yamlFiles(dir).stream().anyMatch(ExamplesTest::hasSetter);
    }).toList();
    assertThat(marked).as("an example keeps a Deployment in step with envforge sync").isNotEmpty();
    return marked.stream();
  }

  @Test
  void theIndexListsEveryExampleOnOneLine() throws IOException {
    List<String> index = Files.readAllLines(examplesRoot().resolve("README.md"), StandardCharsets.UTF_8);
    try (Stream<Path> listing = Files.list(examplesRoot())) {
      List<String> names = listing.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
      assertThat(names).contains("poetry-variants", "uv-workspace", "private-index", "gitops");
      for (String name : names) {
        assertThat(index).as("examples/README.md links %s/ on one line", name)
            .filteredOn(line -> line.contains("](" + name + "/)")).hasSize(1);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void readmeSaysWhatTheExampleShowsOnItsFirstLine(Path dir) throws IOException {
    List<String> readme = Files.readAllLines(dir.resolve("README.md"), StandardCharsets.UTF_8);
    assertThat(readme).isNotEmpty();
    assertThat(readme.get(0)).startsWith("# ");
    assertThat(readme.get(0).substring(2).trim()).hasSizeGreaterThan(20);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void projectFilesAreByteIdenticalCopiesOfACorpusCase(Path dir) throws IOException {
    Path project = dir.resolve(PROJECT_DIR);
    Path corpusCase = corpusCaseOf(project);
    assertThat(relativeFiles(project)).as("files of %s and of corpus case %s", project, corpusCase.getFileName())
        .isEqualTo(relativeFiles(corpusCase));
    for (String file : relativeFiles(project)) {
      assertThat(Files.readAllBytes(project.resolve(file))).as("%s is byte-identical to the corpus", file)
          .isEqualTo(Files.readAllBytes(corpusCase.resolve(file)));
    }
    assertThat(Files.readString(project.resolve(SOURCE_FILE))).as("the licence is recorded")
        .containsPattern("(?m)^licence: (MIT|Apache-2\\.0) ");
    assertThat(project.resolve(LICENSE_FILE)).as("the upstream licence text is kept").isNotEmptyFile();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void everyYamlDocumentIsWellFormed(Path dir) throws IOException {
    Set<Path> kustomizeFiles = new TreeSet<>();
    if (Files.exists(dir.resolve(Kustomize.KUSTOMIZATION))) {
      kustomizeFiles.add(dir.resolve(Kustomize.KUSTOMIZATION));
      Kustomization kustomization = Kustomization.read(dir);
      for (Path configuration : kustomization.configurations()) {
        kustomizeFiles.add(configuration);
        JsonNode config = Kustomize.documents(configuration).get(0);
        assertThat(config.path("nameReference").isArray()).as("%s declares nameReference", configuration).isTrue();
      }
      for (Generator generator : kustomization.generators()) {
        assertThat(generator.name()).matches(DNS_SUBDOMAIN);
        for (FileSource file : generator.files()) {
          assertThat(file.key()).matches(DATA_KEY);
          assertThat(file.path()).isRegularFile();
        }
      }
    }
    List<Path> yamlFiles = yamlFiles(dir);
    assertThat(yamlFiles).as("manifests in %s", dir).isNotEmpty();
    int pythonEnvironments = 0;
    for (Path file : yamlFiles) {
      if (kustomizeFiles.contains(file)) {
        continue;
      }
      List<JsonNode> documents = Kustomize.documents(file);
      assertThat(documents).as("documents of %s", file).isNotEmpty();
      for (JsonNode object : documents) {
        checkObject(object, file.getFileName().toString());
        pythonEnvironments += kind(object).equals("PythonEnvironment") ? 1 : 0;
      }
    }
    assertThat(pythonEnvironments).as("PythonEnvironments in %s", dir).isPositive();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void everyVariantResolvesFromTheConfigMapKustomizeProduces(Path dir) throws IOException {
    List<JsonNode> objects = deployedObjects(dir);
    List<JsonNode> environments = objects.stream().filter(o -> kind(o).equals("PythonEnvironment")).toList();
    assertThat(environments).isNotEmpty();
    Map<String, ConfigMap> configMaps = new HashMap<>();
    for (JsonNode object : objects) {
      checkObject(object, "rendered " + dir.getFileName());
      if (kind(object).equals("ConfigMap")) {
        configMaps.put(object.at("/metadata/name").asText(), KUBERNETES.convertValue(object, ConfigMap.class));
      }
    }

    for (JsonNode object : environments) {
      // the operator reads the object as the API server stores it: with the schema's defaults
      PythonEnvironment resource = KUBERNETES.convertValue(VALIDATOR.withDefaults(object), PythonEnvironment.class);
      PythonEnvironmentSpec spec = resource.getSpec();
      assertThat(ImageReference.parse(spec.getImage().getRepository()).registry())
          .as("examples push to the placeholder registry").isEqualTo(PLACEHOLDER_REGISTRY);

      LoadedProject project = ProjectSourceLoader.load(NAMESPACE, resource.getMetadata().getName(),
          spec.getSource(), (namespace, name) -> configMaps.get(name));
      assertThat(project.contents()).as("every project file reaches the core at its path")
          .isEqualTo(projectFileTexts(dir.resolve(PROJECT_DIR)));

      Map<String, VariantPlan> plans = new LinkedHashMap<>();
      for (VariantRequest variant : SpecPlanning.variants(spec)) {
        VariantPlan plan = EnvironmentPlanner.plan(project.files(), planningRequest(spec, project), variant);
        assertThat(plan.plan().packages()).as("packages of variant %s", variant.name()).isNotEmpty();
        assertThat(plan.hash().tag()).matches(TAG);
        BuildContext context = plan.render();
        assertThat(context.files()).containsKey(BuildContext.DOCKERFILE);
        plans.put(variant.name(), plan);
      }
      List<VariantPlan> all = List.copyOf(plans.values());
      for (int i = 0; i < all.size(); i++) {
        for (int j = i + 1; j < all.size(); j++) {
          VariantPlan a = all.get(i);
          VariantPlan b = all.get(j);
          boolean samePackages = a.plan().packages().equals(b.plan().packages());
          assertThat(a.hash().tag().equals(b.hash().tag()))
              .as("variants %s and %s: same tag exactly when they install the same packages", a.variant(),
                  b.variant())
              .isEqualTo(samePackages);
        }
      }
      checkCredentials(dir, spec, plans.values());
      checkReadmeCounts(dir, plans);
      checkRuntimeDeployments(objects, resource, project, planningRequest(spec, project));
    }
  }

  /**
   * A Deployment of a variant with runtime groups runs the image and mounts the runtime ConfigMap the operator writes
   * for this lock (same tag, same name) where the launcher reads it, with an emptyDir where it installs, and gives
   * args, not a command, so the image's launcher runs.
   */
  private static void checkRuntimeDeployments(List<JsonNode> objects, PythonEnvironment resource,
      LoadedProject project, PlanningRequest request) {
    for (VariantRequest variant : SpecPlanning.variants(resource.getSpec())) {
      if (!variant.hasRuntimeGroups()) {
        continue;
      }
      dev.envforge.core.planner.PlanOutcome outcome = EnvironmentPlanner.outcome(project.files(), request, variant,
          null);
      assertThat(outcome).as("variant %s with runtime groups", variant.name())
          .isInstanceOf(dev.envforge.core.planner.PlanOutcome.Planned.class);
      var planned = (dev.envforge.core.planner.PlanOutcome.Planned) outcome;
      assertThat(planned.runtime().packages()).as("runtime packages of %s", variant.name()).isNotEmpty();
      String image = resource.getSpec().getImage().getRepository() + ":" + planned.plan().hash().tag();
      String configMap = dev.envforge.operator.RuntimeConfigMaps.name(resource.getMetadata().getName(),
          variant.name(), planned.runtime());
      List<io.fabric8.kubernetes.api.model.PodSpec> pods = objects.stream()
          .filter(o -> kind(o).equals("Deployment"))
          .map(o -> KUBERNETES.convertValue(o, io.fabric8.kubernetes.api.model.apps.Deployment.class)
              .getSpec().getTemplate().getSpec())
          .filter(pod -> pod.getContainers().stream().anyMatch(c -> c.getImage().startsWith(
              resource.getSpec().getImage().getRepository() + ":")))
          .toList();
      assertThat(pods).as("a Deployment of %s's variant %s", resource.getMetadata().getName(), variant.name())
          .isNotEmpty();
      for (io.fabric8.kubernetes.api.model.PodSpec pod : pods) {
        var container = pod.getContainers().get(0);
        assertThat(container.getImage()).as("the image the operator pushes for this lock").isEqualTo(image);
        assertThat(container.getCommand()).as("a command would replace the launcher").isNullOrEmpty();
        var volumes = pod.getVolumes().stream().collect(java.util.stream.Collectors.toMap(
            io.fabric8.kubernetes.api.model.Volume::getName, v -> v));
        var mounts = container.getVolumeMounts().stream().collect(java.util.stream.Collectors.toMap(
            io.fabric8.kubernetes.api.model.VolumeMount::getMountPath, m -> volumes.get(m.getName())));
        assertThat(mounts.get(dev.envforge.core.recipe.BuildContextRenderer.RUNTIME_REQUIREMENTS_MOUNT))
            .as("the runtime ConfigMap at the launcher's path").isNotNull()
            .satisfies(v -> assertThat(v.getConfigMap().getName()).as("the runtime ConfigMap the operator writes"
                + " for this lock").isEqualTo(configMap));
        assertThat(mounts.get(dev.envforge.core.recipe.BuildContextRenderer.RUNTIME_DIRECTORY))
            .as("a writable emptyDir where the launcher installs").isNotNull()
            .satisfies(v -> assertThat(v.getEmptyDir()).isNotNull());
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void kustomizeRendersWhatTheTestBuildsWithoutIt(Path dir) {
    assumeTrue(Files.exists(dir.resolve(Kustomize.KUSTOMIZATION)), "no kustomization.yaml");
    Path kubectl = kubectlOrSkip();
    Kustomization kustomization = Kustomization.read(dir);
    List<JsonNode> rendered = RENDERED.computeIfAbsent(dir, d -> Kustomize.render(kubectl, d));
    for (Generator generator : kustomization.generators()) {
      JsonNode configMap = generatedConfigMap(rendered, generator);
      Map<String, String> expected = new TreeMap<>();
      for (FileSource file : generator.files()) {
        expected.put(file.key(), Kustomize.utf8(file.path()));
      }
      Map<String, String> actual = new TreeMap<>();
      configMap.path("data").fields().forEachRemaining(e -> actual.put(e.getKey(), e.getValue().asText()));
      assertThat(actual.keySet()).isEqualTo(expected.keySet());
      for (FileSource file : generator.files()) {
        assertThat(actual.get(file.key()).getBytes(StandardCharsets.UTF_8))
            .as("key %s holds %s byte for byte", file.key(), dir.relativize(file.path()))
            .isEqualTo(readBytes(file.path()));
      }
      assertThat(configMap.has("binaryData")).isFalse();
    }
    List<JsonNode> written = kustomization.buildWithoutKubectl();
    // kustomize orders its output by kind
    assertThat(withoutGeneratedConfigMaps(rendered, kustomization)).as("resources other than the generated ones")
        .containsExactlyInAnyOrderElementsOf(withoutGeneratedConfigMaps(written, kustomization));
  }

  @Test
  void gitopsReferencesTheHashedConfigMapAndFollowsANewLock(@TempDir Path temp) throws IOException {
    Path kubectl = kubectlOrSkip();
    Path dir = examplesRoot().resolve("gitops");
    Kustomization kustomization = Kustomization.read(dir);
    Generator generator = kustomization.generators().get(0);
    assertThat(generator.hashSuffix()).as("the gitops example keeps kustomize's hash suffix").isTrue();

    List<JsonNode> rendered = RENDERED.computeIfAbsent(dir, d -> Kustomize.render(kubectl, d));
    String hashedName = generatedConfigMap(rendered, generator).at("/metadata/name").asText();
    assertThat(hashedName).matches(Pattern.quote(generator.name()) + "-[a-z0-9]{10}");
    assertThat(configMapReference(rendered)).as("spec.source.configMapRef.name after kustomize")
        .isEqualTo(hashedName);
    for (FileSource file : generator.files()) {
      assertThat(generatedConfigMap(rendered, generator).path("data").path(file.key()).asText()
          .getBytes(StandardCharsets.UTF_8)).isEqualTo(readBytes(file.path()));
    }

    // a changed lock gives a new name, and the reference follows it: the resource's spec changes with the lock
    Path copy = temp.resolve("gitops");
    copyTree(dir, copy);
    Path lock = copy.resolve(dir.relativize(generator.files().get(generator.files().size() - 1).path()));
    Files.writeString(lock, Files.readString(lock) + "\n", StandardCharsets.UTF_8);
    List<JsonNode> changed = Kustomize.render(kubectl, copy);
    String newName = generatedConfigMap(changed, generator).at("/metadata/name").asText();
    assertThat(newName).isNotEqualTo(hashedName).startsWith(generator.name() + "-");
    assertThat(configMapReference(changed)).isEqualTo(newName);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examplesWithSetters")
  void imagesMarkedWithASetterCarryTheCurrentTagAndFollowTheirResourceInALaterWave(Path dir, @TempDir Path tmp)
      throws IOException {
    List<Path> marked = yamlFiles(dir).stream().filter(ExamplesTest::hasSetter).toList();
    List<String> args = new ArrayList<>(List.of("sync", "--check", "--project", dir.resolve(PROJECT_DIR).toString()));
    marked.forEach(file -> args.add(file.toString()));
    Result check = CliRunner.run(args.toArray(String[]::new));
    assertThat(check.exitCode()).as("envforge %s: %s%s", args, check.out(), check.err()).isZero();

    for (Path file : marked) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        Matcher setter = SETTER.matcher(line);
        if (!setter.find()) {
          continue;
        }
        Path manifest = file.getParent().resolve(setter.group(2).replaceFirst(":[^:/]*$", ""));
        assertThat(manifest).as("the manifest a setter of %s names", file.getFileName()).isRegularFile();
        JsonNode environment = Kustomize.documents(manifest).stream()
            .filter(o -> kind(o).equals("PythonEnvironment")).findFirst().orElseThrow();
        ImageReference image = ImageReference.parse(setter.group(1));
        ImageReference pushed = ImageReference.parse(environment.at("/spec/image/repository").asText());
        assertThat(image.registry() + "/" + image.repository())
            .as("the marked image is pulled from where the operator pushes")
            .isEqualTo(pushed.registry() + "/" + pushed.repository());
        for (JsonNode object : Kustomize.documents(file)) {
          if (object.has("spec")) {
            assertThat(wave(object)).as("sync wave of %s %s, which runs the image of PythonEnvironment %s",
                    kind(object), object.at("/metadata/name").asText(), environment.at("/metadata/name").asText())
                .isGreaterThan(wave(environment));
          }
        }
      }
    }
    assertThat(GeneratedCrd.repoRoot().resolve(
        "integrations/argocd/resource_customizations/envforge.dev/PythonEnvironment/health.lua"))
        .as("Argo CD waits on the PythonEnvironment's health").isRegularFile();

    // a tag that is not current is found, at its line and column
    copyTree(dir, tmp);
    Path first = tmp.resolve(dir.relativize(marked.get(0)).toString());
    String text = Files.readString(first, StandardCharsets.UTF_8);
    String stale = text.replaceFirst(":ef-[0-9a-f]{32}( +#)", ":ef-" + "0".repeat(32) + "$1");
    assertThat(stale).isNotEqualTo(text);
    Files.writeString(first, stale, StandardCharsets.UTF_8);
    Result stalecheck = CliRunner.run("sync", "--check", "--project", tmp.resolve(PROJECT_DIR).toString(),
        first.toString());
    assertThat(stalecheck.exitCode()).isEqualTo(1);
    assertThat(stalecheck.out()).startsWith(first + ":").contains("not current: ")
        .contains(":ef-" + "0".repeat(32) + " -> ");
  }

  private static final Pattern SETTER =
      Pattern.compile("image:\\s+[\"']?([^\\s\"'#]+)[\"']?\\s+#\\s*\\{\\s*\"\\$envforge\"\\s*:\\s*\"([^\"]+)\"");

  private static boolean hasSetter(Path file) {
    try {
      return SETTER.matcher(Files.readString(file, StandardCharsets.UTF_8)).find();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An object's Argo CD sync wave (0 without the annotation). */
  private static int wave(JsonNode object) {
    return Integer.parseInt(object.at("/metadata/annotations").path("argocd.argoproj.io/sync-wave").asText("0"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void readmeAppliesLargeConfigMapsServerSide(Path dir) throws IOException {
    String readme = Files.readString(dir.resolve("README.md"), StandardCharsets.UTF_8);
    for (JsonNode object : deployedObjects(dir)) {
      if (kind(object).equals("ConfigMap") && readme.contains("kubectl apply")) {
        // client-side apply copies the whole object into an annotation
        if (JSON.writeValueAsBytes(object).length > MAX_ANNOTATION_BYTES) {
          assertThat(readme).as("README of %s: ConfigMap %s is too large for client-side apply", dir.getFileName(),
              object.at("/metadata/name").asText()).contains("--server-side");
        }
      }
    }
  }

  /** The objects applied to the cluster: kustomize's output when kubectl is here, the same built without it else. */
  private static List<JsonNode> deployedObjects(Path dir) {
    if (!Files.exists(dir.resolve(Kustomize.KUSTOMIZATION))) {
      List<JsonNode> objects = new ArrayList<>();
      yamlFiles(dir).forEach(file -> objects.addAll(Kustomize.documents(file)));
      return objects;
    }
    Optional<Path> kubectl = Kustomize.kubectl();
    if (kubectl.isPresent()) {
      return RENDERED.computeIfAbsent(dir, d -> Kustomize.render(kubectl.get(), d));
    }
    return Kustomization.read(dir).buildWithoutKubectl();
  }

  /** The request the reconciler builds from a spec. */
  private static PlanningRequest planningRequest(PythonEnvironmentSpec spec, LoadedProject project) {
    return SpecPlanning.request(spec, project.format());
  }

  /**
   * Every Secret a resource refers to is either in the example (then it must fit: the netrc names every index host
   * the plans use besides PyPI, the docker config names the image's registry) or created by a README command.
   */
  private static void checkCredentials(Path dir, PythonEnvironmentSpec spec, Iterable<VariantPlan> plans)
      throws IOException {
    Map<String, Secret> secrets = new HashMap<>();
    for (Path file : yamlFiles(dir)) {
      for (JsonNode object : Kustomize.documents(file)) {
        if (kind(object).equals("Secret")) {
          secrets.put(object.at("/metadata/name").asText(), KUBERNETES.convertValue(object, Secret.class));
        }
      }
    }
    String readme = Files.readString(dir.resolve("README.md"), StandardCharsets.UTF_8);
    if (spec.getIndexCredentialsSecretRef() != null) {
      String name = spec.getIndexCredentialsSecretRef().getName();
      Secret secret = secrets.get(name);
      if (secret == null) {
        assertThat(readme).as("README of %s creates Secret %s", dir.getFileName(), name).contains(name);
      } else {
        String netrc = secretValues(secret).get(spec.getIndexCredentialsSecretRef().getKey());
        assertThat(netrc).as("key %s of Secret %s", spec.getIndexCredentialsSecretRef().getKey(), name).isNotNull();
        Set<String> machines = new TreeSet<>();
        Matcher m = NETRC_MACHINE.matcher(netrc);
        while (m.find()) {
          machines.add(m.group(1));
        }
        Set<String> privateHosts = new TreeSet<>();
        for (VariantPlan plan : plans) {
          for (PlannedPackage p : plan.plan().packages()) {
            if (p.source() != null && p.source().type() == PackageSource.Type.REGISTRY
                && !p.source().url().equals(PackageSource.PYPI)) {
              privateHosts.add(URI.create(p.source().url()).getHost());
            }
          }
        }
        assertThat(privateHosts).as("index hosts besides PyPI in the plans").isNotEmpty();
        assertThat(machines).as("netrc machines").containsAll(privateHosts);
      }
    }
    if (spec.getImage().getPushSecretRef() != null) {
      String name = spec.getImage().getPushSecretRef().getName();
      Secret secret = secrets.get(name);
      if (secret == null) {
        assertThat(readme).as("README of %s creates Secret %s", dir.getFileName(), name)
            .containsPattern("kubectl create secret docker-registry " + Pattern.quote(name) + "\\b");
      } else {
        assertThat(secret.getType()).isEqualTo("kubernetes.io/dockerconfigjson");
        JsonNode config = JSON.readTree(secretValues(secret).get(".dockerconfigjson"));
        assertThat(config.path("auths").has(ImageReference.parse(spec.getImage().getRepository()).registry()))
            .as("the push Secret has credentials for the image's registry").isTrue();
      }
    }
  }

  /** The README's table of variants ({@code | `name` | ... | packages |}) gives each variant's package count. */
  private static void checkReadmeCounts(Path dir, Map<String, VariantPlan> plans) throws IOException {
    Map<String, Integer> documented = new TreeMap<>();
    Matcher row = README_VARIANT_ROW.matcher(Files.readString(dir.resolve("README.md"), StandardCharsets.UTF_8));
    while (row.find()) {
      documented.put(row.group(1), Integer.parseInt(row.group(2)));
    }
    Map<String, Integer> actual = new TreeMap<>();
    plans.forEach((name, plan) -> actual.put(name, plan.plan().packages().size()));
    assertThat(documented).as("package counts in the variants table of %s/README.md", dir.getFileName())
        .isEqualTo(actual);
  }

  /** Checks one Kubernetes object of an example; {@code where} names its file in messages. */
  private static void checkObject(JsonNode object, String where) throws IOException {
    assertThat(kind(object)).as("kind of a document in %s (examples hold PythonEnvironments, ConfigMaps, Secrets"
        + " and Deployments that run their images)", where).isIn("PythonEnvironment", "ConfigMap", "Secret",
        "Deployment");
    String name = object.at("/metadata/name").asText("");
    assertThat(name).as("metadata.name of a %s in %s", kind(object), where).matches(DNS_SUBDOMAIN);
    switch (kind(object)) {
      case "PythonEnvironment" -> {
        assertThat(object.path("apiVersion").asText()).isEqualTo("envforge.dev/v1alpha1");
        assertThat(VALIDATOR.validate(object)).as("schema errors of PythonEnvironment %s in %s", name, where)
            .isEmpty();
        PythonEnvironment strict = STRICT_YAML.treeToValue(object, PythonEnvironment.class);
        assertThat(strict.getSpec().getSource()).isNotNull();
        assertThat(strict.getSpec().getImage().getRepository()).isNotBlank();
      }
      case "ConfigMap" -> {
        assertThat(object.path("apiVersion").asText()).isEqualTo("v1");
        ConfigMap configMap = KUBERNETES.convertValue(object, ConfigMap.class);
        Map<String, String> data = configMap.getData() == null ? Map.of() : configMap.getData();
        Map<String, String> binary = configMap.getBinaryData() == null ? Map.of() : configMap.getBinaryData();
        assertThat(data).as("ConfigMap %s in %s has data", name, where).isNotEmpty();
        assertThat(data.keySet()).allMatch(key -> DATA_KEY.matcher(key).matches(), "valid keys");
        assertThat(binary.keySet()).as("keys in both data and binaryData").noneMatch(data::containsKey);
        long size = 0;
        for (Map.Entry<String, String> e : data.entrySet()) {
          size += e.getKey().length() + e.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        assertThat(size).as("data bytes of ConfigMap %s", name).isLessThanOrEqualTo(MAX_OBJECT_DATA_BYTES);
      }
      case "Secret" -> {
        assertThat(object.path("apiVersion").asText()).isEqualTo("v1");
        Secret secret = KUBERNETES.convertValue(object, Secret.class);
        assertThat(secret.getType()).as("type of Secret %s", name).isNotBlank();
        Map<String, String> values = secretValues(secret);
        assertThat(values).as("Secret %s in %s has data", name, where).isNotEmpty();
        assertThat(values.keySet()).allMatch(key -> DATA_KEY.matcher(key).matches(), "valid keys");
        if (secret.getType().equals("kubernetes.io/dockerconfigjson")) {
          assertThat(values).containsKey(".dockerconfigjson");
          assertThat(JSON.readTree(values.get(".dockerconfigjson")).path("auths").isObject())
              .as(".dockerconfigjson of %s has auths", name).isTrue();
        }
      }
      case "Deployment" -> checkDeployment(object, name, where);
      default -> fail("%s: unexpected kind %s", where, kind(object));
    }
  }

  /**
   * A Deployment is read by fabric8's model, which keeps fields it does not know aside: none may be there, its
   * selector must select its pods, and each container needs a name and an image.
   */
  private static void checkDeployment(JsonNode object, String name, String where) {
    assertThat(object.path("apiVersion").asText()).isEqualTo("apps/v1");
    Deployment deployment = KUBERNETES.convertValue(object, Deployment.class);
    assertThat(deployment.getAdditionalProperties()).as("unknown fields of Deployment %s in %s", name, where)
        .isEmpty();
    assertThat(deployment.getSpec().getAdditionalProperties()).as("unknown fields of its spec").isEmpty();
    PodTemplateSpec template = deployment.getSpec().getTemplate();
    assertThat(template.getSpec().getAdditionalProperties()).as("unknown fields of its pod spec").isEmpty();
    assertThat(template.getMetadata().getLabels()).as("the selector of Deployment %s selects its pods", name)
        .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
    assertThat(template.getSpec().getContainers()).isNotEmpty().allSatisfy(container -> {
      assertThat(container.getAdditionalProperties()).as("unknown fields of container %s", container.getName())
          .isEmpty();
      assertThat(container.getName()).matches(DNS_SUBDOMAIN);
      assertThatCode(() -> ImageReference.parse(container.getImage())).doesNotThrowAnyException();
    });
  }

  /** A Secret's values as the API server stores them: data (base64) merged with stringData. */
  private static Map<String, String> secretValues(Secret secret) {
    Map<String, String> values = new TreeMap<>();
    if (secret.getData() != null) {
      secret.getData().forEach((key, encoded) -> {
        assertThatCode(() -> Base64.getDecoder().decode(encoded)).as("data.%s is base64", key)
            .doesNotThrowAnyException();
        values.put(key, new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8));
      });
    }
    if (secret.getStringData() != null) {
      values.putAll(secret.getStringData());
    }
    return values;
  }

  private static JsonNode generatedConfigMap(List<JsonNode> objects, Generator generator) {
    List<JsonNode> found = objects.stream()
        .filter(o -> kind(o).equals("ConfigMap"))
        .filter(o -> isGeneratedBy(o, generator))
        .toList();
    assertThat(found).as("ConfigMaps generated by %s", generator.name()).hasSize(1);
    return found.get(0);
  }

  private static boolean isGeneratedBy(JsonNode configMap, Generator generator) {
    String name = configMap.at("/metadata/name").asText();
    return generator.hashSuffix() ? name.matches(Pattern.quote(generator.name()) + "(-[a-z0-9]{10})?")
        : name.equals(generator.name());
  }

  private static List<JsonNode> withoutGeneratedConfigMaps(List<JsonNode> objects, Kustomization kustomization) {
    return objects.stream()
        .filter(o -> !(kind(o).equals("ConfigMap")
            && kustomization.generators().stream().anyMatch(g -> isGeneratedBy(o, g))))
        .map(ExamplesTest::withGeneratedNamesAsWritten)
        .toList();
  }

  /** kustomize rewrites references to generated names; compare them as written. */
  private static JsonNode withGeneratedNamesAsWritten(JsonNode object) {
    JsonNode copy = object.deepCopy();
    JsonNode ref = copy.at("/spec/source/configMapRef");
    if (ref.isObject()) {
      String name = ref.path("name").asText();
      ((ObjectNode) ref).put("name", name.replaceFirst("-[a-z0-9]{10}$", ""));
    }
    return copy;
  }

  private static String configMapReference(List<JsonNode> objects) {
    List<String> refs = objects.stream().filter(o -> kind(o).equals("PythonEnvironment"))
        .map(o -> o.at("/spec/source/configMapRef/name").asText()).toList();
    assertThat(refs).hasSize(1);
    return refs.get(0);
  }

  private static Path kubectlOrSkip() {
    Optional<Path> kubectl = Kustomize.kubectl();
    assumeTrue(kubectl.isPresent(), "kubectl is not on the PATH: the kustomize rendering of the examples is not"
        + " checked (install kubectl, which includes kustomize, to run this test)");
    return kubectl.get();
  }

  /** The test-resource corpus case whose SOURCE.txt is the example's. */
  private static Path corpusCaseOf(Path project) throws IOException {
    byte[] source = Files.readAllBytes(project.resolve(SOURCE_FILE));
    Path corpusRoot = Corpus.dir("expected").getParent();
    try (Stream<Path> cases = Files.list(corpusRoot)) {
      List<Path> matching = cases.filter(c -> Files.isRegularFile(c.resolve(SOURCE_FILE)))
          .filter(c -> Arrays.equals(readBytes(c.resolve(SOURCE_FILE)), source))
          .toList();
      assertThat(matching).as("corpus cases with the SOURCE.txt of %s", project).hasSize(1);
      return matching.get(0);
    }
  }

  /** The project's files by relative path, as text: what the core must see. */
  private static Map<String, String> projectFileTexts(Path project) {
    Map<String, String> texts = new TreeMap<>();
    for (String file : relativeFiles(project)) {
      if (!PROVENANCE_FILES.contains(file)) {
        texts.put(file, Kustomize.utf8(project.resolve(file)));
      }
    }
    return texts;
  }

  private static List<String> relativeFiles(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/'))
          .sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The example's YAML files, outside the project folder. */
  private static List<Path> yamlFiles(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> !dir.relativize(p).startsWith(PROJECT_DIR))
          .filter(p -> p.getFileName().toString().endsWith(".yaml") || p.getFileName().toString().endsWith(".yml"))
          .sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
          target.toFile().setWritable(true);
        }
      }
    }
  }

  private static byte[] readBytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String kind(JsonNode object) {
    return object.path("kind").asText("");
  }
}
