package dev.envforge.core.hash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.core.lock.ProjectFiles;
import dev.envforge.core.plan.Selection;
import dev.envforge.core.plan.Target;
import dev.envforge.core.planner.EnvironmentPlanner;
import dev.envforge.core.planner.PlanningRequest;
import dev.envforge.core.planner.VariantRequest;
import dev.envforge.core.recipe.Installer;
import dev.envforge.testing.Corpus;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The hash's invariants (docs/hashing.md), proved on a real Poetry lock by editing it. */
class PlanHasherCorpusTest {
  static final String PYPROJECT = read("pyproject.toml");
  static final String LOCK = read("poetry.lock");
  static final Selection MAIN = Selection.MAIN;
  static final Selection TYPING = new Selection(List.of("typing"), List.of());

  static String read(String file) {
    try {
      return Files.readString(Corpus.dir("poetry-python-poetry-poetry").resolve(file));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String hash(String pyproject, String lock, Selection selection, PlanningRequest request) {
    ProjectFiles files = ProjectFiles.of(Map.of("pyproject.toml", pyproject, "poetry.lock", lock), "");
    return EnvironmentPlanner.plan(files, request, new VariantRequest("v", selection)).hash().hex();
  }

  static String hash(String lock, Selection selection) {
    return hash(PYPROJECT, lock, selection, PlanningRequest.DEFAULTS);
  }

  static void assertUnchanged(UnaryOperator<String> edit, Selection selection) {
    String edited = edit.apply(LOCK);
    assertThat(edited).as("the edit changes the lock").isNotEqualTo(LOCK);
    assertThat(hash(edited, selection)).isEqualTo(hash(LOCK, selection));
  }

  static void assertChanged(UnaryOperator<String> edit, Selection selection) {
    String edited = edit.apply(LOCK);
    assertThat(edited).as("the edit changes the lock").isNotEqualTo(LOCK);
    assertThat(hash(edited, selection)).isNotEqualTo(hash(LOCK, selection));
  }

  static UnaryOperator<String> replaceOnce(String from, String to) {
    return text -> {
      assertThat(text).contains(from);
      return text.replaceFirst(Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to));
    };
  }

  /** The package blocks of the lock in a shuffled order, header and metadata kept in place. */
  static String shuffled(String lock) {
    int first = lock.indexOf("[[package]]");
    int metadata = lock.indexOf("[metadata]");
    List<String> blocks = new ArrayList<>(List.of(lock.substring(first, metadata).split("(?=\\[\\[package]])")));
    Collections.shuffle(blocks, new Random(42));
    return lock.substring(0, first) + String.join("", blocks) + lock.substring(metadata);
  }

  @Test
  void reorderingPackagesLeavesTheHashUnchanged() {
    assertUnchanged(PlanHasherCorpusTest::shuffled, MAIN);
    assertUnchanged(PlanHasherCorpusTest::shuffled, TYPING);
  }

  @Test
  void commentsWhitespaceAndContentHashLeaveTheHashUnchanged() {
    assertUnchanged(lock -> "# edited by hand\n\n" + lock.replace("\n[[package]]\n", "\n\n[[package]]   # x\n"),
        MAIN);
    assertUnchanged(lock -> lock.replaceAll("content-hash = \"[0-9a-f]+\"",
        "content-hash = \"0000000000000000000000000000000000000000000000000000000000000000\""), MAIN);
    assertUnchanged(replaceOnce("description = \"Store and access your passwords safely.\"",
        "description = \"Something else\""), MAIN);
  }

  @Test
  void changesOutsideTheVariantLeaveTheHashUnchanged() {
    // mypy is only in the typing group
    UnaryOperator<String> bumpMypy = replaceOnce("name = \"mypy\"\nversion = \"1.20.2\"",
        "name = \"mypy\"\nversion = \"1.20.3\"");
    assertUnchanged(bumpMypy, MAIN);
    assertChanged(bumpMypy, TYPING);
    // xattr is installed only on macOS
    assertUnchanged(replaceOnce("name = \"xattr\"\nversion = \"1.3.0\"", "name = \"xattr\"\nversion = \"1.3.1\""),
        MAIN);
    // a wheel for Windows is never picked on a Linux target
    assertUnchanged(replaceOnce("b18a3ed7d5b3bd8d9ef7a8cb226502c6bf8308df1525e1cc676c3680e7176739",
        "0000000000000000000000000000000000000000000000000000000000000000"), MAIN);
  }

  @Test
  void changesToWhatTheVariantInstallsChangeTheHash() {
    assertChanged(replaceOnce("name = \"keyring\"\nversion = \"25.7.0\"", "name = \"keyring\"\nversion = \"25.7.1\""),
        MAIN);
    // the sdist and the Linux wheels of cffi are candidates on the target
    String cffiLinux = LOCK.lines().filter(l -> l.contains("cffi-2.0.0-cp312-cp312-manylinux") && l.contains("x86_64")).findFirst()
        .orElseThrow();
    String cffiHash = cffiLinux.replaceAll(".*sha256:([0-9a-f]{64}).*", "$1");
    assertChanged(replaceOnce(cffiHash, "1".repeat(64)), MAIN);
    // while its i686 wheel is not a candidate
    String cffiI686 = LOCK.lines().filter(l -> l.contains("cffi-2.0.0-cp312-cp312-manylinux") && l.contains("i686"))
        .findFirst().orElseThrow().replaceAll(".*sha256:([0-9a-f]{64}).*", "$1");
    assertUnchanged(replaceOnce(cffiI686, "2".repeat(64)), MAIN);
    // a git dependency is hashed by its resolved commit
    assertChanged(replaceOnce("resolved_reference = \"e3998b0e111dc03e4aa721fd054c48e5c7de6fc5\"",
        "resolved_reference = \"0000000e111dc03e4aa721fd054c48e5c7de6fc5\""), MAIN);
    // a dependency marker that now admits a package on Linux adds it
    String edited = PYPROJECT.replace("\"xattr (>=1.0.0,<2.0.0) ; sys_platform == 'darwin'\"",
        "\"xattr (>=1.0.0,<2.0.0) ; sys_platform != 'win32'\"");
    assertThat(edited).isNotEqualTo(PYPROJECT);
    assertThat(hash(edited, LOCK, MAIN, PlanningRequest.DEFAULTS)).isNotEqualTo(hash(LOCK, MAIN));
  }

  @Test
  void everyRecipeInputChangesTheHash() {
    PlanningRequest base = PlanningRequest.DEFAULTS;
    String reference = hash(PYPROJECT, LOCK, MAIN, base);
    List<PlanningRequest> variations = List.of(
        new PlanningRequest(null, base.target(), "docker.io/library/python:3.12-slim", base.installer()),
        new PlanningRequest(null, new Target("3.13", Target.DEFAULT_PLATFORM), null, base.installer()),
        new PlanningRequest(null, new Target(null, "linux/arm64"), null, base.installer()),
        new PlanningRequest(null, base.target(), null, Installer.PIP));
    for (PlanningRequest request : variations) {
      assertThat(hash(PYPROJECT, LOCK, MAIN, request)).as(request.toString()).isNotEqualTo(reference);
    }
  }

  @Test
  void theHashIsStableAcrossRuns() {
    assertThat(hash(LOCK, MAIN)).isEqualTo(hash(LOCK, MAIN));
    assertThat(hash(LOCK, MAIN)).matches("[0-9a-f]{64}");
  }
}
