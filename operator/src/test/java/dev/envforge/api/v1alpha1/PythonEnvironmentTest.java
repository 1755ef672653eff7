package dev.envforge.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import org.junit.jupiter.api.Test;

class PythonEnvironmentTest {

  private static final String FULL = String.join("\n",
      "apiVersion: envforge.dev/v1alpha1",
      "kind: PythonEnvironment",
      "metadata:",
      "  name: ml",
      "  namespace: team-a",
      "spec:",
      "  source:",
      "    format: poetry",
      "    configMapRef:",
      "      name: ml-project",
      "      lockKey: poetry.lock",
      "      files:",
      "        - key: core-pyproject",
      "          path: packages/core/pyproject.toml",
      "  variants:",
      "    - name: cpu",
      "      groups: [test]",
      "      extras: [plots]",
      "  python: \"3.11\"",
      "  platform: linux/arm64",
      "  baseImage: registry.example.com/python:3.11",
      "  installer: pip",
      "  image:",
      "    repository: registry.example.com:5000/team/ml-env",
      "    pushSecretRef: {name: push}",
      "    insecure: true",
      "    caConfigMapRef: {name: registry-ca, key: bundle.pem}",
      "  indexCredentialsSecretRef: {name: index-netrc}",
      "  builder:",
      "    image: ghcr.io/osscontainertools/kaniko:v1.0.0",
      "    resources:",
      "      limits: {memory: 4Gi}",
      "    activeDeadlineSeconds: 900",
      "    cacheRepository: registry.example.com/team/cache",
      "    serviceAccountName: builder",
      "  rebuildToken: \"2024-06-01\"",
      "status:",
      "  observedGeneration: 3",
      "  variantsReady: 1/1",
      "  image: registry.example.com:5000/team/ml-env:cpu-abc@sha256:0123",
      "  conditions:",
      "    - {type: Ready, status: \"True\", reason: Built, message: done}",
      "  variants:",
      "    - name: cpu",
      "      hash: abc",
      "      phase: Succeeded",
      "      packages: 42",
      "      python: 3.11.9",
      "");

  @Test
  void constantsMatchTheResourceAnnotations() {
    assertThat(HasMetadata.getGroup(PythonEnvironment.class)).isEqualTo(EnvforgeApi.GROUP);
    assertThat(HasMetadata.getVersion(PythonEnvironment.class)).isEqualTo(EnvforgeApi.VERSION);
    assertThat(HasMetadata.getApiVersion(PythonEnvironment.class)).isEqualTo(EnvforgeApi.API_VERSION);
    assertThat(HasMetadata.getKind(PythonEnvironment.class)).isEqualTo(EnvforgeApi.KIND);
    assertThat(HasMetadata.getPlural(PythonEnvironment.class)).isEqualTo(EnvforgeApi.PLURAL);
    assertThat(HasMetadata.getSingular(PythonEnvironment.class)).isEqualTo(EnvforgeApi.SINGULAR);
    assertThat(HasMetadata.getFullResourceName(PythonEnvironment.class)).isEqualTo(EnvforgeApi.CRD_NAME);
    assertThat(new PythonEnvironment().getApiVersion()).isEqualTo("envforge.dev/v1alpha1");
  }

