package dev.envforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line's launcher script (src/main/launcher/envforge), run by the host's /bin/sh against fake JDKs that
 * record their arguments: which archive it makes and uses, when it makes it again, that the command's exit code and
 * words pass unchanged, and that after the first run it starts no program but java.
 */
class CommandLauncherTest {
  private static final Path SCRIPT = Path.of("src/main/launcher/envforge");

  @TempDir Path dir;
  Path launcher;
  Path jar;
  Path cache;
  Path log;

  @BeforeEach
  void install() throws IOException {
    Path bin = Files.createDirectories(dir.resolve("lib"));
    launcher = bin.resolve("envforge");
    Files.copy(SCRIPT, launcher);
    executable(launcher);
    jar = Files.writeString(bin.resolve("envforge.jar"), "not a real jar");
    cache = dir.resolve("cache");
    log = dir.resolve("java.log");
  }

  /**
   * A JDK whose java appends its arguments to the log, one run a line, writes the archive it is asked to write, and
   * exits with the code in the file named by the FAKE_EXIT variable, if any.
   */
  private Path fakeJdk(String name, String version) throws IOException {
    Path home = Files.createDirectories(dir.resolve(name));
    Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"" + version + "\"\n");
    Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
    Files.writeString(java, """
        #!/bin/sh
        printf '%s\\n' "$*" >> "$FAKE_LOG"
        for a in "$@"; do
          case $a in
            -XX:ArchiveClassesAtExit=*|-XX:AOTCacheOutput=*) printf 'archive' > "${a#*=}" ;;
          esac
        done
        echo "out: $*"
        [ -n "$FAKE_EXIT" ] && exit "$(cat "$FAKE_EXIT")"
        exit 0
        """);
    executable(java);
    return java;
  }

  private Result run(Path java, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("/bin/sh", launcher.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.remove("JAVA_HOME");
    env.remove("ENVFORGE_NO_ARCHIVE");
    env.put("ENVFORGE_JAVA", java.toString());
    env.put("ENVFORGE_CACHE", cache.toString());
    env.put("FAKE_LOG", log.toString());
    Path exitFile = dir.resolve("exit");
    if (Files.exists(exitFile)) {
      env.put("FAKE_EXIT", exitFile.toString());
    }
    Files.deleteIfExists(log);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    List<String> runs = Files.exists(log) ? Files.readAllLines(log) : List.of();
    return new Result(process.exitValue(), output, runs);
  }

  record Result(int exit, String output, List<String> javaRuns) {}

  private List<Path> archives() throws IOException {
    try (Stream<Path> files = Files.list(cache)) {
      return files.filter(f -> f.toString().endsWith(".jsa") || f.toString().endsWith(".aot")).sorted().toList();
    }
  }

  @Test
  void java17MakesADynamicArchiveOnTheFirstRunAndUsesItAfterwards() throws Exception {
    Path java = fakeJdk("jdk17", "17.0.15");

    Result first = run(java, "hash", "my project");
    assertThat(first.exit()).isZero();
    assertThat(first.javaRuns()).singleElement().asString()
        .contains("-XX:TieredStopAtLevel=1", "-XX:ArchiveClassesAtExit=")
        .endsWith("-jar " + jar + " hash my project");
    assertThat(archives()).singleElement().asString().endsWith(".jsa");

    Result second = run(java, "hash", "my project");
    assertThat(second.javaRuns()).singleElement().asString()
        .contains("-XX:SharedArchiveFile=" + archives().get(0))
        .doesNotContain("ArchiveClassesAtExit");
    assertThat(second.output()).isEqualTo(first.output().replace(
        first.javaRuns().get(0), second.javaRuns().get(0)));
  }

  @Test
  void java24AndNewerMakeAnAotCacheForCommandsThatChangeNothing() throws Exception {
    Path java = fakeJdk("jdk25", "25.0.3");

    Result first = run(java, "resolve", "p");
    assertThat(first.javaRuns()).hasSize(2);
    assertThat(first.javaRuns().get(0)).doesNotContain("AOTCache");
    assertThat(first.javaRuns().get(1)).contains("-XX:AOTCacheOutput=");
    assertThat(first.output()).as("the training run prints nothing").containsOnlyOnce("out:");
    assertThat(archives()).singleElement().asString().endsWith(".aot");

    assertThat(run(java, "resolve", "p").javaRuns()).singleElement().asString()
        .contains("-XX:AOTCache=" + archives().get(0));

    // render writes files: a second run to train the cache would write them twice
    assertThat(run(java, "render", "p", "--out", "x").javaRuns()).singleElement().asString()
        .contains("-XX:ArchiveClassesAtExit=");
  }

  @Test
  void aNewerJarOrAnotherJavaAtTheSamePathMakesTheArchiveAgain() throws Exception {
    Path java = fakeJdk("jdk17", "17.0.15");
    run(java, "hash", "p");
    Path archive = archives().get(0);
    assertThat(run(java, "hash", "p").javaRuns().get(0)).contains("SharedArchiveFile");

    Files.setLastModifiedTime(archive, FileTime.from(Instant.now().minusSeconds(3600))); // the jar was built since
    assertThat(run(java, "hash", "p").javaRuns().get(0)).contains("ArchiveClassesAtExit");
    assertThat(run(java, "hash", "p").javaRuns().get(0)).contains("SharedArchiveFile=" + archive);

    // the JDK is updated in place (same paths, older file times from the package): its release file tells
    Files.writeString(java.getParent().resolveSibling("release"), "JAVA_VERSION=\"17.0.16\"\n");
    Files.setLastModifiedTime(java, FileTime.from(Instant.now().minusSeconds(7200)));
    assertThat(run(java, "hash", "p").javaRuns().get(0)).contains("ArchiveClassesAtExit");
    assertThat(run(java, "hash", "p").javaRuns().get(0)).contains("SharedArchiveFile=" + archive);
  }

  /** java on the PATH is often a link that a system's alternatives point at one JDK or another. */
  @Test
  void javaOnThePathThatNowLeadsToAnotherJdkGetsItsOwnArchive() throws Exception {
    Path first = fakeJdk("jdk-a", "17.0.15");
    Path second = fakeJdk("jdk-b", "17.0.15");
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path java = Files.createSymbolicLink(bin.resolve("java"), first);
    run(java, "hash", "p");
    assertThat(run(java, "hash", "p").javaRuns().get(0)).contains("SharedArchiveFile");

    Files.delete(java);
    Files.createSymbolicLink(java, second);
    assertThat(run(java, "hash", "p").javaRuns().get(0)).contains("ArchiveClassesAtExit");
    assertThat(run(java, "hash", "p").javaRuns().get(0)).contains("SharedArchiveFile");
  }

  @Test
  void eachCommandAndEachJavaHasItsOwnArchive() throws Exception {
    Path java17 = fakeJdk("jdk17", "17.0.15");
    Path java25 = fakeJdk("jdk25", "25.0.3");
    run(java17, "hash", "p");
    run(java17, "tags", "-f", "x.yaml");
    run(java25, "hash", "p");
    run(java17, "--version");
    assertThat(archives()).extracting(p -> p.getFileName().toString().replaceAll("-.*\\.", "."))
        .containsExactlyInAnyOrder("hash.jsa", "tags.jsa", "hash.aot", "other.jsa");
  }

  @Test
  void theExitCodeAndOutputOfTheCommandPassThroughOnEveryRun() throws Exception {
    Path java = fakeJdk("jdk17", "17.0.15");
    Files.writeString(dir.resolve("exit"), "2");
    for (int k = 0; k < 2; k++) {
      Result result = run(java, "hash", "a b", "--python", "3.12");
      assertThat(result.exit()).isEqualTo(2);
      assertThat(result.output()).endsWith("hash a b --python 3.12\n");
    }
  }

  @Test
  void withoutAWritableCacheOrWithArchivesOffItRunsPlainly() throws Exception {
    Path java = fakeJdk("jdk17", "17.0.15");
    Files.writeString(cache, "a file where the folder would be");
    assertThat(run(java, "hash", "p").javaRuns()).singleElement().asString()
        .startsWith("-XX:TieredStopAtLevel=1").doesNotContain("Archive");
  }

  @Test
  void aLinkToTheLauncherFromAnotherFolderFindsTheJarBesideTheLauncher() throws Exception {
    Path java = fakeJdk("jdk17", "17.0.15");
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Files.createSymbolicLink(bin.resolve("envforge"), launcher);
    launcher = bin.resolve("envforge");
    assertThat(run(java, "hash", "p").javaRuns()).singleElement().asString().endsWith("-jar " + jar + " hash p");
    assertThat(run(java, "hash", "p").javaRuns()).singleElement().asString().contains("SharedArchiveFile");
  }

  @Test
  void theOperatorStartsAsPlainJavaJar() throws Exception {
    Path java = fakeJdk("jdk17", "17.0.15");
    assertThat(run(java, "run", "--leader-election").javaRuns())
        .containsExactly("-jar " + jar + " run --leader-election");
  }

  /** After the first run the script starts java and nothing else: every other program costs CPU on every run. */
  @Test
  void afterTheFirstRunTheScriptStartsNoOtherProgram() throws Exception {
    Path java = fakeJdk("jdk17", "17.0.15");
    run(java, "hash", "p");
    Path trace = dir.resolve("trace");
    // an empty PATH: any program the script ran by name would fail and show in the output
    ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-x", launcher.toString(), "hash", "p")
        .redirectErrorStream(true);
    builder.environment().put("PATH", dir.resolve("empty").toString());
    builder.environment().put("ENVFORGE_JAVA", java.toString());
    builder.environment().put("ENVFORGE_CACHE", cache.toString());
    builder.environment().put("FAKE_LOG", log.toString());
    builder.redirectOutput(trace.toFile());
    Process process = builder.start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String output = Files.readString(trace);
    assertThat(output).contains("SharedArchiveFile").doesNotContain("not found");
    assertThat(process.exitValue()).as(output).isZero();
  }

  private static void executable(Path file) throws IOException {
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
