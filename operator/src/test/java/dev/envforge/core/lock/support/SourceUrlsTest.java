package dev.envforge.core.lock.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SourceUrlsTest {
  @Test
  void fetchableUrlsAreHttpHttpsOrFile() {
    assertThat(SourceUrls.isFetchable("HTTPS://pypi.org/simple")).isTrue();
    assertThat(SourceUrls.isFetchable("http://127.0.0.1:8080/simple")).isTrue();
    assertThat(SourceUrls.isFetchable("file:///srv/wheels")).isTrue();
    assertThat(SourceUrls.isFetchable("ssh://git@github.com/a/b")).isFalse();
    assertThat(SourceUrls.isFetchable("/srv/wheels")).isFalse();
  }

  @Test
  void gitSchemesAreSshAndGit() {
    assertThat(SourceUrls.hasGitScheme("ssh://git@github.com/a/b.git")).isTrue();
    assertThat(SourceUrls.hasGitScheme("GIT://github.com/a/b.git")).isTrue();
    assertThat(SourceUrls.hasGitScheme("https://github.com/a/b.git")).isFalse();
  }

  @Test
  void commitsAreSevenToSixtyFourHexDigits() {
    assertThat(SourceUrls.isCommit("a1b2c3d")).isTrue();
    assertThat(SourceUrls.isCommit("A1B2C3D4E5F60718293a4b5c6d7e8f9012345678")).isTrue();
    assertThat(SourceUrls.isCommit("a1b2c3")).isFalse();
    assertThat(SourceUrls.isCommit("main")).isFalse();
    assertThat(SourceUrls.isCommit("a".repeat(65))).isFalse();
    assertThat(SourceUrls.isCommit(null)).isFalse();
  }

  @Test
  void localPathsMayHoldSpacesButNoControls() {
    assertThat(SourceUrls.isWellFormed("../my project", true)).isTrue();
    assertThat(SourceUrls.isWellFormed("../my project", false)).isFalse();
    assertThat(SourceUrls.isWellFormed("../a\nb", true)).isFalse();
    assertThat(SourceUrls.isWellFormed("", true)).isFalse();
    assertThat(SourceUrls.isWellFormed("https://pypi.org/simple", false)).isTrue();
  }
}
