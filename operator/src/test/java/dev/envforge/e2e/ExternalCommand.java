package dev.envforge.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program of this machine and collects its exit code and its output (stdout and stderr merged, in the order
 * the program wrote them). Used by the end-to-end fixtures for buildah, skopeo, dpkg-query, tar and python3.
 */
public final class ExternalCommand {
  private ExternalCommand() {}

  /**
   * What a finished program left behind.
   *
   * @param command the program and its arguments
   * @param exitCode its exit code
   * @param output stdout and stderr, merged line by line in the order they arrived
   * @param stdout stdout alone, for commands whose output is parsed
   * @param elapsed wall-clock time it ran
   * @param lines the merged output's lines with the time each arrived (since the program started), for step
   *     timings read from a program's progress lines
   */
  public record Result(List<String> command, int exitCode, String output, String stdout, Duration elapsed,
      List<TimedLine> lines) {
    public boolean succeeded() {
      return exitCode == 0;
    }

    /** The last {@code count} lines of the output: enough to explain a failure without flooding a report. */
    public List<String> lastLines(int count) {
      List<String> lines = output.lines().toList();
      return List.copyOf(lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }

    /** This result, or an exception naming the command and the end of its output when it failed. */
    public Result orThrow() {
      if (!succeeded()) {
        throw new IllegalStateException(String.join(" ", command) + " exited with " + exitCode + ":\n"
            + String.join("\n", lastLines(40)));
      }
      return this;
    }
  }

  /**
   * A line of output and when it arrived.
   *
   * @param at time since the program was started
   * @param text the line without its line break
   */
  public record TimedLine(Duration at, String text) {}

  static Result run(List<String> command, Duration timeout) {
    return run(command, Map.of(), timeout);
  }

  /** Runs the command with changed environment variables (a null value removes one); stdin is empty. */
  static Result run(List<String> command, Map<String, String> environment, Duration timeout) {
    long start = System.nanoTime();
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    environment.forEach((name, value) -> {
      if (value == null) {
        builder.environment().remove(name);
      } else {
        builder.environment().put(name, value);
      }
    });
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command.get(0), e);
    }
    Output merged = new Output(start);
    CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> readLines(process.getInputStream(), merged));
    CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> readLines(process.getErrorStream(), merged));
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout
            + "; output so far:\n" + merged);
      }
      String out = stdout.join();
      stderr.join();
      return new Result(List.copyOf(command), process.exitValue(), merged.toString(), out,
          Duration.ofNanos(System.nanoTime() - start), merged.lines());
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command.get(0), e);
    }
  }

  /** The absolute path of a program found on PATH, if any. */
  static Optional<Path> onPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    for (String dir : path.split(":")) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  static List<String> command(Object... parts) {
    List<String> list = new ArrayList<>();
    for (Object part : parts) {
      if (part instanceof List<?> many) {
        many.forEach(p -> list.add(String.valueOf(p)));
      } else {
        list.add(String.valueOf(part));
      }
    }
    return list;
  }

  /** Reads a stream line by line, adding each line to the merged output as it arrives. */
  private static String readLines(InputStream in, Output merged) {
    StringBuilder own = new StringBuilder();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        own.append(line).append('\n');
        merged.add(line);
      }
    } catch (IOException e) {
      merged.add("(output unreadable: " + e.getMessage() + ")");
    }
    return own.toString();
  }

  /** stdout and stderr merged in arrival order, each line with its arrival time. */
  private static final class Output {
    private final long start;
    private final StringBuilder text = new StringBuilder();
    private final List<TimedLine> lines = new ArrayList<>();

    Output(long start) {
      this.start = start;
    }

    synchronized void add(String line) {
      text.append(line).append('\n');
      lines.add(new TimedLine(Duration.ofNanos(System.nanoTime() - start), line));
    }

    synchronized List<TimedLine> lines() {
      return List.copyOf(lines);
    }

    @Override
    public synchronized String toString() {
      return text.toString();
    }
  }
}
