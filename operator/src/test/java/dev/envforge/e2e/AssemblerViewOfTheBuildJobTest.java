package dev.envforge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.core.recipe.BuildContext;
import dev.envforge.core.recipe.Builder;
import dev.envforge.operator.BuildJobFactory;
import dev.envforge.operator.BuildJobSpec;
import dev.envforge.operator.BuilderDefaults;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * What {@code envforge assemble} finds in the Pod envforge renders for it: the project's files at their paths in
 * {@code DIR} (files in folders too, which a ConfigMap key cannot name), the docker config where
 * {@code DOCKER_CONFIG} points, the netrc where {@code NETRC} points, readable by the Pod's non-root group.
 */
class AssemblerViewOfTheBuildJobTest {
  static final Map<String, String> PROJECT = Map.of(
      "pyproject.toml", "[project]\nname = \"app\"\n",
      "uv.lock", "version = 1\n",
      "packages/core/pyproject.toml", "[project]\nname = \"core\"\n",
      "packages/core lib/pyproject.toml", "[project]\nname = \"core-lib\"\n");
  static final Secret NETRC = new SecretBuilder().withNewMetadata().withName("index").endMetadata()
      .withData(Map.of("my-netrc", base64("machine 127.0.0.1 login u password p\n"))).build();
  static final Secret PUSH = new SecretBuilder().withNewMetadata().withName("push").endMetadata()
      .withType("kubernetes.io/dockerconfigjson").withData(Map.of(".dockerconfigjson", base64("{\"auths\":{}}")))
      .build();

  @Test
  void theAssemblerSeesTheProjectFilesAndTheSecretsWhereItsEnvironmentSays() {
    BuildJobSpec spec = new BuildJobSpec("team", "envforge-build-1", "127.0.0.1:5000/team/app", "ef-1",
        "127.0.0.1:5000", true, "linux/arm64", BuilderDefaults.DEFAULT_ASSEMBLER_IMAGE,
        BuilderDefaults.defaults().resources(), 600, 60, null, null, "push", "index", "my-netrc", null, null,
        List.copyOf(PROJECT.keySet()), Map.of("app", "x"), Map.of(), new OwnerReferenceBuilder()
            .withApiVersion("envforge.dev/v1alpha1").withKind("PythonEnvironment").withName("app").withUid("u1")
            .build(), Builder.ASSEMBLE,
        new BuildJobSpec.AssembleInputs("uv.lock", "uv", List.of("dev"), List.of(), "3.12.7",
            "docker.io/library/python:3.12-slim-bookworm", "default"));
    Job job = BuildJobFactory.job(spec);
    ConfigMap contextMap = BuildJobFactory.contextConfigMap(spec, new BuildContext(PROJECT));
    Container container = job.getSpec().getTemplate().getSpec().getContainers().get(0);

    assertThat(contextMap.getData().keySet()).as("valid ConfigMap keys")
        .allMatch(k -> k.matches("[-._a-zA-Z0-9]+")).hasSize(PROJECT.size());
    PodFiles files = PodFiles.project(job.getSpec().getTemplate().getSpec(), container,
        name -> name.equals(contextMap.getMetadata().getName()) ? contextMap : null,
        name -> name.equals("index") ? NETRC : name.equals("push") ? PUSH : null);
    List<String> args = container.getArgs();
    assertThat(args.subList(0, 2)).containsExactly("assemble", "/workspace");
    Map<String, String> seen = new TreeMap<>();
    files.under(args.get(1)).forEach((path, file) -> seen.put(path, file.text()));
    assertThat(seen).isEqualTo(new TreeMap<>(PROJECT));

    Map<String, String> env = new TreeMap<>();
    for (EnvVar v : container.getEnv()) {
      env.put(v.getName(), v.getValue());
    }
    assertThat(files.files().get(env.get("DOCKER_CONFIG") + "/config.json").text()).isEqualTo("{\"auths\":{}}");
    assertThat(files.files().get(env.get("NETRC")).text()).isEqualTo("machine 127.0.0.1 login u password p\n");
    assertThat(files.files().get(env.get("NETRC")).mode()).as("the owner (root) and the fsGroup read it")
        .isEqualTo(0440);
    assertThat(job.getSpec().getTemplate().getSpec().getSecurityContext().getFsGroup()).isEqualTo(65532L);
    assertThat(args).contains("--groups=dev", "--platform=linux/arm64", "--to=127.0.0.1:5000/team/app:ef-1",
        "--insecure");
    assertThat(job.getSpec().getTemplate().getSpec().getNodeSelector())
        .as("an arm64 image is written on any Linux node").isEqualTo(Map.of("kubernetes.io/os", "linux"));
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
