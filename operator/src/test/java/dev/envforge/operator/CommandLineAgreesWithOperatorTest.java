package dev.envforge.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.envforge.api.v1alpha1.PythonEnvironment;
import dev.envforge.api.v1alpha1.VariantStatus;
import dev.envforge.cli.CliRunner;
import dev.envforge.examples.ExampleObjects;
import dev.envforge.testing.Corpus;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * For every example, {@code envforge tags -f} prints, per variant, the tag the operator writes into the status and the
 * image reference its build Job pushes to. The operator runs against the mock API server with every image absent.
 */
class CommandLineAgreesWithOperatorTest {
  private static final String NAMESPACE = "default";
  private static final KubernetesSerialization KUBERNETES = new KubernetesSerialization();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  static Stream<Arguments> examples() {
    return ExampleObjects.exampleDirs().stream()
        .map(dir -> Arguments.of(Named.of(dir.getFileName().toString(), dir)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void tagsAndImagesAreTheOperatorsOwn(Path dir, @TempDir Path temp) throws Exception {
    List<JsonNode> objects = ExampleObjects.deployed(dir);
    agree(objects, (name, environment) -> {
      // the command line reads the file the user keeps: the manifest as written, with the project folder
      Path manifest = temp.resolve(name + ".yaml");
      Files.writeString(manifest, YAML.writeValueAsString(objectNamed(objects, name)), StandardCharsets.UTF_8);
      List<String> args = new ArrayList<>(List.of("tags", "-f", manifest.toString(), "--json"));
      if (environment.getSpec().getSource().getConfigMapRef() != null) {
        args.addAll(List.of("--project", dir.resolve("project").toString()));
      }
      return args;
    });
  }

  /**
   * Manifests beyond the examples, one per way a spec can reach a tag: an inline source, no variants and no python
   * (every default), another platform, installer, base image and builder mode, a ConfigMap in the same file, a PEP
   * 751 lock with its format named, a requirements file with the builder mode given. The command line reads the whole file, as a user keeps it.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("specs")
  void everyWayASpecReachesATagAgrees(String name, String yaml, @TempDir Path temp) throws Exception {
    Path file = temp.resolve(name + ".yaml");
    Files.writeString(file, yaml, StandardCharsets.UTF_8);
    List<JsonNode> objects = new ArrayList<>();
    for (JsonNode document : YAML.readValues(YAML.getFactory().createParser(yaml), JsonNode.class).readAll()) {
      objects.add(document);
    }
    agree(objects, (resource, environment) -> new ArrayList<>(List.of("tags", "-f", file.toString(), "--name",
        resource, "--json")));
  }

  static Stream<Arguments> specs() throws Exception {
    Path poetry = Corpus.dir("poetry-python-poetry-poetry");
    Path uv = Corpus.dir("uv-langchain-ai-langgraph");
    Path pylock = Corpus.dir("pylock-0b01001001-spectree");
    Path requirements = Corpus.dir("requirements-sigstore-sigstore-python");
    return Stream.of(
        Arguments.of("inline-every-default", environment("every-default", inline(poetry, "poetry.lock"), "")),
        Arguments.of("inline-uv-arm64-pip-kaniko", environment("uv-arm", inline(uv, "uv.lock"), """
              python: "3.11"
              platform: linux/arm64
              installer: pip
              baseImage: registry.example.com/base/python:3.11
              builder:
                mode: kaniko
                registryMirrors: [mirror.example.com]
              variants:
                - name: main
                - name: test
                  groups: [test]
                - name: dev-default-groups
                  groups: [dev]
            """)),
        Arguments.of("configmap-in-the-same-file", environment("same-file", """
                configMapRef:
                  name: same-file-project
            """, """
              python: "3.13"
              variants:
                - name: default
                - name: typing
                  groups: [typing, test]
              image:
                insecure: true
            """) + configMap("same-file-project", poetry, "pyproject.toml", "poetry.lock")),
        Arguments.of("pylock-format-named", environment("pylock", "    format: pylock\n" + inline(pylock, "pylock.toml"),
            "  installer: uv\n")),
        Arguments.of("requirements-builder-auto", environment("requirements", inline(requirements, "requirements.txt"),
            """
              builder:
                mode: auto
            """)));
  }

  private static String environment(String name, String source, String spec) {
    String specText = spec; // text blocks: two spaces in, as fields of spec
    String image = "    repository: registry.example.com/team/" + name + "\n";
    if (specText.contains("image:\n")) {
      specText = specText.replace("image:\n", "image:\n" + image);
      image = null;
    }
    return "apiVersion: envforge.dev/v1alpha1\nkind: PythonEnvironment\nmetadata:\n  name: " + name + "\nspec:\n"
        + "  source:\n" + source + specText + (image == null ? "" : "  image:\n" + image);
  }

  private static String inline(Path project, String lock) throws Exception {
    StringBuilder yaml = new StringBuilder("    inline:\n");
    if (Files.exists(project.resolve("pyproject.toml"))) {
      yaml.append("      pyproject: ").append(JSON.writeValueAsString(Files.readString(project.resolve("pyproject.toml"))))
          .append('\n');
    }
    return yaml.append("      lock: ").append(JSON.writeValueAsString(Files.readString(project.resolve(lock))))
        .append('\n').toString();
  }

  private static String configMap(String name, Path project, String... keys) throws Exception {
    StringBuilder yaml = new StringBuilder("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name
        + "\ndata:\n");
    for (String key : keys) {
      yaml.append("  ").append(key).append(": ").append(JSON.writeValueAsString(Files.readString(project.resolve(key))))
          .append('\n');
    }
    return yaml.toString();
  }

  /** The arguments of the command line that prints the tags of a resource. */
  interface CliArgs {
    List<String> of(String name, PythonEnvironment environment) throws Exception;
  }

  private void agree(List<JsonNode> objects, CliArgs cliArgs) throws Exception {
    List<PythonEnvironment> environments = new ArrayList<>();
    try (OperatorHarness k8s = new OperatorHarness().start(OperatorSettings.defaults(),
        RenderedObjectsGoldenTest.NOTHING_EXISTS)) {
      for (JsonNode object : objects) {
        switch (object.path("kind").asText()) {
          case "ConfigMap" -> k8s.client.configMaps().inNamespace(NAMESPACE)
              .resource(KUBERNETES.convertValue(object, ConfigMap.class)).create();
          case "Secret" -> k8s.client.secrets().inNamespace(NAMESPACE)
              .resource(KUBERNETES.convertValue(object, Secret.class)).create();
          case "PythonEnvironment" -> environments.add(KUBERNETES.convertValue(object, PythonEnvironment.class));
          default -> { }
        }
      }
      assertThat(environments).isNotEmpty();
      for (PythonEnvironment environment : environments) {
        createSecretsTheReadmeCreates(k8s, environment, objects);
        k8s.client.resources(PythonEnvironment.class).inNamespace(NAMESPACE).resource(environment).create();
      }

      for (PythonEnvironment environment : environments) {
        String name = environment.getMetadata().getName();
        int variantCount = environment.getSpec().getVariants() == null ? 1
            : environment.getSpec().getVariants().size();
        Map<String, String> operatorTags = new TreeMap<>();
        await().atMost(OperatorHarness.TIMEOUT).untilAsserted(() -> {
          PythonEnvironment stored = k8s.client.resources(PythonEnvironment.class).inNamespace(NAMESPACE)
              .withName(name).get();
          assertThat(stored.getStatus()).isNotNull();
          assertThat(stored.getStatus().getVariants()).as("%s", stored.getStatus().getConditions())
              .hasSize(variantCount).allMatch(v -> v.getTag() != null);
          operatorTags.clear();
          for (VariantStatus v : stored.getStatus().getVariants()) {
            operatorTags.put(v.getName(), v.getTag());
          }
        });
        List<String> destinations = new ArrayList<>();
        await().atMost(OperatorHarness.TIMEOUT).untilAsserted(() -> {
          destinations.clear();
          for (Job job : k8s.client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()) {
            job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs().stream()
                // Kaniko's --destination, or envforge assemble's --to
                .filter(a -> a.startsWith("--destination=") || a.startsWith("--to="))
                .map(a -> a.substring(a.indexOf('=') + 1))
                .forEach(destinations::add);
          }
          assertThat(destinations).hasSizeGreaterThanOrEqualTo(new java.util.HashSet<>(operatorTags.values()).size());
        });

        JsonNode printed = JSON.readTree(runCli(cliArgs.of(name, environment)));
        Map<String, String> cliTags = new TreeMap<>();
        for (JsonNode variant : printed.path("variants")) {
          cliTags.put(variant.path("name").asText(), variant.path("tag").asText());
          assertThat(destinations).as("the operator pushes variant %s to the image the command line prints",
              variant.path("name").asText()).contains(variant.path("image").asText());
        }
        assertThat(cliTags).as("tags of %s", name).isEqualTo(operatorTags);
      }
    }
  }

  /** Secrets a README creates with kubectl (their contents do not reach the tag): placeholders of the right type. */
  private static void createSecretsTheReadmeCreates(OperatorHarness k8s, PythonEnvironment environment,
      List<JsonNode> objects) {
    var spec = environment.getSpec();
    if (spec.getImage().getPushSecretRef() != null) {
      createSecretIfMissing(k8s, objects, spec.getImage().getPushSecretRef().getName(),
          "kubernetes.io/dockerconfigjson", ".dockerconfigjson", "{\"auths\":{}}");
    }
    if (spec.getIndexCredentialsSecretRef() != null) {
      createSecretIfMissing(k8s, objects, spec.getIndexCredentialsSecretRef().getName(), "Opaque",
          spec.getIndexCredentialsSecretRef().getKey() == null ? ".netrc" : spec.getIndexCredentialsSecretRef().getKey(),
          "machine pypi.example.com login user password placeholder\n");
    }
  }

  private static void createSecretIfMissing(OperatorHarness k8s, List<JsonNode> objects, String name, String type,
      String key, String value) {
    boolean inExample = objects.stream().anyMatch(o -> o.path("kind").asText().equals("Secret")
        && o.at("/metadata/name").asText().equals(name));
    if (!inExample && k8s.client.secrets().inNamespace(NAMESPACE).withName(name).get() == null) {
      k8s.client.secrets().inNamespace(NAMESPACE).resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
          .withNewMetadata().withName(name).endMetadata().withType(type)
          .withData(Map.of(key, java.util.Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))))
          .build()).create();
    }
  }

  private static JsonNode objectNamed(List<JsonNode> objects, String name) {
    return objects.stream().filter(o -> o.path("kind").asText().equals("PythonEnvironment"))
        .filter(o -> o.at("/metadata/name").asText().equals(name)).findFirst().orElseThrow();
  }

  private static String runCli(List<String> args) {
    CliRunner.Result run = CliRunner.run(args.toArray(String[]::new));
    assertThat(run.exitCode()).as(run.err()).isZero();
    return run.out();
  }
}
