package dev.envforge.core.lock.uv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.envforge.core.lock.LockInputException;
import dev.envforge.core.lock.ProjectFiles;
import dev.envforge.core.plan.InstallPlan;
import dev.envforge.core.plan.PackageSource;
import dev.envforge.core.plan.PlannedPackage;
import dev.envforge.core.plan.Selection;
import dev.envforge.core.plan.Target;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The uv resolver on small hand-written projects: features one at a time, and bad input with its position. */
class UvResolverTest {
  private final UvResolver resolver = new UvResolver();

  private static final String PYPROJECT = """
      [project]
      name = "app"
      version = "1.0"
      requires-python = ">=3.10"
      dependencies = [
          "requests>=2",
      ]

      [project.optional-dependencies]
      socks = ["pysocks"]

      [dependency-groups]
      test = ["pytest"]
      dev = [{include-group = "test"}, "ruff"]
      """;

  private static final String LOCK = """
      version = 1
      revision = 3
      requires-python = ">=3.10"

      [[package]]
      name = "app"
      version = "1.0"
      source = { editable = "." }
      dependencies = [
          { name = "requests" },
      ]

      [package.optional-dependencies]
      socks = [
          { name = "pysocks" },
      ]

      [package.dev-dependencies]
      dev = [
          { name = "pytest" },
          { name = "ruff" },
      ]
      test = [
          { name = "pytest" },
      ]

      [[package]]
      name = "pysocks"
      version = "1.7.1"
      source = { registry = "https://pypi.org/simple" }
      sdist = { url = "https://files.pythonhosted.org/p/PySocks-1.7.1.tar.gz", hash = "sha256:3f8804571ebe159c380ac6de37643bb4685970655d3bba243530d6558b799aa0" }

      [[package]]
      name = "pytest"
      version = "8.0.0"
      source = { registry = "https://pypi.org/simple" }
      dependencies = [
          { name = "colorama", marker = "sys_platform == 'win32'" },
      ]

      [[package]]
      name = "colorama"
      version = "0.4.6"
      source = { registry = "https://pypi.org/simple" }

      [[package]]
      name = "requests"
      version = "2.32.0"
      source = { registry = "https://pypi.org/simple" }
      wheels = [
          { url = "https://files.pythonhosted.org/p/requests-2.32.0-py3-none-any.whl", hash = "sha256:f2c3881dddb70d056c5bd7600a4fae312b2a300e39be6a118d30b90bd27262b5" },
          { url = "https://files.pythonhosted.org/p/requests-2.32.0-cp312-cp312-win_amd64.whl", hash = "sha256:f2c3881dddb70d056c5bd7600a4fae312b2a300e39be6a118d30b90bd27262b6" },
      ]

      [[package]]
      name = "ruff"
      version = "0.5.0"
      source = { registry = "https://pypi.org/simple" }
      """;

  private static ProjectFiles files(String pyproject, String lock) {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("pyproject.toml", pyproject);
    files.put("uv.lock", lock);
    return ProjectFiles.of(files, "");
  }

  private static List<String> names(InstallPlan plan) {
    return plan.packages().stream().map(p -> p.name() + "==" + p.version()).toList();
  }

  private InstallPlan resolve(ProjectFiles files, Selection selection) {
    return resolver.resolve(files, selection, Target.DEFAULT);
  }

  @Test
  void mainDependenciesOnly() {
    InstallPlan plan = resolve(files(PYPROJECT, LOCK), Selection.MAIN);

    assertThat(names(plan)).containsExactly("requests==2.32.0");
    assertThat(plan.localSkipped()).isEmpty();
    assertThat(plan.environment().pythonFullVersion()).isEqualTo("3.12.7");
  }

  @Test
  void keepsOnlyTheTargetsArtifacts() {
    PlannedPackage requests = resolve(files(PYPROJECT, LOCK), Selection.MAIN).packages().get(0);

    assertThat(requests.artifacts()).extracting(a -> a.filename())
        .containsExactly("requests-2.32.0-py3-none-any.whl");
    assertThat(requests.artifacts().get(0).hash())
        .isEqualTo("sha256:f2c3881dddb70d056c5bd7600a4fae312b2a300e39be6a118d30b90bd27262b5");
    assertThat(requests.source()).isEqualTo(PackageSource.registry("https://pypi.org/simple"));
  }

  @Test
  void groupIncludingAnotherGroupAndAnExtra() {
    InstallPlan plan = resolve(files(PYPROJECT, LOCK), new Selection(List.of("dev"), List.of("socks")));

    assertThat(names(plan)).containsExactly("pysocks==1.7.1", "pytest==8.0.0", "requests==2.32.0", "ruff==0.5.0");
  }

