package dev.envforge.core.lock.poetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.core.lock.ProjectFiles;
import dev.envforge.core.plan.Artifact;
import dev.envforge.core.plan.InstallPlan;
import dev.envforge.core.plan.PackageSource;
import dev.envforge.core.plan.PlannedPackage;
import dev.envforge.core.plan.Selection;
import dev.envforge.core.plan.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The resolution rules on small hand-written projects, for the cases the corpus does not show. */
class PoetrySemanticsTest {
  private final PoetryResolver resolver = new PoetryResolver();

  /** A lock with one entry per "name version" (plus optional extra TOML lines after each entry's header block). */
  private static String lock(String lockVersion, String... entries) {
    StringBuilder out = new StringBuilder();
    for (String entry : entries) {
      String[] lines = entry.split("\n", 2);
      String[] nameVersion = lines[0].split(" ");
      out.append("[[package]]\nname = \"").append(nameVersion[0]).append("\"\nversion = \"").append(nameVersion[1])
          .append("\"\ndescription = \"\"\noptional = false\npython-versions = \"*\"\nfiles = []\n");
      if (lines.length > 1) {
        out.append(lines[1]).append('\n');
      }
      out.append('\n');
    }
    out.append("[metadata]\nlock-version = \"").append(lockVersion).append("\"\npython-versions = \"*\"\n");
    return out.toString();
  }

  private InstallPlan resolve(String pyproject, String lock, Selection selection, String python) {
    ProjectFiles files = ProjectFiles.of(Map.of("pyproject.toml", pyproject, "poetry.lock", lock), "");
    return resolver.resolve(files, selection, new Target(python, Target.DEFAULT_PLATFORM));
  }

  private static List<String> names(InstallPlan plan) {
    List<String> out = new ArrayList<>();
    for (PlannedPackage p : plan.packages()) {
      out.add(p.name() + " " + p.version());
    }
    return out;
  }

  @Test
  void pythonBoundsWithTwoPartsCompareThePythonVersionAndLongerOnesTheFullVersion() {
    String pyproject = """
        [tool.poetry.dependencies]
        python = ">=3.9"
        two-parts = { version = "*", python = ">3.11" }
        three-parts = { version = "*", python = ">3.11.0" }
        caret = { version = "*", python = "^3.11" }
        wildcard = { version = "*", python = "3.11.*" }
        either = { version = "*", python = "<3.10 || >=3.12" }
        """;
    String lock = lock("2.1", "two-parts 1", "three-parts 1", "caret 1", "wildcard 1", "either 1");

    assertThat(names(resolve(pyproject, lock, Selection.MAIN, "3.11.2")))
        .containsExactly("caret 1", "three-parts 1", "wildcard 1");
    assertThat(names(resolve(pyproject, lock, Selection.MAIN, "3.12.1")))
        .containsExactly("caret 1", "either 1", "three-parts 1", "two-parts 1");
  }

  @Test
  void platformConstraintsCompareSysPlatform() {
    String pyproject = """
        [tool.poetry.dependencies]
        python = ">=3.9"
        on-linux = { version = "*", platform = "linux" }
        on-darwin = { version = "*", platform = "darwin" }
        not-windows = { version = "*", platform = "!win32" }
        """;
    String lock = lock("2.0", "on-linux 1", "on-darwin 1", "not-windows 1");

    assertThat(names(resolve(pyproject, lock, Selection.MAIN, "3.12.7")))
        .containsExactly("not-windows 1", "on-linux 1");
  }

  @Test
  void legacyDevDependenciesAreGroupDevAndIncludedGroupsAreFollowed() {
    String pyproject = """
        [tool.poetry.dependencies]
        python = "^3.10"
        [tool.poetry.dev-dependencies]
        black = "*"
        [tool.poetry.group.lint.dependencies]
        ruff = "*"
        [tool.poetry.group.ci]
        include-groups = ["lint", "dev"]
        [tool.poetry.group.ci.dependencies]
        tox = "*"
        """;
    String lock = lock("1.1", "black 24.1.0", "ruff 0.5.0", "tox 4.0.0");

    assertThat(names(resolve(pyproject, lock, Selection.MAIN, "3.12.7"))).isEmpty();
    assertThat(names(resolve(pyproject, lock, new Selection(List.of("dev"), List.of()), "3.12.7")))
        .containsExactly("black 24.1.0");
    assertThat(names(resolve(pyproject, lock, new Selection(List.of("ci"), List.of()), "3.12.7")))
        .containsExactly("black 24.1.0", "ruff 0.5.0", "tox 4.0.0");
  }

