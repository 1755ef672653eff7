package dev.envforge.core.lock.poetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.envforge.core.lock.LockInputException;
import dev.envforge.core.lock.ProjectFiles;
import dev.envforge.core.plan.Selection;
import dev.envforge.core.plan.Target;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Bad input is reported as file:line:column with a message that says what is wrong and never echoes controls. */
class PoetryInputErrorsTest {
  private static final String PYPROJECT = """
      [tool.poetry]
      name = "demo"
      version = "1.0.0"

      [tool.poetry.dependencies]
      python = "^3.10"
      requests = "^2.31"

      [tool.poetry.group.test.dependencies]
      pytest = "^8"
      """;

  private static final String LOCK = """
      [[package]]
      name = "pytest"
      version = "8.0.0"
      description = ""
      optional = false
      python-versions = "*"
      files = []

      [[package]]
      name = "requests"
      version = "2.31.0"
      description = ""
      optional = false
      python-versions = "*"
      files = [
          {file = "requests-2.31.0-py3-none-any.whl", hash = "sha256:58cd2187c01e70e6e26505bca751777aa9f2ee0b7f4300988b709f44e013003f"},
      ]

      [metadata]
      lock-version = "2.0"
      python-versions = "^3.10"
      content-hash = "0"
      """;

  private static ThrowingCallable resolving(String pyproject, String lock, Selection selection) {
    ProjectFiles files = ProjectFiles.of(Map.of("pyproject.toml", pyproject, "poetry.lock", lock), "");
    return () -> new PoetryResolver().resolve(files, selection, Target.DEFAULT);
  }

  private static ThrowingCallable resolving(String pyproject, String lock) {
    return resolving(pyproject, lock, Selection.MAIN);
  }

  private static void assertError(ThrowingCallable call, String file, int line, int column, String... problemParts) {
    assertThatThrownBy(call).isInstanceOfSatisfying(LockInputException.class, e -> {
      assertThat(e.file()).isEqualTo(file);
      assertThat(List.of(e.line(), e.column())).as(e.getMessage()).containsExactly(line, column);
      assertThat(e.problem()).contains(problemParts);
      assertThat(e.getMessage()).doesNotContainPattern("[\\x00-\\x1f\\x7f]");
    });
  }

  @Test
  void theValidProjectResolves() throws Throwable {
    resolving(PYPROJECT, LOCK).call();
  }

  @Test
  void malformedPyproject() {
    assertError(resolving(PYPROJECT.replace("requests = \"^2.31\"", "requests = \"^2.31"), LOCK),
        "pyproject.toml", 7, 18, "malformed TOML");
  }

  @Test
  void malformedLock() {
    assertError(resolving(PYPROJECT, LOCK.replace("[metadata]", "[metadata")), "poetry.lock", 19, 10,
        "malformed TOML");
  }

  @Test
  void duplicateKeyInLock() {
    assertError(resolving(PYPROJECT, LOCK.replace("version = \"8.0.0\"", "version = \"8.0.0\"\nversion = \"8.0.1\"")),
        "poetry.lock", 4, 1, "malformed TOML", "previously defined");
  }

  @Test
  void unknownLockVersion() {
    assertError(resolving(PYPROJECT, LOCK.replace("lock-version = \"2.0\"", "lock-version = \"3.0\"")),
        "poetry.lock", 20, 1, "unsupported lock-version '3.0'", "known lock versions: 1.1, 2.0, 2.1");
  }

  @Test
  void missingLockVersion() {
    assertError(resolving(PYPROJECT, LOCK.replace("lock-version = \"2.0\"\n", "")),
        "poetry.lock", 19, 1, "no lock-version", "1.1, 2.0, 2.1");
  }

  @Test
  void notAPoetryLock() {
    assertError(resolving(PYPROJECT, "version = 1\n"), "poetry.lock", 1, 1, "not a Poetry lock file");
  }

  @Test
  void unknownGroup() {
    assertError(resolving(PYPROJECT, LOCK, new Selection(List.of("docs"), List.of())),
        "pyproject.toml", 9, 1, "group 'docs' is not defined", "known groups: test");
  }

  @Test
  void unknownExtraWhenTheProjectHasNone() {
    assertError(resolving(PYPROJECT, LOCK, new Selection(List.of(), List.of("socks"))),
        "pyproject.toml", 1, 1, "extra 'socks' is not defined", "the project defines no extras");
  }

  @Test
  void unknownExtraListsTheKnownOnes() {
    String pyproject = PYPROJECT + """

        [tool.poetry.extras]
        cli = ["requests"]
        Web_UI = ["requests"]
        """;
    assertError(resolving(pyproject, LOCK, new Selection(List.of(), List.of("gui"))),
        "pyproject.toml", 12, 1, "extra 'gui' is not defined", "known extras: cli, Web_UI");
  }

  @Test
  void extraNamesAreComparedNormalized() throws Throwable {
    String pyproject = PYPROJECT + """

        [tool.poetry.extras]
        Web_UI = ["requests"]
        """;
    resolving(pyproject, LOCK, new Selection(List.of(), List.of("web-ui"))).call();
  }

  @Test
  void mainDependencyMissingFromLock() {
    String pyproject = PYPROJECT.replace("requests = \"^2.31\"", "requests = \"^2.31\"\nhttpx = { version = \"*\" }");
    assertError(resolving(pyproject, LOCK), "pyproject.toml", 8, 1, "dependency 'httpx' is not in poetry.lock",
        "poetry lock");
  }

