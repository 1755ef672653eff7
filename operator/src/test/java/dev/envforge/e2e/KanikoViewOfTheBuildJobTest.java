package dev.envforge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.core.recipe.BuildContext;
import dev.envforge.operator.BuildJobFactory;
import dev.envforge.operator.BuildJobSpec;
import dev.envforge.operator.BuilderDefaults;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
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
 * What {@link KanikoJobExecutor} reads from the Job and ConfigMap envforge renders: the context exactly as rendered,
 * the Secrets where the recipe and Kaniko look for them, and Kaniko's arguments.
 */
class KanikoViewOfTheBuildJobTest {
  static final BuildContext CONTEXT = new BuildContext(Map.of(
      BuildContext.DOCKERFILE, "FROM 127.0.0.1:5000/base:1\nRUN [\"/bin/sh\", \"-c\", \"true\"]\n",
      BuildContext.HASHED_REQUIREMENTS, "alpha==1.0 \\\n    --hash=sha256:00\n",
      BuildContext.DIRECT_REQUIREMENTS, "# none\n",
      BuildContext.PACKAGE_LIST, "alpha==1.0\n"));
  static final Secret NETRC = new SecretBuilder().withNewMetadata().withName("index").endMetadata()
      .withData(Map.of("my-netrc", base64("machine 127.0.0.1 login u password p\n"))).build();
  static final Secret PUSH = new SecretBuilder().withNewMetadata().withName("push").endMetadata()
      .withType("kubernetes.io/dockerconfigjson").withData(Map.of(".dockerconfigjson", base64("{\"auths\":{}}")))
      .build();

  @Test
  void kanikoSeesTheRenderedContextTheSecretsAndItsArguments() {
    BuildJobSpec spec = new BuildJobSpec("team", "envforge-build-1", "127.0.0.1:5000/team/app", "ef-1",
        "127.0.0.1:5000", true, "linux/amd64", BuilderDefaults.DEFAULT_IMAGE, BuilderDefaults.defaults().resources(),
        600, 60, null, null, "push", "index", "my-netrc", null, null, List.copyOf(CONTEXT.files().keySet()),
        Map.of("app", "x"), Map.of(), new OwnerReferenceBuilder().withApiVersion("envforge.dev/v1alpha1")
            .withKind("PythonEnvironment").withName("app").withUid("u1").build());
    Job job = BuildJobFactory.job(spec);
    job.getMetadata().setUid("job-uid");
    ConfigMap contextMap = BuildJobFactory.contextConfigMap(spec, CONTEXT);
    Container container = job.getSpec().getTemplate().getSpec().getContainers().get(0);

    PodFiles files = PodFiles.project(job.getSpec().getTemplate().getSpec(), container,
        name -> name.equals(contextMap.getMetadata().getName()) ? contextMap : null,
        name -> name.equals("index") ? NETRC : name.equals("push") ? PUSH : null);
    KanikoInvocation kaniko = KanikoInvocation.parse(container.getArgs());

    Map<String, String> seen = new TreeMap<>();
    files.under(kaniko.contextDirectory()).forEach((path, file) -> seen.put(path, file.text()));
    assertThat(seen).isEqualTo(CONTEXT.files());
    assertThat(kaniko.dockerfile()).isEqualTo(BuildContext.DOCKERFILE);
    assertThat(kaniko.destinations()).containsExactly("127.0.0.1:5000/team/app:ef-1");
    assertThat(kaniko.digestFile()).contains(KanikoJobExecutor.DEFAULT_TERMINATION_MESSAGE_PATH);
    assertThat(kaniko.pushesInsecurely("127.0.0.1:5000")).isTrue();
    assertThat(kaniko.pullsInsecurely("127.0.0.1:5000")).isTrue();
    assertThat(files.files().get(BuildahBuilder.SECRET_MOUNT + "/netrc").text())
        .isEqualTo("machine 127.0.0.1 login u password p\n");
    assertThat(files.files().get(BuildahBuilder.SECRET_MOUNT + "/netrc").mode()).isEqualTo(0400);
    assertThat(files.files().get(KanikoJobExecutor.DEFAULT_DOCKER_CONFIG + "/config.json").text())
        .isEqualTo("{\"auths\":{}}");
    assertThat(kaniko.ignorePaths()).contains(BuildahBuilder.SECRET_MOUNT);
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
