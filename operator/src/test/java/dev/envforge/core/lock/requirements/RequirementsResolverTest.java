package dev.envforge.core.lock.requirements;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.envforge.core.lock.LockInputException;
import dev.envforge.core.lock.ProjectFiles;
import dev.envforge.core.hash.PlanHasher;
import dev.envforge.core.plan.Artifact;
import dev.envforge.core.plan.InstallPlan;
import dev.envforge.core.plan.PackageSource;
import dev.envforge.core.plan.PlanJson;
import dev.envforge.core.plan.Selection;
import dev.envforge.core.plan.Target;
import dev.envforge.core.recipe.BuildContext;
import dev.envforge.core.recipe.BuildContextRenderer;
import dev.envforge.core.recipe.BuildRecipe;
import dev.envforge.core.recipe.ImageLabels;
import dev.envforge.core.recipe.Installer;
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
        .hasMessage("dev.txt:2:4: included file 'base.txt' not found");
    assertThatThrownBy(() -> resolve("a.txt", files("a.txt", "-r b.txt\n", "b.txt", "\n-r a.txt\n")))
        .isInstanceOf(LockInputException.class)
        .hasMessage("b.txt:2:4: 'a.txt' includes itself (through a.txt -> b.txt)");
    assertThatThrownBy(() -> resolve("a.txt", files("a.txt", "-r ../secret.txt\n")))
        .isInstanceOf(LockInputException.class)
        .hasMessage("a.txt:1:4: only files inside the project can be included, not '../secret.txt'");
  }

  @Test
  void problemsPointAtTheirPhysicalLineAndColumnAcrossContinuations() {
    assertThatThrownBy(() -> resolve("r.txt", files("r.txt", "# pinned\nok==1 \\\n    --hash=sha256:zz\n")))
        .isInstanceOf(LockInputException.class)
        .hasMessage("r.txt:3:12: invalid hash 'sha256:zz'");
    assertThatThrownBy(() -> resolve("r.txt", files("r.txt", "ok==1 \\\n  --hash \\\n  " + HASH_A
        + " \\\n  --nope\n")))
        .isInstanceOf(LockInputException.class)
        .hasMessage("r.txt:4:3: unknown requirement option '--nope'");
    assertThatThrownBy(() -> resolve("r.txt", files("r.txt", "  requests>=2\n")))
        .isInstanceOf(LockInputException.class)
        .hasMessage("r.txt:1:3: not pinned: 'requests>=2' (a requirements lock pins every package with ==)");
    assertThatThrownBy(() -> resolve("r.txt", files("r.txt", "--index-url \\\n ftp://x.example/simple\n")))
        .isInstanceOf(LockInputException.class)
        .hasMessage("r.txt:2:2: --index-url needs an http(s) URL, not 'ftp://x.example/simple'");
    assertThatThrownBy(() -> resolve("r.txt", files("r.txt", "--pre extra\n")))
        .isInstanceOf(LockInputException.class)
        .hasMessage("r.txt:1:7: unexpected text after '--pre'");
    assertThatThrownBy(() -> resolve("r.txt", files("r.txt", "a==1 \\\n ; python_version >= '3' and (\n")))
        .isInstanceOf(LockInputException.class)
        .hasMessageStartingWith("r.txt:2:");
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
        .hasMessageStartingWith("r.txt:2:3: invalid requirement 'ev\\u001bil==1': ");
    assertThatThrownBy(() -> resolve("r.txt", files("r.txt", "ok==1 --hash=sha256:zz\n")))
        .isInstanceOf(LockInputException.class)
        .hasMessage("r.txt:1:14: invalid hash 'sha256:zz'");
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

  @Test
  void theFilesIndexesAreKeptInOrderAndRenderedSo() {
    String text = "--index-url https://private.example/simple/\n--extra-index-url=https://mirror.example/simple\n"
        + "-r more.txt\nok==1 --hash=" + HASH_A + "\n";
    InstallPlan plan = resolve("r.txt", files("r.txt", text, "more.txt",
        "--extra-index-url https://third.example/simple\nother==2 --hash=" + HASH_B + "\n"));

    assertThat(plan.indexes()).containsExactly("https://private.example/simple", "https://mirror.example/simple",
        "https://third.example/simple");
    assertThat(plan.packages()).allSatisfy(p -> assertThat(p.source())
        .isEqualTo(PackageSource.registry("https://private.example/simple")));
    String requirements = BuildContextRenderer.render(plan, new BuildRecipe("docker.io/library/python:3.12-slim",
        "3.12.7", "linux/amd64", Installer.PIP), new ImageLabels("default", "0".repeat(64), "0".repeat(64)))
        .files().get(BuildContext.HASHED_REQUIREMENTS);
    assertThat(requirements).contains("--index-url https://private.example/simple\n"
        + "--extra-index-url https://mirror.example/simple\n--extra-index-url https://third.example/simple\n");
    assertThat(requirements).doesNotContain("pypi.org");
  }

  @Test
  void anIndexOfItsOwnChangesTheHashAndCredentialsDoNot() {
    String pins = "ok==1 --hash=" + HASH_A + "\n";
    InstallPlan pypi = resolve("r.txt", files("r.txt", pins));
    InstallPlan explicitPypi = resolve("r.txt", files("r.txt", "-i https://pypi.org/simple\n" + pins));
    InstallPlan privateIndex = resolve("r.txt", files("r.txt", "-ihttps://private.example/simple\n" + pins));
    InstallPlan withCredentials = resolve("r.txt", files("r.txt",
        "--index-url https://bob:s3cret@private.example/simple\n" + pins));
    BuildRecipe recipe = new BuildRecipe("docker.io/library/python:3.12-slim", "3.12.7", "linux/amd64", Installer.UV);

    assertThat(PlanHasher.hash(explicitPypi, recipe)).isEqualTo(PlanHasher.hash(pypi, recipe));
    assertThat(PlanHasher.hash(privateIndex, recipe).hex()).isNotEqualTo(PlanHasher.hash(pypi, recipe).hex());
    assertThat(PlanHasher.hash(withCredentials, recipe)).isEqualTo(PlanHasher.hash(privateIndex, recipe));
    assertThat(PlanJson.toJson(withCredentials).toString()).doesNotContain("s3cret").doesNotContain("bob");
  }

  @Test
  void ambiguousIndexesAreRefused() {
    assertThatThrownBy(() -> resolve("r.txt", files("r.txt", "-i https://a.example/simple\n"
        + "--index-url https://b.example/simple\nok==1 --hash=" + HASH_A + "\n")))
        .hasMessage("r.txt:2:13: a second --index-url 'https://b.example/simple' after 'https://a.example/simple'"
            + " at r.txt:1: pip would use only the last one; keep one --index-url and add others with"
            + " --extra-index-url");
    assertThatThrownBy(() -> resolve("r.txt", files("r.txt", "--extra-index-url https://x.example/simple\n"
        + "ok==1 --hash=" + HASH_A + "\nprivate-lib==1\n")))
        .hasMessageStartingWith("r.txt:3:1: 'private-lib' has no --hash, and --extra-index-url at r.txt:1");
    for (String option : List.of("--find-links ./w", "-f ./w", "--no-index", "--find-links=./w")) {
      assertThatThrownBy(() -> resolve("r.txt", files("r.txt", option + "\nok==1\n")))
          .hasMessageEndingWith("is not supported: the image installs every pin from package indexes only (name"
              + " them with --index-url)");
    }
    assertThatThrownBy(() -> resolve("r.txt", files("r.txt", "-i file:///srv/simple\nok==1\n")))
        .hasMessage("r.txt:1:4: --index-url needs an http(s) URL, not 'file:///srv/simple'");
  }

  @Test
  void includesAreBoundedInDepthAndEachFileIsReadOnce() {
    Map<String, String> chain = new LinkedHashMap<>();
    for (int k = 0; k < 32; k++) {
      chain.put("r" + k + ".txt", "-r r" + (k + 1) + ".txt\n");
    }
    chain.put("r32.txt", "ok==1\n");
    assertThat(resolve("r1.txt", chain).packages()).hasSize(1);
    assertThatThrownBy(() -> resolve("r0.txt", chain))
        .hasMessageStartingWith("r31.txt:1:4: -r includes nest more than 32 deep (through r0.txt -> r1.txt");

    // every file includes the next one twice: 2^30 reads if files were read again
    Map<String, String> diamonds = new LinkedHashMap<>();
    for (int k = 0; k < 30; k++) {
      diamonds.put("d" + k + ".txt", "-r d" + (k + 1) + ".txt\n--requirement d" + (k + 1) + ".txt\np" + k + "==1\n");
    }
    diamonds.put("d30.txt", "ok==1\n");
    assertThat(resolve("d0.txt", diamonds).packages()).hasSize(31);
  }

  /** Via comments are read once per file, not once per pin: resolving stays linear in the size of the file. */
  @Test
  void eachFileIsReadOncePerResolveHoweverManyPinsItHas() {
    StringBuilder text = new StringBuilder("-r base.txt\n");
    for (int i = 0; i < 500; i++) {
      text.append("pkg").append(i).append("==1.0\n    # via -r requirements.in\n");
    }
    ProjectFiles files = ProjectFiles.of(java.util.Map.of("requirements.txt", text.toString(),
        "base.txt", "base-pkg==2.0\n    # via -r base.in\n", "requirements.in", "pkg1\n"), "project/");
    java.util.Map<String, Integer> reads = new java.util.TreeMap<>();
    ProjectFiles counting = new ProjectFiles() {
      @Override
      public java.util.Optional<String> read(String relativePath) {
        reads.merge(relativePath, 1, Integer::sum);
        return files.read(relativePath);
      }

      @Override
      public String displayName(String relativePath) {
        return files.displayName(relativePath);
      }
    };

    InstallPlan plan = new RequirementsResolver().resolve(counting, Selection.MAIN, Target.DEFAULT);

    assertThat(plan.packages()).hasSize(501);
    assertThat(reads).allSatisfy((path, count) -> assertThat(count).as(path).isLessThanOrEqualTo(2));
  }
}
