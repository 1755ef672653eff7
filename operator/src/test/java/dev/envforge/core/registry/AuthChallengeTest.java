package dev.envforge.core.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthChallengeTest {
  @Test
  void parsesDockerHubBearerChallenge() {
    List<AuthChallenge> challenges = AuthChallenge.parse(List.of("Bearer realm=\"https://auth.docker.io/token\","
        + "service=\"registry.docker.io\",scope=\"repository:library/python:pull\""));

    assertThat(challenges).containsExactly(new AuthChallenge("bearer", Map.of(
        "realm", "https://auth.docker.io/token",
        "service", "registry.docker.io",
        "scope", "repository:library/python:pull")));
    assertThat(challenges.get(0).isBearer()).isTrue();
  }

  @Test
  void parsesBasicChallengeAndSeveralChallengesInOneValue() {
    List<AuthChallenge> challenges = AuthChallenge.parse(List.of(
        "Basic realm=\"Registry Realm\", Bearer realm=\"https://a/token\", service=svc"));

    assertThat(challenges).extracting(AuthChallenge::scheme).containsExactly("basic", "bearer");
    assertThat(challenges.get(0).parameter("realm")).isEqualTo("Registry Realm");
    assertThat(challenges.get(1).parameter("service")).isEqualTo("svc");
  }

  @Test
  void handlesEscapesCaseAndSpacing() {
    List<AuthChallenge> challenges = AuthChallenge.parse(List.of("BEARER  Realm = \"https://x/t?a=\\\"b\\\"\" ,",
        "basic"));

    assertThat(challenges).hasSize(2);
    assertThat(challenges.get(0).parameter("realm")).isEqualTo("https://x/t?a=\"b\"");
    assertThat(challenges.get(1).isBasic()).isTrue();
    assertThat(challenges.get(1).parameters()).isEmpty();
  }

  @Test
  void toleratesGarbage() {
    assertThat(AuthChallenge.parse(List.of("", ",,,", "=\"x\""))).isEmpty();
    assertThat(AuthChallenge.parse(List.of("Bearer realm=\"unterminated"))).singleElement()
        .satisfies(c -> assertThat(c.parameter("realm")).isEqualTo("unterminated"));
  }
}
