package dev.envforge.core.assemble;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real tools the assembler is compared with (python3, pip, tar). */
final class Processes {
  private Processes() {}

  static String run(Path workDir, String... command) throws IOException, InterruptedException {
    Path log = Files.createTempFile("assemble-cmd", ".log");
    try {
      Process process = new ProcessBuilder(List.of(command)).directory(workDir.toFile())
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (!process.waitFor(5, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IOException("timed out: " + String.join(" ", command));
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new IOException(String.join(" ", command) + " failed with " + process.exitValue() + ":\n" + output);
      }
      return output;
    } finally {
      Files.deleteIfExists(log);
    }
  }

  static boolean available(String program) {
    try {
      return new ProcessBuilder(program, "--version").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
