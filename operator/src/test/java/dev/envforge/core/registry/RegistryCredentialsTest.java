package dev.envforge.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.envforge.core.registry.RegistryCredentials.Login;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RegistryCredentialsTest {
  private static final String SECRET = "pa:ss-w0rd!";

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsAuthFieldAndSplitsAtTheFirstColon() {
    RegistryCredentials credentials = RegistryCredentials.fromDockerConfigJson("""
        {"auths": {"ghcr.io": {"auth": "%s", "email": "ignored@example.com"}}}
        """.formatted(base64("robot:" + SECRET)));

    Login login = credentials.find("ghcr.io").orElseThrow();
    assertThat(login.username()).isEqualTo("robot");
    assertThat(login.password()).isEqualTo(SECRET);
    assertThat(login.basicAuthorization()).isEqualTo("Basic " + base64("robot:" + SECRET));
    assertThat(credentials.find("quay.io")).isEmpty();
  }

  @Test
  void readsUsernameAndPasswordFields() {
    RegistryCredentials credentials = RegistryCredentials.fromDockerConfigJson("""
        {"auths": {"registry.example.com:5000": {"username": "ci", "password": "%s"}}}
        """.formatted(SECRET));

    assertThat(credentials.find("registry.example.com:5000")).contains(Login.basic("ci", SECRET));
    assertThat(credentials.find("registry.example.com")).as("the port must match").isEmpty();
    assertThat(credentials.find("registry.example.com:5001")).isEmpty();
  }

  @Test
  void authWinsOverUsernameAndPassword() {
    RegistryCredentials credentials = RegistryCredentials.fromDockerConfigJson("""
        {"auths": {"ghcr.io": {"username": "old", "password": "old", "auth": "%s"}}}
        """.formatted(base64("new:" + SECRET)));

    assertThat(credentials.find("ghcr.io")).contains(Login.basic("new", SECRET));
  }

  @Test
  void readsIdentityTokens() {
    RegistryCredentials credentials = RegistryCredentials.fromDockerConfigJson("""
        {"auths": {"myacr.azurecr.io": {"auth": "%s", "identitytoken": "refresh-%s"},
                   "other.azurecr.io": {"identitytoken": "only-token"}}}
        """.formatted(base64("00000000-0000-0000-0000-000000000000:"), SECRET));

    Login withUser = credentials.find("myacr.azurecr.io").orElseThrow();
    assertThat(withUser.identityToken()).isEqualTo("refresh-" + SECRET);
    assertThat(withUser.username()).isEqualTo("00000000-0000-0000-0000-000000000000");
    Login tokenOnly = credentials.find("other.azurecr.io").orElseThrow();
    assertThat(tokenOnly.hasBasic()).isFalse();
    assertThat(tokenOnly.identityToken()).isEqualTo("only-token");
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://index.docker.io/v1/", "index.docker.io", "docker.io", "registry-1.docker.io",
      "https://registry-1.docker.io", "registry.hub.docker.com", "HTTPS://Index.Docker.IO/v1/"})
  void dockerHubAliasesAreOneRegistry(String key) {
    RegistryCredentials credentials = RegistryCredentials.fromDockerConfigJson("""
        {"auths": {"%s": {"auth": "%s"}}}
        """.formatted(key, base64("hubuser:" + SECRET)));

    assertThat(credentials.find(ImageReference.parse("python:3.12").registry()))
        .map(Login::username).contains("hubuser");
    assertThat(credentials.find("docker.io")).isPresent();
  }

  @Test
  void ignoresSchemeAndPathAndCaseOfKeys() {
    RegistryCredentials credentials = RegistryCredentials.fromDockerConfigJson("""
        {"auths": {"https://Registry.Example.com:5000/v2/": {"auth": "%s"}}}
        """.formatted(base64("u:" + SECRET)));

    assertThat(credentials.find("registry.example.com:5000")).isPresent();
    assertThat(credentials.find(ImageReference.parse("REGISTRY.example.com:5000/app").registry())).isPresent();
  }

  @Test
  void matchesGlobKeysLabelByLabelPreferringExactKeys() {
    RegistryCredentials credentials = RegistryCredentials.fromDockerConfigJson("""
        {"auths": {"*.example.com": {"auth": "%s"},
                   "*.*.example.com": {"auth": "%s"},
                   "exact.example.com": {"auth": "%s"},
                   "reg-*.corp.io:5000": {"auth": "%s"}}}
        """.formatted(base64("glob:x"), base64("deep:x"), base64("exact:x"), base64("corp:x")));

    assertThat(credentials.find("a.example.com")).map(Login::username).contains("glob");
    assertThat(credentials.find("a.b.example.com")).map(Login::username).contains("deep");
    assertThat(credentials.find("exact.example.com")).map(Login::username).contains("exact");
    assertThat(credentials.find("example.com")).as("a glob needs its label").isEmpty();
    assertThat(credentials.find("a.example.com:443")).as("a glob key without port matches no port").isEmpty();
    assertThat(credentials.find("reg-eu.corp.io:5000")).map(Login::username).contains("corp");
    assertThat(credentials.find("reg-eu.corp.io")).isEmpty();
    assertThat(credentials.find("other.corp.io:5000")).isEmpty();
  }

  @Test
  void skipsEntriesWithoutCredentialsAndAcceptsMissingAuths() {
    RegistryCredentials credentials = RegistryCredentials.fromDockerConfigJson("""
        {"auths": {"ghcr.io": {}, "quay.io": {"auth": ""}}, "credsStore": "desktop"}
        """);
    assertThat(credentials.isEmpty()).isTrue();
    assertThat(RegistryCredentials.fromDockerConfigJson("{}").isEmpty()).isTrue();
  }

  @Test
  void toStringNeverShowsSecrets() {
    RegistryCredentials credentials = RegistryCredentials.fromDockerConfigJson("""
        {"auths": {"ghcr.io": {"auth": "%s"}, "acr.io": {"identitytoken": "tok-%s"}}}
        """.formatted(base64("robot:" + SECRET), SECRET));

    String shown = credentials + " " + credentials.find("ghcr.io").orElseThrow() + " "
        + credentials.find("acr.io").orElseThrow();
    assertThat(shown).contains("ghcr.io", "robot", "identity token")
        .doesNotContain(SECRET, base64("robot:" + SECRET), "tok-");
    assertThat(RegistryClient.builder().credentials(credentials).build().toString()).doesNotContain(SECRET);
  }

  @Test
  void errorMessagesNeverQuoteTheDocument() {
    String broken = "{\"auths\": {\"ghcr.io\": {\"auth\": \"" + base64("robot:" + SECRET) + "\", password: "
        + SECRET + "}}}";
    assertThatThrownBy(() -> RegistryCredentials.fromDockerConfigJson(broken))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not valid JSON (line 1")
        .hasNoCause()
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET, "pa:ss", base64("robot:" + SECRET)));

    assertThatThrownBy(() -> RegistryCredentials.fromDockerConfigJson(
        "{\"auths\": {\"ghcr.io\": {\"auth\": \"not base64 " + SECRET + "\"}}}"))
        .hasMessage(".dockerconfigjson: auths[\"ghcr.io\"].auth is not valid base64")
        .hasNoCause();
    assertThatThrownBy(() -> RegistryCredentials.fromDockerConfigJson("{\"auths\": {\"ghcr.io\": {\"auth\": \""
        + base64("no-colon-" + SECRET.replace(":", "")) + "\"}}}"))
        .hasMessage(".dockerconfigjson: auths[\"ghcr.io\"].auth must be base64 of user:password");
    assertThatThrownBy(() -> RegistryCredentials.fromDockerConfigJson("{\"auths\": {\"ghcr.io\": {\"password\": \""
        + SECRET + "\"}}}"))
        .hasMessage(".dockerconfigjson: auths[\"ghcr.io\"] has a password but no username");
    assertThatThrownBy(() -> RegistryCredentials.fromDockerConfigJson("{\"auths\": {\"ghcr.io\": {\"password\": 42}}}"))
        .hasMessage(".dockerconfigjson: auths[\"ghcr.io\"].password must be a string");
    assertThatThrownBy(() -> RegistryCredentials.fromDockerConfigJson("[]"))
        .hasMessageContaining("must be a JSON object");
    assertThatThrownBy(() -> RegistryCredentials.fromDockerConfigJson("{\"auths\": []}"))
        .hasMessageContaining("\"auths\" must be an object");
  }

  @Test
  void programmaticCredentialsUseTheSameKeyRules() {
    RegistryCredentials credentials = RegistryCredentials.of(Map.of("https://index.docker.io/v1/",
        Login.basic("me", SECRET)));
    assertThat(credentials.find("docker.io")).isPresent();
    assertThat(credentials.registries()).containsExactly("docker.io");
  }
}