  @Test
  void groupDependencyMissingFromLockEvenWhenTheGroupIsNotSelected() {
    String pyproject = PYPROJECT + "  pytest-cov = \"*\"\n";
    assertError(resolving(pyproject, LOCK), "pyproject.toml", 11, 3, "'pytest-cov' is not in poetry.lock");
  }

  @Test
  void pep621DependencyMissingFromLock() {
    String pyproject = """
        [project]
        name = "demo"
        requires-python = ">=3.10"
        dependencies = [
          "requests>=2",
          "absent-package>=1",
        ]
        """;
    assertError(resolving(pyproject, LOCK), "pyproject.toml", 6, 3, "'absent-package' is not in poetry.lock");
  }

  @Test
  void lockDependencyOnAPackageTheLockDoesNotContain() {
    String lock = LOCK.replace("""
        [metadata]""", """
        [package.dependencies]
        charset-normalizer = ">=2,<4"
        urllib3 = ">=1.21.1,<3"

        [metadata]""");
    assertError(resolving(PYPROJECT, lock), "poetry.lock", 20, 1,
        "package 'requests' '2.31.0' (entry at line 9) depends on 'charset-normalizer'", "does not contain");
  }

  @Test
  void invalidPackageNameInLockIsEscaped() {
    assertError(resolving(PYPROJECT, LOCK.replace("name = \"pytest\"", "name = \"py\\u0007test\\n\"")),
        "poetry.lock", 2, 1, "'py\\u0007test\\n' is not a valid package name");
  }

  @Test
  void invalidVersionInLock() {
    assertError(resolving(PYPROJECT, LOCK.replace("version = \"8.0.0\"", "version = \"eight\"")),
        "poetry.lock", 3, 1, "invalid version 'eight'");
  }

  @Test
  void invalidDependencyNameInPyproject() {
    assertError(resolving(PYPROJECT.replace("requests = \"^2.31\"", "\"-requests\" = \"^2.31\""), LOCK),
        "pyproject.toml", 7, 1, "'-requests' is not a valid package name");
  }

  @Test
  void invalidConstraintInPyproject() {
    assertError(resolving(PYPROJECT.replace("requests = \"^2.31\"", "requests = { version = \">>2\" }"), LOCK),
        "pyproject.toml", 7, 14, "invalid version constraint '>>2'");
  }

  @Test
  void invalidMarkerInLock() {
    String lock = LOCK.replace("""
        [metadata]""", """
        [package.dependencies]
        pytest = {version = "*", markers = "python_version >< \\"3.8\\""}

        [metadata]""");
    assertError(resolving(PYPROJECT, lock), "poetry.lock", 20, 26, "invalid marker");
  }

  @Test
  void invalidHashInLock() {
    assertError(resolving(PYPROJECT, LOCK.replace("hash = \"sha256:58cd", "hash = \"sha256:zz58cd")),
        "poetry.lock", 16, 49, "invalid hash");
  }

  @Test
  void fileNameWithAPathInLock() {
    assertError(resolving(PYPROJECT, LOCK.replace("{file = \"requests-", "{file = \"../requests-")),
        "poetry.lock", 16, 6, "invalid file name '../requests-2.31.0-py3-none-any.whl'");
  }

  @Test
  void gitSourceMustBePinned() {
    String lock = LOCK.replace("""
        [metadata]""", """
        [package.source]
        type = "git"
        url = "https://github.com/psf/requests.git"
        reference = "main"

        [metadata]""");
    assertError(resolving(PYPROJECT, lock), "poetry.lock", 22, 1, "git source", "is not pinned");
  }

  @Test
  void unknownSourceType() {
    String lock = LOCK.replace("""
        [metadata]""", """
        [package.source]
        type = "hg"
        url = "https://example.org/requests"

        [metadata]""");
    assertError(resolving(PYPROJECT, lock), "poetry.lock", 20, 1, "unsupported source type 'hg'",
        "directory, file, git, legacy, url");
  }

  @Test
  void sourceUrlWithControlCharacters() {
    String lock = LOCK.replace("""
        [metadata]""", """
        [package.source]
        type = "legacy"
        url = "https://example.org/simple\\r\\nX-Injected: 1"
        reference = "private"

        [metadata]""");
    assertError(resolving(PYPROJECT, lock), "poetry.lock", 21, 1,
        "invalid legacy source URL 'https://example.org/simple\\r\\nX-Injected: 1'");
  }

  @Test
  void undefinedSourceName() {
    assertError(resolving(PYPROJECT.replace("requests = \"^2.31\"",
        "requests = { version = \"^2.31\", source = \"private\" }"), LOCK),
        "pyproject.toml", 7, 1, "source 'private' is not defined");
  }

  @Test
  void includeOfAnUndefinedGroup() {
    String pyproject = PYPROJECT + """

        [tool.poetry.group.ci]
        include-groups = ["test", "lint"]
        """;
    assertError(resolving(pyproject, LOCK), "pyproject.toml", 13, 27, "includes group 'lint'");
  }

  @Test
  void missingFiles() {
    ProjectFiles files = ProjectFiles.of(Map.of("pyproject.toml", PYPROJECT), "cm/");
    assertError(() -> new PoetryResolver().resolve(files, Selection.MAIN, Target.DEFAULT), "cm/poetry.lock", 0, 0,
        "file not found");
  }
}
