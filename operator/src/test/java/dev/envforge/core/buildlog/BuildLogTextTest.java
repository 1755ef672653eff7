package dev.envforge.core.buildlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BuildLogTextTest {
  static final String PASSWORD = "s3cr3t-push-pa55";
  static final String TOKEN = "ghp_0123456789abcdefABCDEF";

  @Test
  void credentialsInUrlsAndKnownSecretValuesAreRemovedInEveryForm() {
    String log = String.join("\n",
        "Looking in indexes: https://builder:" + TOKEN + "@pypi.internal.example/simple",
        "auth header Basic " + Base64.getEncoder().encodeToString(PASSWORD.getBytes(StandardCharsets.UTF_8)),
        "password=" + PASSWORD + " trailing",
        "query ?token=" + URLEncoder.encode(TOKEN + "/+=", StandardCharsets.UTF_8),
        "git+ssh://git@github.com/org/repo.git stays");
    String redacted = BuildLogText.redact(log, Set.of(PASSWORD, TOKEN + "/+="));

    assertThat(redacted).doesNotContain(PASSWORD, TOKEN,
        Base64.getEncoder().encodeToString(PASSWORD.getBytes(StandardCharsets.UTF_8)),
        URLEncoder.encode(TOKEN + "/+=", StandardCharsets.UTF_8));
    assertThat(redacted).contains("https://***@pypi.internal.example/simple", "password=*** trailing",
        "git+ssh://git@github.com/org/repo.git stays");
    assertThat(redacted.lines()).hasSize(5);
  }

  @Test
  void aLongerSecretIsRemovedWholeWhenAShorterOneIsPartOfIt() {
    String shorter = "abcdefgh";
    String longer = "abcdefgh-and-more";
    assertThat(BuildLogText.redact("x " + longer + " y " + shorter, List.of(shorter, longer)))
        .isEqualTo("x *** y ***");
  }

  @Test
  void shortValuesAreNotTakenForSecrets() {
    assertThat(BuildLogText.redact("user admin ran {}", Set.of("admin", "{}"))).isEqualTo("user admin ran {}");
  }

  @Test
  void aShortLogIsItsOwnTail() {
    assertThat(BuildLogText.tail("one\ntwo\n", 4096)).isEqualTo("one\ntwo\n");
  }

  @Test
  void theTailIsBoundedInBytesAndStartsAtALine() {
    StringBuilder log = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      log.append("line ").append(i).append(" of the build\n");
    }
    log.append("error building image: failed to execute command: exit status 1\n");
    String tail = BuildLogText.tail(log.toString(), 4096);

    assertThat(tail.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(4096).isGreaterThan(3900);
    assertThat(tail).startsWith(BuildLogText.CUT + "line ").endsWith("exit status 1\n");
    assertThat(log.toString()).endsWith(tail.substring(BuildLogText.CUT.length()));
  }

  @Test
  void theTailNeverSplitsACharacter() {
    // one long line of three-byte characters: no line start to begin at, and any cut could split one
    String log = "€".repeat(3000);
    for (int max = 100; max < 110; max++) {
      String tail = BuildLogText.tail(log, max);
      assertThat(tail.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(max);
      assertThat(tail.substring(BuildLogText.CUT.length())).matches("€+");
    }
  }

  @Test
  void secretValuesComeFromDockerConfigsAndNetrcFiles() {
    String auth = Base64.getEncoder().encodeToString(("robot:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    String dockerConfig = "{\"auths\":{\"registry.example.com\":{\"auth\":\"" + auth + "\"},"
        + "\"ghcr.io\":{\"username\":\"u\",\"password\":\"" + TOKEN + "\",\"identitytoken\":\"idtoken-12345678\"}}}";
    String netrc = "machine pypi.internal.example login builder password netrc-pass-123\n";

    Set<String> values = SecretValues.of(List.of(dockerConfig, netrc));

    assertThat(values).contains(dockerConfig, netrc, auth, "robot:" + PASSWORD, PASSWORD, TOKEN,
        "idtoken-12345678", "netrc-pass-123");
    String log = "pushing with " + PASSWORD + ", " + TOKEN + " and netrc-pass-123";
    assertThat(BuildLogText.redact(log, values)).isEqualTo("pushing with ***, *** and ***");
  }
}