  @Test
  void legacyDevDependenciesAreGroupDev() {
    String pyproject = """
        [project]
        name = "app"
        version = "1.0"
        dependencies = ["requests"]

        [tool.uv]
        dev-dependencies = ["pytest", "ruff"]
        """;
    String lock = LOCK.replace("revision = 3\n", "");

    InstallPlan plan = resolve(files(pyproject, lock), new Selection(List.of("dev"), List.of()));

    assertThat(names(plan)).containsExactly("pytest==8.0.0", "requests==2.32.0", "ruff==0.5.0");
  }

  @Test
  void forksArePickedByTheEdgesVersionAndSource() {
    String lock = """
        version = 1
        revision = 3
        requires-python = ">=3.10"
        resolution-markers = ["sys_platform == 'linux'", "sys_platform != 'linux'"]

        [[package]]
        name = "app"
        version = "1.0"
        source = { editable = "." }
        dependencies = [
            { name = "torch", version = "2.1.0", source = { registry = "https://pypi.org/simple" }, marker = "sys_platform != 'linux'" },
            { name = "torch", version = "2.1.0+cu121", source = { registry = "https://download.pytorch.org/whl/cu121" }, marker = "sys_platform == 'linux'" },
        ]

        [[package]]
        name = "torch"
        version = "2.1.0"
        source = { registry = "https://pypi.org/simple" }
        resolution-markers = ["sys_platform != 'linux'"]

        [[package]]
        name = "torch"
        version = "2.1.0+cu121"
        source = { registry = "https://download.pytorch.org/whl/cu121/" }
        resolution-markers = ["sys_platform == 'linux'"]
        """;
    String pyproject = "[project]\nname = \"app\"\nversion = \"1.0\"\ndependencies = [\"torch\"]\n";

    InstallPlan plan = resolve(files(pyproject, lock.replace("cu121/\" }\nresolution", "cu121\" }\nresolution")),
        Selection.MAIN);

    assertThat(plan.packages()).singleElement().satisfies(p -> {
      assertThat(p.version()).isEqualTo("2.1.0+cu121");
      assertThat(p.source()).isEqualTo(PackageSource.registry("https://download.pytorch.org/whl/cu121"));
    });
  }

  @Test
  void gitSourcesLoseQueryAndFragmentAndKeepCommitAndSubdirectory() {
    String lock = """
        version = 1
        revision = 3

        [[package]]
        name = "app"
        version = "1.0"
        source = { virtual = "." }
        dependencies = [{ name = "sdk" }, { name = "helper" }]

        [[package]]
        name = "sdk"
        version = "0.1"
        source = { git = "https://github.com/o/r.git?subdirectory=pkgs%2Fsdk&rev=abc#4ffaa97a9a438b913b73696e192b5575419407bc" }

        [[package]]
        name = "helper"
        version = "0.2"
        source = { path = "../helper" }
        dependencies = [{ name = "tool" }]

        [[package]]
        name = "tool"
        version = "3.0"
        source = { url = "https://example.org/tool-3.0.tar.gz" }
        sdist = { hash = "sha256:aff07c09a53a08bc8cfccb9c85b05f1aa9a2a6f23728d790723543408344ce89" }
        """;
    String pyproject = "[project]\nname = \"app\"\nversion = \"1.0\"\ndependencies = [\"sdk\", \"helper\"]\n";

    InstallPlan plan = resolve(files(pyproject, lock), Selection.MAIN);

    assertThat(plan.packages()).extracting(PlannedPackage::name).containsExactly("sdk", "tool");
    assertThat(plan.packages().get(0).source()).isEqualTo(PackageSource.git("https://github.com/o/r.git",
        "4ffaa97a9a438b913b73696e192b5575419407bc", "pkgs/sdk"));
    PlannedPackage tool = plan.packages().get(1);
    assertThat(tool.source()).isEqualTo(PackageSource.url("https://example.org/tool-3.0.tar.gz", null));
    assertThat(tool.artifacts()).singleElement().satisfies(a -> {
      assertThat(a.filename()).isEqualTo("tool-3.0.tar.gz");
      assertThat(a.url()).isEqualTo("https://example.org/tool-3.0.tar.gz");
    });
    assertThat(plan.localSkipped()).containsExactly("helper");
  }

