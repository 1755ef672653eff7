package dev.envforge.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Volumes are projected into files as the kubelet projects them. */
class PodFilesTest {
  static final ConfigMap CONTEXT = new ConfigMapBuilder().withNewMetadata().withName("ctx").endMetadata()
      .withData(Map.of("Dockerfile", "FROM x\n", "requirements.txt", "alpha==1.0\n"))
      .withBinaryData(Map.of("blob.bin", Base64.getEncoder().encodeToString(new byte[] {0, 1, 2})))
      .build();
  static final Secret NETRC = new SecretBuilder().withNewMetadata().withName("creds").endMetadata()
      .withData(Map.of("netrc", base64("machine h login u password p\n"), "other", base64("x"))).build();

  @TempDir
  Path dir;

  @Test
  void wholeConfigMapVolumeShowsEveryKeyWithTheDefaultMode() {
    PodSpec pod = pod(new VolumeBuilder().withName("c").withNewConfigMap().withName("ctx").withDefaultMode(0444)
        .endConfigMap().build());
    Container container = container(new VolumeMountBuilder().withName("c").withMountPath("/workspace").build());

    PodFiles files = PodFiles.project(pod, container, lookup(CONTEXT), name -> null);

    assertThat(files.files()).containsOnlyKeys("/workspace/Dockerfile", "/workspace/requirements.txt",
        "/workspace/blob.bin");
    assertThat(files.files().get("/workspace/Dockerfile").text()).isEqualTo("FROM x\n");
    assertThat(files.files().get("/workspace/blob.bin").content()).containsExactly(0, 1, 2);
    assertThat(files.files().values()).allSatisfy(f -> assertThat(f.mode()).isEqualTo(0444));
    assertThat(files.mountPaths()).containsExactly("/workspace");
  }

  @Test
  void subPathMountsShowOneFileEach() {
    PodSpec pod = pod(new VolumeBuilder().withName("c").withNewConfigMap().withName("ctx").endConfigMap().build());
    Container container = container(
        new VolumeMountBuilder().withName("c").withMountPath("/workspace/Dockerfile").withSubPath("Dockerfile")
            .build(),
        new VolumeMountBuilder().withName("c").withMountPath("/workspace/requirements.txt")
            .withSubPath("requirements.txt").build());

    PodFiles files = PodFiles.project(pod, container, lookup(CONTEXT), name -> null);

    assertThat(files.under("/workspace")).containsOnlyKeys("Dockerfile", "requirements.txt");
    assertThat(files.files().get("/workspace/Dockerfile").mode()).isEqualTo(PodFiles.DEFAULT_MODE);
  }

  @Test
  void secretItemsAreDecodedAtTheirPathWithTheirModes() throws IOException {
    PodSpec pod = pod(new VolumeBuilder().withName("s").withNewSecret().withSecretName("creds").withDefaultMode(0400)
        .withItems(new KeyToPath("netrc", null, "netrc")).endSecret().build());
    Container container = container(new VolumeMountBuilder().withName("s").withMountPath("/run/secrets/envforge")
        .build());

    PodFiles files = PodFiles.project(pod, container, name -> null, lookup(NETRC));
    int written = files.writeUnder("/run/secrets/envforge", dir);

    assertThat(written).isEqualTo(1);
    assertThat(files.files()).containsOnlyKeys("/run/secrets/envforge/netrc");
    assertThat(Files.readString(dir.resolve("netrc"))).isEqualTo("machine h login u password p\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("netrc"))))
        .isEqualTo("r--------");
  }

  @Test
  void aMissingObjectOrKeyHoldsTheMountUnlessOptional() {
    Container container = container(new VolumeMountBuilder().withName("s").withMountPath("/s").build());
    PodSpec missingKey = pod(new VolumeBuilder().withName("s").withNewSecret().withSecretName("creds")
        .withItems(new KeyToPath("nope", null, "netrc")).endSecret().build());
    PodSpec missingSecret = pod(new VolumeBuilder().withName("s").withNewSecret().withSecretName("gone")
        .endSecret().build());
    PodSpec optional = pod(new VolumeBuilder().withName("s").withNewSecret().withSecretName("gone")
        .withOptional(true).endSecret().build());

    assertThatThrownBy(() -> PodFiles.project(missingKey, container, name -> null, lookup(NETRC)))
        .isInstanceOf(PodFiles.MountNotReady.class).hasMessageContaining("no key nope");
    assertThatThrownBy(() -> PodFiles.project(missingSecret, container, name -> null, lookup(NETRC)))
        .isInstanceOf(PodFiles.MountNotReady.class).hasMessageContaining("Secret gone");
    assertThat(PodFiles.project(optional, container, name -> null, lookup(NETRC)).files()).isEmpty();
  }

  @Test
  void otherVolumeTypesAreRefused() {
    PodSpec pod = pod(new VolumeBuilder().withName("h").withNewHostPath().withPath("/etc").endHostPath().build());
    Container container = container(new VolumeMountBuilder().withName("h").withMountPath("/h").build());

    assertThatThrownBy(() -> PodFiles.project(pod, container, name -> null, name -> null))
        .isInstanceOf(PodFiles.UnsupportedMount.class);
  }

  private static PodSpec pod(io.fabric8.kubernetes.api.model.Volume volume) {
    return new PodSpecBuilder().withVolumes(volume).build();
  }

  private static Container container(io.fabric8.kubernetes.api.model.VolumeMount... mounts) {
    return new ContainerBuilder().withName("build").withVolumeMounts(mounts).build();
  }

  private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> Function<String, T> lookup(T object) {
    return name -> name.equals(object.getMetadata().getName()) ? object : null;
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
