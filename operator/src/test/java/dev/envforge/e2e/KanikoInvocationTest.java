package dev.envforge.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Kaniko's arguments are read as Kaniko reads them; what cannot be reproduced is refused. */
class KanikoInvocationTest {
  @Test
  void readsTheFlagsEnvforgeWrites() {
    KanikoInvocation kaniko = KanikoInvocation.parse(List.of("--dockerfile=Dockerfile",
        "--context=dir:///workspace", "--destination=127.0.0.1:5000/team/app:ef-1", "--digest-file=/dev/termination-log",
        "--custom-platform=linux/amd64", "--reproducible", "--snapshot-mode=redo",
        "--ignore-path=/run/secrets/envforge", "--insecure-registry=127.0.0.1:5000"));

    assertThat(kaniko.dockerfile()).isEqualTo("Dockerfile");
    assertThat(kaniko.contextDirectory()).isEqualTo("/workspace");
    assertThat(kaniko.destinations()).containsExactly("127.0.0.1:5000/team/app:ef-1");
    assertThat(kaniko.digestFile()).contains("/dev/termination-log");
    assertThat(kaniko.customPlatform()).contains("linux/amd64");
    assertThat(kaniko.reproducible()).isTrue();
    assertThat(kaniko.ignorePaths()).containsExactly("/run/secrets/envforge");
    assertThat(kaniko.pushesInsecurely("127.0.0.1:5000")).isTrue();
    assertThat(kaniko.pullsInsecurely("127.0.0.1:5000")).isTrue();
    assertThat(kaniko.pushesInsecurely("registry.example.com")).isFalse();
  }

  @Test
  void acceptsSeparateValuesAndKanikosDefaults() {
    KanikoInvocation kaniko = KanikoInvocation.parse(List.of("--destination", "r.example/app:1", "--insecure"));

    assertThat(kaniko.dockerfile()).isEqualTo("Dockerfile");
    assertThat(kaniko.contextDirectory()).isEqualTo("/workspace");
    assertThat(kaniko.destinations()).containsExactly("r.example/app:1");
    assertThat(kaniko.pushesInsecurely("r.example")).isTrue();
    assertThat(kaniko.pullsInsecurely("r.example")).isFalse();
  }

  @Test
  void refusesWhatItCannotReproduce() {
    assertThatThrownBy(() -> KanikoInvocation.parse(List.of("--destination=r/a:1", "--cache=true",
        "--cache-repo=r/cache"))).isInstanceOf(KanikoInvocation.UnsupportedFlag.class).hasMessageContaining("--cache");
    assertThatThrownBy(() -> KanikoInvocation.parse(List.of("--destination=r/a:1",
        "--registry-certificate=r=/ca.crt"))).isInstanceOf(KanikoInvocation.UnsupportedFlag.class);
    assertThatThrownBy(() -> KanikoInvocation.parse(List.of("--destination=r/a:1", "--context=s3://bucket/ctx")))
        .isInstanceOf(KanikoInvocation.UnsupportedFlag.class);
    assertThatThrownBy(() -> KanikoInvocation.parse(List.of("--dockerfile=Dockerfile")))
        .isInstanceOf(KanikoInvocation.UnsupportedFlag.class).hasMessageContaining("--destination");
  }

  @Test
  void registryOfAReferenceIsReadAsDockerReadsIt() {
    assertThat(KanikoInvocation.registryOf("127.0.0.1:5000/a/b:1")).isEqualTo("127.0.0.1:5000");
    assertThat(KanikoInvocation.registryOf("localhost/a:1")).isEqualTo("localhost");
    assertThat(KanikoInvocation.registryOf("ghcr.io/a/b@sha256:00")).isEqualTo("ghcr.io");
    assertThat(KanikoInvocation.registryOf("library/python:3.12")).isEqualTo("docker.io");
    assertThat(KanikoInvocation.registryOf("python:3.12")).isEqualTo("docker.io");
  }
}