  @Test
  void lockVersion11TakesFilesFromMetadata() {
    String pyproject = """
        [tool.poetry.dependencies]
        python = "^3.10"
        Six = "*"
        """;
    String lock = """
        [[package]]
        name = "six"
        version = "1.16.0"
        description = ""
        category = "main"
        optional = false
        python-versions = "*"

        [metadata]
        lock-version = "1.1"
        python-versions = "^3.10"
        content-hash = "0"

        [metadata.files]
        six = [
            {file = "six-1.16.0.tar.gz", hash = "sha256:1e61c37477a1626458e36f7b1d82aa5c9b094fa4802892072e49de9c60c4c926"},
            {file = "six-1.16.0-py2.py3-none-any.whl", hash = "sha256:8abb2f1d86890a2dfb989f9a77cfcfd3e47c2a354b01111771326f8aa26e0254"},
            {file = "six-1.16.0-cp27-cp27m-win32.whl", hash = "sha256:8abb2f1d86890a2dfb989f9a77cfcfd3e47c2a354b01111771326f8aa26e0254"},
        ]
        """;

    PlannedPackage six = resolve(pyproject, lock, Selection.MAIN, "3.12.7").packages().get(0);

    assertThat(six.source()).isEqualTo(PackageSource.registry(PackageSource.PYPI));
    assertThat(six.artifacts()).containsExactly(
        new Artifact("six-1.16.0-py2.py3-none-any.whl", null,
            "sha256:8abb2f1d86890a2dfb989f9a77cfcfd3e47c2a354b01111771326f8aa26e0254"),
        new Artifact("six-1.16.0.tar.gz", null,
            "sha256:1e61c37477a1626458e36f7b1d82aa5c9b094fa4802892072e49de9c60c4c926"));
  }

  @Test
  void optionalDependenciesFollowTheRequestedExtrasListItemsAndTheirMarkers() {
    String pyproject = """
        [project]
        name = "demo"
        requires-python = ">=3.10"
        dependencies = ["client[socks,fast]>=1"]
        """;
    String lock = lock("2.1", """
        client 1.0
        [package.dependencies]
        pysocks = {version = "*", optional = true}
        speedups = {version = "*", optional = true}
        win-only = {version = "*", optional = true}
        unused = {version = "*", optional = true}
        [package.extras]
        socks = ["pysocks (>=1.5) ; python_version >= \\"3.8\\"", "win-only ; sys_platform == \\"win32\\""]
        fast = ["speedups[native] (>=2 || <1)"]
        other = ["unused"]""", """
        speedups 2.0
        [package.dependencies]
        native-ext = {version = "*", optional = true, markers = "extra == \\"native\\""}
        [package.extras]
        native = ["native-ext"]""", "pysocks 1.7", "win-only 1", "unused 1", "native-ext 1");

    assertThat(names(resolve(pyproject, lock, Selection.MAIN, "3.12.7")))
        .containsExactly("client 1.0", "native-ext 1", "pysocks 1.7", "speedups 2.0");
  }

  @Test
  void aDependencyOnTheProjectItselfRequestsItsExtras() {
    String pyproject = """
        [tool.poetry]
        name = "demo"
        [tool.poetry.dependencies]
        python = "^3.10"
        extra-a = { version = "*", optional = true }
        extra-b = { version = "*", optional = true }
        [tool.poetry.extras]
        a = ["extra-a"]
        b = ["extra-b"]
        [tool.poetry.group.dev.dependencies]
        plugin = "*"
        """;
    String lock = lock("2.1", """
        plugin 1
        [package.dependencies]
        demo = {version = "*", extras = ["b"]}""", "extra-a 1", "extra-b 1");

    assertThat(names(resolve(pyproject, lock, new Selection(List.of("dev"), List.of("a")), "3.12.7")))
        .containsExactly("extra-a 1", "extra-b 1", "plugin 1");
    assertThat(resolve(pyproject, lock, new Selection(List.of("dev"), List.of("a")), "3.12.7").localSkipped())
        .isEmpty();
  }

