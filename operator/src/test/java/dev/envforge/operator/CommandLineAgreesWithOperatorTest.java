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

        // the command line reads the file the user keeps: the manifest as written, with the project folder
        Path manifest = temp.resolve(name + ".yaml");
        Files.writeString(manifest, YAML.writeValueAsString(objectNamed(objects, name)), StandardCharsets.UTF_8);
        List<String> args = new ArrayList<>(List.of("tags", "-f", manifest.toString(), "--json"));
        if (environment.getSpec().getSource().getConfigMapRef() != null) {
          args.addAll(List.of("--project", dir.resolve("project").toString()));
        }
        JsonNode printed = JSON.readTree(runCli(args));
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
