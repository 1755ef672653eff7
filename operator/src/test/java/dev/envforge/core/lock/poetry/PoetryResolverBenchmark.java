package dev.envforge.core.lock.poetry;

import dev.envforge.core.lock.ProjectFiles;
import dev.envforge.core.plan.InstallPlan;
import dev.envforge.core.plan.Selection;
import dev.envforge.core.plan.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How long resolving a Poetry project takes, warm. {@code resolve} is the reconcile path (the parsed files are
 * cached by content), {@code parseAndResolve} a changed lock (parse, check and walk), {@code parseLock} the TOML
 * reading alone, {@code parseLockWithTomlj} the same with tomlj for comparison.
 *
 * <p>Run: {@code mvn -o -q -pl operator test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt
 * -Dmdep.includeScope=test}, then {@code java -cp operator/target/test-classes:operator/target/classes:$(cat
 * operator/cp.txt) org.openjdk.jmh.Main PoetryResolverBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PoetryResolverBenchmark {
  @Param({"poetry-All-Hands-AI-OpenHands", "poetry-pixeltable-pixeltable"})
  public String caseName;

  private ProjectFiles files;
  private String lockText;
  private Selection selection;
  private PoetryResolver cached;

  @Setup
  public void setUp() throws IOException {
    Path dir = Path.of(System.getProperty("envforge.corpus", "operator/src/test/resources/corpus")).resolve(caseName);
    String pyproject = Files.readString(dir.resolve("pyproject.toml"));
    lockText = Files.readString(dir.resolve("poetry.lock"));
    files = ProjectFiles.of(Map.of("pyproject.toml", pyproject, "poetry.lock", lockText), caseName + "/");
    selection = new Selection(List.of("dev"), List.of());
    cached = new PoetryResolver();
    cached.resolve(files, selection, Target.DEFAULT);
  }

  @Benchmark
  public InstallPlan resolve() {
    return cached.resolve(files, selection, Target.DEFAULT);
  }

  @Benchmark
  public InstallPlan parseAndResolve() {
    return new PoetryResolver().resolve(files, selection, Target.DEFAULT);
  }

  @Benchmark
  public TomlDoc parseLock() {
    return TomlDoc.parse(lockText, "poetry.lock");
  }

  @Benchmark
  @Warmup(iterations = 3, time = 5)
  @Measurement(iterations = 3, time = 5)
  public TomlDoc parseLockWithTomlj() {
    return TomlDoc.parseWithTomlj(lockText, "poetry.lock");
  }
}