  @Test
  void workspaceGlobsAreMatchedAgainstTheLocksLocalPackages() {
    String pyproject = """
        [project]
        name = "app"
        version = "1.0"
        dependencies = ["server-a"]

        [tool.uv.workspace]
        members = ["servers/*"]
        """;
    String lock = """
        version = 1

        [[package]]
        name = "app"
        version = "1.0"
        source = { editable = "." }
        dependencies = [{ name = "server-a" }]

        [[package]]
        name = "server-a"
        version = "0.1"
        source = { editable = "servers/a" }
        dependencies = [{ name = "ruff" }]

        [[package]]
        name = "ruff"
        version = "0.5.0"
        source = { registry = "https://pypi.org/simple" }
        """;
    Map<String, String> files = new LinkedHashMap<>();
    files.put("pyproject.toml", pyproject);
    files.put("uv.lock", lock);
    files.put("servers/a/pyproject.toml", "[project]\nname = \"server-a\"\ndependencies = [\n  \"ruff\",\n  \"black\",\n]\n");

    assertThatThrownBy(() -> resolve(ProjectFiles.of(files, ""), Selection.MAIN))
        .isInstanceOf(LockInputException.class)
        .hasMessage("servers/a/pyproject.toml:5:3: 'black' is declared here but uv.lock does not contain it:"
            + " the lock is out of date (run uv lock)");

    files.put("servers/a/pyproject.toml", "[project]\nname = \"server-a\"\ndependencies = [\"ruff\"]\n");
    InstallPlan plan = resolve(ProjectFiles.of(files, ""), Selection.MAIN);
    assertThat(names(plan)).containsExactly("ruff==0.5.0");
    assertThat(plan.localSkipped()).containsExactly("server-a");
  }

  @Test
  void malformedLockIsReportedAtTheParsersPosition() {
    assertThatThrownBy(() -> resolve(files(PYPROJECT, "version = 1\n[[package]\nname = \"x\"\n"), Selection.MAIN))
        .isInstanceOf(LockInputException.class)
        .satisfies(e -> {
          LockInputException error = (LockInputException) e;
          assertThat(error.file()).isEqualTo("uv.lock");
          assertThat(error.line()).isEqualTo(2);
          assertThat(error.column()).isEqualTo(10);
          assertThat(error.problem()).startsWith("malformed TOML: ");
        });
  }

  @Test
  void malformedPyprojectIsReportedAtTheParsersPosition() {
    assertThatThrownBy(() -> resolve(files("[project]\nname = \"app\nversion = 1\n", LOCK), Selection.MAIN))
        .isInstanceOf(LockInputException.class)
        .hasMessageStartingWith("pyproject.toml:2:")
        .hasMessageContaining("malformed TOML");
  }

  @Test
  void unknownLockVersion() {
    assertThatThrownBy(() -> resolve(files(PYPROJECT, LOCK.replace("version = 1\n", "\nversion = 2\n")),
        Selection.MAIN))
        .isInstanceOf(LockInputException.class)
        .hasMessage("uv.lock:2:1: unknown uv.lock version 2 (known: 1)");
  }

  @Test
  void unknownGroupListsTheKnownOnes() {
    assertThatThrownBy(() -> resolve(files(PYPROJECT, LOCK), new Selection(List.of("docs"), List.of())))
        .isInstanceOf(LockInputException.class)
        .hasMessage("pyproject.toml:12:1: unknown dependency group 'docs' (known: dev, test)");
  }

  @Test
  void unknownExtraListsTheKnownOnes() {
    assertThatThrownBy(() -> resolve(files(PYPROJECT, LOCK), new Selection(List.of(), List.of("gui"))))
        .isInstanceOf(LockInputException.class)
        .hasMessage("pyproject.toml:9:1: unknown extra 'gui' (known: socks)");
  }

  @Test
  void declaredDependencyMissingFromTheLockPointsAtThePyproject() {
    String pyproject = PYPROJECT.replace("    \"requests>=2\",\n", "    \"requests>=2\",\n    \"httpx\",\n");

    assertThatThrownBy(() -> resolve(files(pyproject, LOCK), Selection.MAIN))
        .isInstanceOf(LockInputException.class)
        .hasMessage("pyproject.toml:7:5: 'httpx' is declared here but uv.lock does not contain it:"
            + " the lock is out of date (run uv lock)");
  }

  @Test
  void projectMissingFromTheLock() {
    assertThatThrownBy(() -> resolve(files(PYPROJECT.replace("name = \"app\"", "name = \"other\""), LOCK),
        Selection.MAIN))
        .isInstanceOf(LockInputException.class)
        .hasMessage("pyproject.toml:2:1: uv.lock has no entry for the project 'other':"
            + " the lock is out of date or belongs to another project");
  }

  @Test
  void edgeToAPackageTheLockDoesNotContainPointsAtThePackage() {
    String lock = LOCK.replace("{ name = \"colorama\", marker", "{ name = \"pluggy\" },\n    { name = \"colorama\", marker");

    assertThatThrownBy(() -> resolve(files(PYPROJECT, lock), Selection.MAIN))
        .isInstanceOf(LockInputException.class)
        .hasMessage("uv.lock:33:1: 'pytest 8.0.0' depends on 'pluggy', which the lock does not contain");
  }