  @Test
  void aNamedSourcePicksItsEntryAndALegacySourceIsARegistry() {
    String pyproject = """
        [project]
        name = "demo"
        requires-python = ">=3.10"
        dependencies = ["torch>=2"]
        [[tool.poetry.source]]
        name = "pytorch"
        url = "https://download.pytorch.org/whl/cpu/"
        priority = "explicit"
        [tool.poetry.dependencies]
        torch = { source = "pytorch" }
        """;
    String lock = lock("2.0", "torch 2.4.0", """
        torch 2.4.0+cpu
        [package.source]
        type = "legacy"
        url = "https://download.pytorch.org/whl/cpu/"
        reference = "pytorch\"""");

    PlannedPackage torch = resolve(pyproject, lock, Selection.MAIN, "3.12.7").packages().get(0);

    assertThat(torch.version()).isEqualTo("2.4.0+cpu");
    assertThat(torch.source()).isEqualTo(PackageSource.registry("https://download.pytorch.org/whl/cpu"));
  }

  @Test
  void perGroupMarkersOfALock21ChooseBetweenEntries() {
    String pyproject = """
        [tool.poetry.dependencies]
        python = ">=3.10"
        numpy = "*"
        """;
    String lock = lock("2.1", """
        numpy 1.26.4
        groups = ["main", "dev"]
        markers = {main = "python_version < \\"3.12\\"", dev = "python_version < \\"3.11\\""}""", """
        numpy 2.1.0
        groups = ["main"]
        markers = 'python_version >= "3.12"'""");

    assertThat(names(resolve(pyproject, lock, Selection.MAIN, "3.11.9"))).containsExactly("numpy 1.26.4");
    assertThat(names(resolve(pyproject, lock, Selection.MAIN, "3.12.7"))).containsExactly("numpy 2.1.0");
  }

  @Test
  void withoutMarkersTheHighestVersionThatSatisfiesEveryTakenEdgeIsChosen() {
    String pyproject = """
        [tool.poetry.dependencies]
        python = ">=3.10"
        app = "*"
        pydantic = ">=2"
        """;
    String lock = lock("2.0", """
        app 1
        [package.dependencies]
        pydantic = "<2.9\"""", "pydantic 2.8.2", "pydantic 2.9.2");

    assertThat(names(resolve(pyproject, lock, Selection.MAIN, "3.12.7")))
        .containsExactly("app 1", "pydantic 2.8.2");
  }

  @Test
  void aLockedPreReleaseSatisfiesARangeThatDoesNotNameOne() {
    String pyproject = """
        [project]
        name = "demo"
        requires-python = ">=3.10"
        dependencies = ["lib>=1.0"]
        """;
    String lock = lock("2.0", "lib 1.5", "lib 2.0rc1");

    assertThat(names(resolve(pyproject, lock, Selection.MAIN, "3.12.7"))).containsExactly("lib 2.0rc1");
  }

  @Test
  void directoryPackagesAreFollowedButNotInstalled() {
    String pyproject = """
        [tool.poetry.dependencies]
        python = ">=3.10"
        [tool.poetry.group.test.dependencies]
        helpers = { path = "libs/helpers", develop = true }
        """;
    String lock = lock("2.0", """
        helpers 0.1.0
        develop = true
        [package.dependencies]
        pytest = "*"
        [package.source]
        type = "directory"
        url = "libs/helpers\"""", "pytest 8.0.0");

    InstallPlan plan = resolve(pyproject, lock, new Selection(List.of("test"), List.of()), "3.12.7");

    assertThat(names(plan)).containsExactly("pytest 8.0.0");
    assertThat(plan.localSkipped()).containsExactly("helpers");
  }

  @Test
  void gitAndUrlSourcesKeepTheirUrlAndCommit() {
    String pyproject = """
        [tool.poetry.dependencies]
        python = ">=3.10"
        tool = { git = "https://github.com/example/tool.git", subdirectory = "py" }
        model = { url = "https://example.org/model-1.0-py3-none-any.whl" }
        """;
    String lock = lock("2.1", """
        tool 0.3.0
        [package.source]
        type = "git"
        url = "https://github.com/example/tool.git"
        reference = "HEAD"
        resolved_reference = "0123456789abcdef0123456789abcdef01234567"
        subdirectory = "py\"""", """
        model 1.0
        [package.source]
        type = "url"
        url = "https://example.org/model-1.0-py3-none-any.whl\"""");

    List<PlannedPackage> packages = resolve(pyproject, lock, Selection.MAIN, "3.12.7").packages();

    assertThat(packages).extracting(PlannedPackage::source).containsExactly(
        PackageSource.url("https://example.org/model-1.0-py3-none-any.whl", null),
        PackageSource.git("https://github.com/example/tool.git", "0123456789abcdef0123456789abcdef01234567", "py"));
  }
}
