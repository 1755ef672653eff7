package dev.envforge.core.assemble;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Installs one wheel into a layer file, for runs in a JVM with a small heap: wheel, sha256, output. */
public final class LargeWheelMain {
  private LargeWheelMain() {}

  public static void main(String[] args) throws Exception {
    try (OutputStream out = Files.newOutputStream(Path.of(args[2]))) {
      var layer = WheelInstaller.install(Path.of(args[0]), "large", args[1], VenvLayout.standard("3.12"), out);
      System.out.println(layer.digest() + " " + layer.size());
    }
  }
}
