package dev.envforge.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.envforge.core.recipe.BuildContext;
import dev.envforge.core.recipe.BuildContextRenderer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recipe's compile step, run with this machine's python3 in a venv made without pip, as the build runs it: what
 * it compiles, what it leaves as source, that it writes the same bytes every time, and that the import system takes
 * its bytecode once every file time is 0 (Kaniko's {@code --reproducible}). Quick: no image is built; the real builds
 * in {@link RealBuildIT} check the same in images.
 */
class CompileBytecodeScriptIT {
  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The recipe's own environment for the step ({@code export PYTHONDONTWRITEBYTECODE=1}, {@code PYTHONHASHSEED=0}). */
  private static final Map<String, String> RECIPE_ENVIRONMENT = Map.of("PYTHONDONTWRITEBYTECODE", "1",
      "PYTHONHASHSEED", "0");

  @Test
  void compilesEverySourceToCheckedHashBytecodeTheSameWayEveryTimeAndLeavesUncompilableFilesAsSource(
      @TempDir Path work) throws IOException {
    assumeTrue(ExternalCommand.onPath("python3").isPresent(), "python3 is not installed");
    Path venv = work.resolve("venv");
    ExternalCommand.run(List.of("python3", "-m", "venv", "--without-pip", venv.toString()), TIMEOUT).orThrow();
    Path python = venv.resolve("bin/python");
    Path site = Path.of(ExternalCommand.run(List.of(python.toString(), "-c",
        "import sysconfig; print(sysconfig.get_path('purelib'))"), TIMEOUT).orThrow().stdout().trim());
    write(site.resolve("single.py"), "VALUE = 1\n");
    write(site.resolve("pkg/__init__.py"), "");
    // a set constant: its order in the bytecode must not depend on the interpreter's string hashing
    write(site.resolve("pkg/sub/mod.py"), "def kind(x):\n    return x in {'alpha', 'beta', 'gamma', 'delta'}\n");
    write(site.resolve("pkg/data/notes.txt"), "not Python\n");
    write(site.resolve("vendored/legacy.py"), "print 'Python 2 only'\n");
    Path script = work.resolve(BuildContext.COMPILE_SCRIPT);
    try (InputStream in = BuildContextRenderer.class.getResourceAsStream(BuildContext.COMPILE_SCRIPT)) {
      write(script, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }

    ExternalCommand.Result first = ExternalCommand.run(List.of(python.toString(), script.toString()),
        RECIPE_ENVIRONMENT, TIMEOUT);
    Map<String, String> firstBytecode = bytecode(venv);
    deleteBytecode(venv);
    ExternalCommand.Result second = ExternalCommand.run(List.of(python.toString(), script.toString()),
        RECIPE_ENVIRONMENT, TIMEOUT);

    assertThat(first.exitCode()).as(first.output()).isZero();
    assertThat(first.stdout()).contains("envforge: compiled 3 files to checked-hash bytecode, 1 left as source");
    assertThat(first.output()).contains("left as source (Python cannot compile it): " + site.resolve(
        "vendored/legacy.py"));
    assertThat(firstBytecode.keySet()).containsExactlyInAnyOrder(
        relative(venv, site.resolve("__pycache__")) + "/single." + cacheTag(python) + ".pyc",
        relative(venv, site.resolve("pkg/__pycache__")) + "/__init__." + cacheTag(python) + ".pyc",
        relative(venv, site.resolve("pkg/sub/__pycache__")) + "/mod." + cacheTag(python) + ".pyc");
    assertThat(second.exitCode()).as(second.output()).isZero();
    assertThat(bytecode(venv)).as("the bytes of a second compilation").isEqualTo(firstBytecode);

    setEveryFileTimeToZero(venv);
    JsonNode report = checkVenv(python, "single", "pkg.sub.mod");
    assertThat(report.path("problems")).as(report.toString()).isEmpty();
    assertThat(report.path("leftAsSource")).extracting(JsonNode::asText)
        .containsExactly(site.resolve("vendored/legacy.py").toString());
    assertThat(report.path("importExitCode").asInt()).isZero();
    assertThat(report.path("importRejections")).as(report.toString()).isEmpty();
    // single, pkg and pkg.sub.mod; pkg.sub is a namespace package without code
    assertThat(report.path("importedFromVenv")).extracting(JsonNode::asText).hasSize(3)
        .allMatch(path -> path.endsWith(".pyc"));
  }

  @Test
  void theCheckSeesStaleTimestampBytecodeAsPythonDoes(@TempDir Path work) throws IOException {
    assumeTrue(ExternalCommand.onPath("python3").isPresent(), "python3 is not installed");
    Path venv = work.resolve("venv");
    ExternalCommand.run(List.of("python3", "-m", "venv", "--without-pip", venv.toString()), TIMEOUT).orThrow();
    Path python = venv.resolve("bin/python");
    Path site = Path.of(ExternalCommand.run(List.of(python.toString(), "-c",
        "import sysconfig; print(sysconfig.get_path('purelib'))"), TIMEOUT).orThrow().stdout().trim());
    write(site.resolve("single.py"), "VALUE = 1\n");
    // what pip writes by default: timestamp-based bytecode, recording the source's mtime at install time
    ExternalCommand.run(List.of(python.toString(), "-m", "compileall", "-q", "--invalidation-mode", "timestamp",
        site.toString()), TIMEOUT).orThrow();

    setEveryFileTimeToZero(venv);
    JsonNode report = checkVenv(python, "single");

    assertThat(report.path("problems")).extracting(JsonNode::asText).singleElement().asString()
        .startsWith("not checked-hash bytecode (flags 0): ");
    assertThat(report.path("importRejections")).extracting(JsonNode::asText)
        .containsExactly("# bytecode is stale for 'single'");
    assertThat(report.path("importedFromVenv")).extracting(JsonNode::asText)
        .containsExactly(site.resolve("single.py").toString());
  }

  /** RealBuildIT's report script, run in the venv with Python kept from writing bytecode, as in the image. */
  private static JsonNode checkVenv(Path python, String... modules) throws IOException {
    String checkScript;
    try (InputStream in = CompileBytecodeScriptIT.class.getResourceAsStream("/e2e/check-venv.py")) {
      checkScript = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<String> command = new ArrayList<>(List.of(python.toString(), "-c", checkScript));
    command.addAll(List.of(modules));
    ExternalCommand.Result check = ExternalCommand.run(command, Map.of("PYTHONDONTWRITEBYTECODE", "1"), TIMEOUT);
    assertThat(check.exitCode()).as(check.output()).isZero();
    return JSON.readTree(check.stdout().trim());
  }

  private static String cacheTag(Path python) {
    return ExternalCommand.run(List.of(python.toString(), "-c", "import sys; print(sys.implementation.cache_tag)"),
        TIMEOUT).orThrow().stdout().trim();
  }

  /** Every .pyc under the folder, by relative path, with the SHA-256 of its bytes. */
  private static Map<String, String> bytecode(Path root) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(p -> p.toString().endsWith(".pyc")).toList()) {
        files.put(relative(root, p), TestWheels.hex(TestWheels.digest("SHA-256", Files.readAllBytes(p))));
      }
    }
    return files;
  }

  private static void deleteBytecode(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(p -> p.toString().endsWith(".pyc")).toList()) {
        Files.delete(p);
      }
    }
  }

  private static void setEveryFileTimeToZero(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        Files.setLastModifiedTime(p, FileTime.fromMillis(0));
      }
    }
  }

  private static String relative(Path root, Path file) {
    return root.relativize(file).toString();
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}
