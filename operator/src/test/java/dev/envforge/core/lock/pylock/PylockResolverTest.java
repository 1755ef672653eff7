package dev.envforge.core.lock.pylock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.envforge.core.lock.LockInputException;
import dev.envforge.core.lock.ProjectFiles;
import dev.envforge.core.plan.InstallPlan;
import dev.envforge.core.plan.PackageSource;
import dev.envforge.core.plan.PlannedPackage;
import dev.envforge.core.plan.Selection;
import dev.envforge.core.plan.Target;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The PEP 751 resolver on small hand-written locks: sources, selection, and bad input with its position. */
class PylockResolverTest {
  private static final String LOCK = """
      lock-version = "1.0"
      requires-python = ">=3.9"
      extras = ["fast"]
      dependency-groups = ["default", "dev"]
      default-groups = ["default"]
      created-by = "hand"

      [[packages]]
      name = "app-lib"
      version = "1.0"
      marker = "'default' in dependency_groups"
      index = "https://example.org/simple/"
      wheels = [
        { name = "app_lib-1.0-py3-none-any.whl", url = "https://example.org/files/app_lib-1.0-py3-none-any.whl", hashes = { sha256 = "aff07c09a53a08bc8cfccb9c85b05f1aa9a2a6f23728d790723543408344ce89" } },
      ]

      [[packages]]
      name = "speedup"
      marker = "'fast' in extras"
      vcs = { type = "git", url = "https://github.com/o/speedup.git", commit-id = "4ffaa97a9a438b913b73696e192b5575419407bc", subdirectory = "py" }

      [[packages]]
      name = "devtool"
      version = "2.0"
      marker = "'dev' in dependency_groups"
      archive = { url = "https://example.org/devtool-2.0.tar.gz", hashes = { sha256 = "1f02e8b43a8fbbc3f3e0d4f0f4bfc8131bcb4eebe8849b8e5c773f3a1c582a53" } }

      [[packages]]
      name = "local-thing"
      directory = { path = "libs/local-thing", editable = true }

      [[packages]]
      name = "winonly"
      version = "1.0"
      marker = "sys_platform == 'win32'"
      sdist = { url = "https://files.pythonhosted.org/w/winonly-1.0.tar.gz", hashes = { sha256 = "84008a41e51615a49fc9966191ff91509e3c40b939176e643fd50a5c2196b8f8" } }
      """;

  private final PylockResolver resolver = new PylockResolver();

  private InstallPlan resolve(String lock, Selection selection) {
    return resolver.resolve(ProjectFiles.of(Map.of("pylock.toml", lock), ""), selection, Target.DEFAULT);
  }

  @Test
  void defaultGroupsWhenNoneIsNamed() {
    InstallPlan plan = resolve(LOCK, Selection.MAIN);

    assertThat(plan.packages()).singleElement().satisfies(p -> {
      assertThat(p.name()).isEqualTo("app-lib");
      assertThat(p.source()).isEqualTo(PackageSource.registry("https://example.org/simple"));
      assertThat(p.artifacts()).extracting(a -> a.filename()).containsExactly("app_lib-1.0-py3-none-any.whl");
    });
    assertThat(plan.localSkipped()).containsExactly("local-thing");
  }

  @Test
  void extrasKeepTheDefaultGroupsAndNamedGroupsReplaceThem() {
    InstallPlan withExtra = resolve(LOCK, new Selection(List.of(), List.of("fast")));
    assertThat(withExtra.packages()).extracting(PlannedPackage::name).containsExactly("app-lib", "speedup");
    assertThat(withExtra.packages().get(1).source()).isEqualTo(PackageSource.git(
        "https://github.com/o/speedup.git", "4ffaa97a9a438b913b73696e192b5575419407bc", "py"));

    InstallPlan devOnly = resolve(LOCK, new Selection(List.of("dev"), List.of()));
    assertThat(devOnly.packages()).singleElement().satisfies(p -> {
      assertThat(p.name()).isEqualTo("devtool");
      assertThat(p.source()).isEqualTo(PackageSource.url("https://example.org/devtool-2.0.tar.gz", null));
    });
  }

  @Test
  void namedLockFiles() {
    assertThat(new PylockResolver("pylock.dev.toml")).isNotNull();
    assertThatThrownBy(() -> new PylockResolver("locks.toml")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void malformedToml() {
    assertThatThrownBy(() -> resolve("lock-version = \"1.0\"\n[[packages]]\nname = \n", Selection.MAIN))
        .isInstanceOf(LockInputException.class)
        .hasMessageStartingWith("pylock.toml:3:8: malformed TOML: ");
  }

  @Test
  void unknownLockVersion() {
    assertThatThrownBy(() -> resolve(LOCK.replace("lock-version = \"1.0\"", "lock-version = \"2.0\""),
        Selection.MAIN))
        .isInstanceOf(LockInputException.class)
        .hasMessage("pylock.toml:1:1: unknown lock-version '2.0' (known: 1.x)");
  }

  @Test
  void unknownExtraAndGroupListTheKnownOnes() {
    assertThatThrownBy(() -> resolve(LOCK, new Selection(List.of(), List.of("slow"))))
        .isInstanceOf(LockInputException.class)
        .hasMessage("pylock.toml:3:1: unknown extra 'slow' (known: fast)");
    assertThatThrownBy(() -> resolve(LOCK, new Selection(List.of("docs"), List.of())))
        .isInstanceOf(LockInputException.class)
        .hasMessage("pylock.toml:4:1: unknown dependency group 'docs' (known: default, dev)");
  }

  @Test
  void aPackageWithoutIndexFromAnotherHostIsAnError() {
    String lock = LOCK.replace("index = \"https://example.org/simple/\"\n", "");

    assertThatThrownBy(() -> resolve(lock, Selection.MAIN))
        .isInstanceOf(LockInputException.class)
        .hasMessage("pylock.toml:8:1: package 'app-lib' has no 'index' and files outside PyPI:"
            + " cannot tell where it comes from");
  }

  @Test
  void hostileNameAndBadMarker() {
    assertThatThrownBy(() -> resolve(LOCK.replace("name = \"devtool\"", "name = \"dev\\ttool\""), Selection.MAIN))
        .isInstanceOf(LockInputException.class)
        .hasMessage("pylock.toml:23:1: invalid package name 'dev\\ttool'");
    assertThatThrownBy(() -> resolve(LOCK.replace("marker = \"'fast' in extras\"", "marker = \"'fast' in\""),
        Selection.MAIN))
        .isInstanceOf(LockInputException.class)
        .hasMessageStartingWith("pylock.toml:19:1: invalid marker '\\'fast\\' in': ");
  }

  @Test
  void anEnvironmentListWithoutTheTargetIsAnError() {
    String lock = LOCK.replace("created-by = \"hand\"", "created-by = \"hand\"\nenvironments = [\"sys_platform == 'win32'\"]");

    assertThatThrownBy(() -> resolve(lock, Selection.MAIN))
        .isInstanceOf(LockInputException.class)
        .hasMessage("pylock.toml:7:1: none of the lock's environments is the target (Linux CPython 3.12.7 on x86_64)");
  }
}