  @Test
  void readsEveryFieldOfAFullResource() {
    PythonEnvironment env = Serialization.unmarshal(FULL, PythonEnvironment.class);
    PythonEnvironmentSpec spec = env.getSpec();

    assertThat(spec.getSource().getFormat()).isEqualTo(LockSourceFormat.POETRY);
    assertThat(spec.getSource().getInline()).isNull();
    ConfigMapSource cm = spec.getSource().getConfigMapRef();
    assertThat(cm.getName()).isEqualTo("ml-project");
    assertThat(cm.getPyprojectKey()).isEqualTo("pyproject.toml");
    assertThat(cm.getLockKey()).isEqualTo("poetry.lock");
    assertThat(cm.getFiles()).containsExactly(new ProjectFile("core-pyproject", "packages/core/pyproject.toml"));
    assertThat(spec.getVariants()).containsExactly(new Variant("cpu", List.of("test"), List.of("plots")));
    assertThat(spec.getPython()).isEqualTo("3.11");
    assertThat(spec.getPlatform()).isEqualTo(Platform.LINUX_ARM64);
    assertThat(spec.getBaseImage()).isEqualTo("registry.example.com/python:3.11");
    assertThat(spec.getInstaller()).isEqualTo(Installer.PIP);
    assertThat(spec.getImage().getRepository()).isEqualTo("registry.example.com:5000/team/ml-env");
    assertThat(spec.getImage().getPushSecretRef()).isEqualTo(new SecretReference("push"));
    assertThat(spec.getImage().getInsecure()).isTrue();
    assertThat(spec.getImage().getCaConfigMapRef()).isEqualTo(new CaBundleReference("registry-ca", "bundle.pem"));
    assertThat(spec.getIndexCredentialsSecretRef())
        .isEqualTo(new IndexCredentialsReference("index-netrc", "netrc"));
    BuilderSpec builder = spec.getBuilder();
    assertThat(builder.getImage()).isEqualTo("ghcr.io/osscontainertools/kaniko:v1.0.0");
    assertThat(builder.getResources().getLimits()).containsEntry("memory", new Quantity("4Gi"));
    assertThat(builder.getActiveDeadlineSeconds()).isEqualTo(900L);
    assertThat(builder.getCacheRepository()).isEqualTo("registry.example.com/team/cache");
    assertThat(builder.getServiceAccountName()).isEqualTo("builder");
    assertThat(spec.getRebuildToken()).isEqualTo("2024-06-01");

    PythonEnvironmentStatus status = env.getStatus();
    assertThat(status.getObservedGeneration()).isEqualTo(3L);
    assertThat(status.getVariantsReady()).isEqualTo("1/1");
    assertThat(status.condition(EnvforgeApi.Conditions.READY))
        .hasValueSatisfying(c -> assertThat(c.getReason()).isEqualTo(Reason.BUILT.wire()));
    assertThat(status.condition(EnvforgeApi.Conditions.BUILDING)).isEmpty();
    VariantStatus variant = status.getVariants().get(0);
    assertThat(variant.getPhase()).isEqualTo(VariantPhase.Succeeded);
    assertThat(variant.getPackages()).isEqualTo(42);
    assertThat(variant.getPython()).isEqualTo("3.11.9");
  }

  @Test
  void writesEnumsInTheirResourceSpellingAndRoundTrips() {
    PythonEnvironment env = Serialization.unmarshal(FULL, PythonEnvironment.class);

    String yaml = Serialization.asYaml(env);

    assertThat(yaml).contains("platform: \"linux/arm64\"", "installer: \"pip\"", "format: \"poetry\"",
        "phase: \"Succeeded\"");
    PythonEnvironment again = Serialization.unmarshal(yaml, PythonEnvironment.class);
    assertThat(again.getSpec()).isEqualTo(env.getSpec());
    assertThat(again.getStatus()).isEqualTo(env.getStatus());
  }

  @Test
  void absentOptionalFieldsTakeTheSchemaDefaults() {
    PythonEnvironment env = Serialization.unmarshal(String.join("\n",
        "apiVersion: envforge.dev/v1alpha1",
        "kind: PythonEnvironment",
        "metadata: {name: minimal}",
        "spec:",
        "  source:",
        "    inline: {lock: 'x'}",
        "  image: {repository: registry.example.com/env, caConfigMapRef: {name: ca}}",
        "  indexCredentialsSecretRef: {name: netrc}",
        "  builder: {}",
        ""), PythonEnvironment.class);
    PythonEnvironmentSpec spec = env.getSpec();

    assertThat(spec.getVariants()).containsExactly(new Variant("default"));
    assertThat(spec.getPlatform()).isEqualTo(Platform.LINUX_AMD64);
    assertThat(spec.getInstaller()).isEqualTo(Installer.UV);
    assertThat(spec.getPython()).isNull();
    assertThat(spec.getImage().getInsecure()).isFalse();
    assertThat(spec.getImage().getCaConfigMapRef().getKey()).isEqualTo("ca.crt");
    assertThat(spec.getIndexCredentialsSecretRef().getKey()).isEqualTo("netrc");
    assertThat(spec.getBuilder().getActiveDeadlineSeconds()).as("no CRD default: the operator's deadline applies").isNull();
    assertThat(spec.getSource().getInline().getPyproject()).isNull();
    assertThat(env.getStatus()).isNull();
  }

  @Test
  void statusWithoutChangesIsEqualSoItNeedNotBeWritten() {
    PythonEnvironmentStatus a = new PythonEnvironmentStatus();
    PythonEnvironmentStatus b = new PythonEnvironmentStatus();
    a.getConditions().add(new ConditionBuilder().withType("Ready").withStatus("False").build());
    b.getConditions().add(new ConditionBuilder().withType("Ready").withStatus("False").build());
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);

    b.getConditions().get(0).setStatus("True");
    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void inlineSourceDoesNotPrintTheLockText() {
    assertThat(new InlineSource("[project]", "secret-ish lock")).hasToString(
        "InlineSource{pyproject=9 chars, lock=15 chars}");
  }
}