  @Test
  void hostileNamesAndVersionsAreRejectedWithControlCharactersEscaped() {
    String badName = LOCK.replace("name = \"ruff\"\n", "name = \"ruff\\u001b[31m\"\n");
    assertThatThrownBy(() -> resolve(files(PYPROJECT, badName), Selection.MAIN))
        .isInstanceOf(LockInputException.class)
        .hasMessage("uv.lock:56:1: invalid package name 'ruff\\u001b[31m'");

    String badVersion = LOCK.replace("version = \"0.5.0\"", "version = \"0.5.0\\nRUN curl evil\"");
    assertThatThrownBy(() -> resolve(files(PYPROJECT, badVersion), Selection.MAIN))
        .isInstanceOf(LockInputException.class)
        .hasMessage("uv.lock:57:1: invalid version '0.5.0\\nRUN curl evil' of 'ruff'");
  }

  @Test
  void badMarkerOnAnEdge() {
    String lock = LOCK.replace("marker = \"sys_platform == 'win32'\"", "marker = \"sys_platform == 'win32' and\"");

    assertThatThrownBy(() -> resolve(files(PYPROJECT, lock), Selection.MAIN))
        .isInstanceOf(LockInputException.class)
        .hasMessageStartingWith("uv.lock:38:26: invalid marker 'sys_platform == \\'win32\\' and': ")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void aStaleVersionIsReported() {
    assertThatThrownBy(() -> resolve(files(PYPROJECT.replace("version = \"1.0\"", "version = \"1.1\""), LOCK),
        Selection.MAIN))
        .isInstanceOf(LockInputException.class)
        .hasMessage("pyproject.toml:3:1: the project is version '1.1' but uv.lock locks '1.0':"
            + " the lock is out of date");
  }

  @Test
  void missingFiles() {
    assertThatThrownBy(() -> resolve(ProjectFiles.of(Map.of("pyproject.toml", PYPROJECT), "cm/"), Selection.MAIN))
        .isInstanceOf(LockInputException.class)
        .hasMessage("cm/uv.lock: file not found: a uv project needs pyproject.toml and uv.lock");
  }

  @Test
  void dependencyGroupIncludesAreBoundedAndExpandedOnce() {
    StringBuilder diamonds = new StringBuilder("[project]\nname = \"app\"\nversion = \"1.0\"\n"
        + "dependencies = [\"requests>=2\"]\n\n[dependency-groups]\n");
    for (int k = 0; k < 30; k++) {
      diamonds.append("g").append(k).append(" = [{include-group = \"g").append(k + 1)
          .append("\"}, {include-group = \"g").append(k + 1).append("\"}]\n");
    }
    diamonds.append("g30 = [\"pytest\"]\n");
    // 2^30 copies of pytest if includes were expanded each time they are named
    Pyproject project = Pyproject.parse("pyproject.toml", diamonds.toString());
    assertThat(project.groups().get("g0").value()).hasSize(1);

    StringBuilder chain = new StringBuilder("[project]\nname = \"app\"\n\n[dependency-groups]\n");
    for (int k = 0; k < 40; k++) {
      chain.append("g").append(k).append(" = [{include-group = \"g").append(k + 1).append("\"}]\n");
    }
    chain.append("g40 = [\"pytest\"]\n");
    assertThatThrownBy(() -> Pyproject.parse("pyproject.toml", chain.toString()))
        .isInstanceOf(LockInputException.class)
        .hasMessageContaining("dependency groups include each other more than 32 deep");
  }

  @Test
  void aStaleOrTruncatedPyprojectIsRefused() {
    assertThatThrownBy(() -> resolve(ProjectFiles.of(Map.of("pyproject.toml",
        PYPROJECT.replace("\"requests>=2\"", "\"requests>=3\""), "uv.lock", LOCK), ""), Selection.MAIN))
        .isInstanceOf(LockInputException.class)
        .hasMessageStartingWith("pyproject.toml:6:5: 'requests' requires '>=3' but uv.lock locks '2.32.0'");
    assertThatThrownBy(() -> resolve(ProjectFiles.of(Map.of("pyproject.toml",
        "[project]\nname = \"app\"\nversion = \"1.0\"\n", "uv.lock", LOCK), ""), Selection.MAIN))
        .hasMessageStartingWith("pyproject.toml:3:1: pyproject.toml declares no dependencies but uv.lock locks");
    assertThatThrownBy(() -> resolve(ProjectFiles.of(Map.of("pyproject.toml", "\n", "uv.lock", LOCK), ""),
        Selection.MAIN))
        .hasMessageStartingWith("pyproject.toml:1:1: pyproject.toml is empty");
  }
}
