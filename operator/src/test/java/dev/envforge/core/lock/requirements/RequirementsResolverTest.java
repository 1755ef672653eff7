package dev.envforge.core.lock.requirements;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.envforge.core.lock.LockInputException;
import dev.envforge.core.lock.ProjectFiles;
import dev.envforge.core.plan.Artifact;
import dev.envforge.core.plan.InstallPlan;
import dev.envforge.core.plan.Selection;
import dev.envforge.core.plan.Target;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The requirements resolver on small hand-written files: syntax, includes, markers, and bad input. */
class RequirementsResolverTest {
  private static final String HASH_A = "sha256:1275f7a45be9464efc1173084eaa30f866fe2e47d389406136d332ed4967ec56";
  private static final String HASH_B = "sha256:b650d30f370c2b724812bee08008be0c4163b163ddaec3f2546c1caf65f191db";

  private static final String BASE = """
      #
      # pip-compile --generate-hashes
      #
      --index-url https://pypi.org/simple
      Certifi==2024.12.14 \\
          --hash=%s \\
          --hash=%s
          # via requests
      colorama==0.4.6 ; sys_platform == "win32" \\
          --hash=%s
      requests[socks]==2.32.3  # the HTTP library
          # via -r requirements.in
      """.formatted(HASH_B, HASH_A, HASH_A);

  private static InstallPlan resolve(String file, Map<String, String> files) {
    return new RequirementsResolver(file).resolve(ProjectFiles.of(files, ""), Selection.MAIN, Target.DEFAULT);
  }

  private static Map<String, String> files(String... pathsAndTexts) {
    Map<String, String> files = new LinkedHashMap<>();
    for (int i = 0; i < pathsAndTexts.length; i += 2) {
      files.put(pathsAndTexts[i], pathsAndTexts[i + 1]);
    }
    return files;
  }

  @Test
  void pinsWithHashesContinuationsCommentsAndMarkers() {
    InstallPlan plan = resolve("requirements.txt", files("requirements.txt", BASE));

    assertThat(plan.packages()).extracting(p -> p.name() + "==" + p.version())
        .containsExactly("certifi==2024.12.14", "requests==2.32.3");
    assertThat(plan.packages().get(0).artifacts())
        .containsExactly(new Artifact(null, null, HASH_A), new Artifact(null, null, HASH_B));
    assertThat(plan.packages().get(0).source()).isNull();
  }

  @Test
  void includesAreReadRelativeToTheIncludingFile() {
    Map<String, String> files = files("reqs/dev.txt", "-r base.txt\nruff==0.5.0 --hash=" + HASH_A + "\n",
        "reqs/base.txt", BASE);

    InstallPlan plan = resolve("reqs/dev.txt", files);

    assertThat(plan.packages()).extracting(p -> p.name())
        .containsExactly("certifi", "requests", "ruff");
  }

  @Test
  void missingIncludeAndCycleAndEscapeArePointedAt() {
    assertThatThrownBy(() -> resolve("dev.txt", files("dev.txt", "# dev\n-r base.txt\n")))
        .isInstanceOf(LockInputException.class)
        .hasMessage("dev.txt:2:1: included file 'base.txt' not found");
    assertThatThrownBy(() -> resolve("a.txt", files("a.txt", "-r b.txt\n", "b.txt", "\n-r a.txt\n")))
        .isInstanceOf(LockInputException.class)
        .hasMessage("b.txt:2:1: 'a.txt' includes itself (through a.txt -> b.txt)");
    assertThatThrownBy(() -> resolve("a.txt", files("a.txt", "-r ../secret.txt\n")))
        .isInstanceOf(LockInputException.class)
        .hasMessage("a.txt:1:1: only files inside the project can be included, not '../secret.txt'");
  }

  @Test
  void unpinnedAndConflictingPins() {
    assertThatThrownBy(() -> resolve("r.txt", files("r.txt", "a==1\nrequests>=2\n")))
        .isInstanceOf(LockInputException.class)
        .hasMessage("r.txt:2:1: not pinned: 'requests>=2' (a requirements lock pins every package with ==)");
    assertThatThrownBy(() -> resolve("r.txt", files("r.txt", "a==1\n\nA==2\n")))
        .isInstanceOf(LockInputException.class)
        .hasMessage("r.txt:3:1: 'a' is pinned to '2' here and to '1' at r.txt:1");
  }

  @Test
  void hostileTextIsEscaped() {
    assertThatThrownBy(() -> resolve("r.txt", files("r.txt", "ok==1\nev\u001bil==1\n")))
        .isInstanceOf(LockInputException.class)
        .hasMessageStartingWith("r.txt:2:1: invalid requirement 'ev\\u001bil==1': ");
    assertThatThrownBy(() -> resolve("r.txt", files("r.txt", "ok==1 --hash=sha256:zz\n")))
        .isInstanceOf(LockInputException.class)
        .hasMessage("r.txt:1:1: invalid hash 'sha256:zz'");
    assertThatThrownBy(() -> resolve("r.txt", files("r.txt", "--install-option=--prefix=/\n")))
        .isInstanceOf(LockInputException.class)
        .hasMessage("r.txt:1:1: unknown option '--install-option'");
  }

  @Test
  void editablesAreLocal() {
    InstallPlan plan = resolve("r.txt", files("r.txt", "-e file:.#egg=My_App\nok==1\n"));

    assertThat(plan.localSkipped()).containsExactly("my-app");
    assertThat(plan.packages()).extracting(p -> p.name()).containsExactly("ok");
  }

  @Test
  void groupsAndExtrasDoNotApply() {
    assertThatThrownBy(() -> new RequirementsResolver().resolve(ProjectFiles.of(Map.of("requirements.txt", BASE), ""),
        new Selection(List.of("dev"), List.of()), Target.DEFAULT))
        .isInstanceOf(LockInputException.class)
        .hasMessageContaining("name another requirements file instead");
  }
}
