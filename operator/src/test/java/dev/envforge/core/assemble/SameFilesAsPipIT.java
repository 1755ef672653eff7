package dev.envforge.core.assemble;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.e2e.TestWheels;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The assembler's layers, unpacked with tar, hold the same files as {@code python3 -m venv --without-pip} followed by
 * {@code pip install --no-deps --no-compile} of the same wheels: same paths, types, modes, contents and link targets,
 * except the documented differences (docs/assemble.md): {@code __pycache__} shipped inside a wheel is not installed,
 * {@code INSTALLER} says {@code envforge}, and RECORD lacks the lines of both.
 *
 * <p>The wheels are Debian's pip, setuptools and wheel wheels, the packages of the e2e test projects
 * ({@link TestWheels}), and test-built ones ({@code make_wheels.py}) with .data scripts, headers, data, platlib,
 * console and GUI scripts, a .pth file and a namespace package.
 */
class SameFilesAsPipIT {
  static final List<String> DEBIAN_WHEELS = List.of("pip-23.0.1-py3-none-any.whl",
      "setuptools-66.1.1-py3-none-any.whl", "wheel-0.38.4-py3-none-any.whl");
  static final Path DEBIAN_WHEEL_DIR = Path.of("/usr/share/python-wheels");

  @TempDir
  static Path work;

  static Map<String, String> python;

  @BeforeAll
  static void hostPython() throws Exception {
    Assumptions.assumeTrue(Processes.available("python3"), "python3 is not installed");
    Assumptions.assumeTrue(Files.isDirectory(DEBIAN_WHEEL_DIR), "python3-pip-whl is not installed");
    String out = Processes.run(work, "python3", "-c", String.join(";",
        "import sys, os, platform, venv",
        "print(sys._base_executable)", "print(os.path.realpath(sys.executable))", "print(platform.python_version())",
        "print(os.path.join(os.path.dirname(venv.__file__), 'scripts'))", "print(sys.executable)"));
    String[] lines = out.strip().split("\n");
    python = Map.of("base", lines[0], "real", lines[1], "version", lines[2], "scripts", lines[3],
        "executable", lines[4]);
    Processes.run(work, "python3", resource("make_wheels.py").toString(), work.resolve("wheels").toString());
    for (String wheel : DEBIAN_WHEELS) {
      Files.copy(DEBIAN_WHEEL_DIR.resolve(wheel), work.resolve("wheels").resolve(wheel));
    }
    // the packages of the e2e test projects (LockedTestProjects), as their index serves them
    for (TestWheels.TestPackage pkg : TestWheels.create().packages()) {
      Files.write(work.resolve("wheels").resolve(pkg.wheel().filename()), pkg.wheel().content());
    }
  }

  @Test
  void assembledVenvHoldsTheSameFilesAsPip() throws Exception {
    Path venv = work.resolve("pip").resolve("venv");
    Processes.run(work, "python3", "-m", "venv", "--without-pip", venv.toString());
    Processes.run(work, "python3", "-m", "pip", "--python", venv.resolve("bin/python").toString(), "install",
        "--no-deps", "--no-index", "--no-compile", "--disable-pip-version-check", "--find-links",
        work.resolve("wheels").toString(), "demo", "platdemo", "pip", "setuptools", "wheel", "alpha", "beta",
        "gamma", "delta", "epsilon", "tampered");

    BaseInterpreter interpreter = new BaseInterpreter(python.get("base"), python.get("real"), python.get("version"));
    VenvLayout layout = new VenvLayout(venv.toString(), interpreter.minor(), "envforge");
    Path root = work.resolve("assembled");
    Files.createDirectories(root);
    Path skeleton = work.resolve("layers/skeleton.tar.gz");
    Files.createDirectories(skeleton.getParent());
    try (OutputStream out = Files.newOutputStream(skeleton)) {
      VenvSkeleton.write(layout, interpreter, activateTemplates(Path.of(python.get("scripts"))), out);
    }
    unpack(skeleton, root);
    try (Stream<Path> wheels = Files.list(work.resolve("wheels"))) {
      for (Path wheel : wheels.sorted().toList()) {
        String project = wheel.getFileName().toString().split("-")[0];
        Path layer = work.resolve("layers").resolve(wheel.getFileName() + ".tar.gz");
        try (OutputStream out = Files.newOutputStream(layer)) {
          WheelInstaller.install(wheel, project, WheelInstaller.sha256Hex(wheel), layout, out);
        }
        unpack(layer, root);
      }
    }

    Map<String, String> expected = describe(venv);
    Map<String, String> actual = describe(root.resolve(venv.toString().substring(1)));
    expected.keySet().removeIf(path -> path.contains("/__pycache__"));
    expected.keySet().removeIf(path -> path.endsWith(".dist-info/INSTALLER"));
    actual.keySet().removeIf(path -> path.endsWith(".dist-info/INSTALLER"));
    assertThat(actual).isEqualTo(expected);
    assertThat(expected).containsKeys("bin/demo", "bin/demo-gui", "bin/demo-tool", "bin/plain.sh",
        "bin/pip3." + interpreter.minor().split("\\.")[1], "include/site/python" + interpreter.minor() + "/demo/demo.h",
        "share/demo/readme.txt", "lib/python" + interpreter.minor() + "/site-packages/demo.pth",
        "lib/python" + interpreter.minor() + "/site-packages/platdemo_native.py", "pyvenv.cfg", "bin/python3",
        "bin/activate");
    String installer = Files.readString(root.resolve(venv.toString().substring(1))
        .resolve("lib/python" + interpreter.minor() + "/site-packages/demo-1.0.dist-info/INSTALLER"));
    assertThat(installer).isEqualTo("envforge\n");
  }

  /** Path to "type mode content-or-target", with RECORD reduced to the lines both installers must agree on. */
  static Map<String, String> describe(Path top) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(top)) {
      for (Path path : walk.toList()) {
        String relative = top.relativize(path).toString();
        if (relative.isEmpty()) {
          continue;
        }
        String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
        if (Files.isSymbolicLink(path)) {
          files.put(relative, "link " + Files.readSymbolicLink(path));
        } else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
          files.put(relative, "dir " + mode);
        } else if (relative.endsWith(".dist-info/RECORD")) {
          String lines = Files.readAllLines(path).stream()
              .filter(line -> !line.contains("/__pycache__/") && !line.contains(".dist-info/INSTALLER,"))
              .collect(Collectors.joining("\n"));
          files.put(relative, "file " + mode + " " + lines);
        } else {
          files.put(relative, "file " + mode + " sha256:" + WheelInstaller.sha256Hex(path));
        }
      }
    }
    return files;
  }

  static Map<String, String> activateTemplates(Path scripts) throws IOException {
    Map<String, String> templates = new LinkedHashMap<>();
    for (String folder : List.of("common", "posix")) {
      Path dir = scripts.resolve(folder);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file : files.toList()) {
          templates.put(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
        }
      }
    }
    return templates;
  }

  static void unpack(Path layer, Path root) throws Exception {
    Processes.run(root, "tar", "-xzf", layer.toString(), "-C", root.toString());
  }

  static Path resource(String name) throws IOException {
    Path file = work.resolve(name);
    try (InputStream in = SameFilesAsPipIT.class.getResourceAsStream("/assemble/" + name)) {
      Files.copy(in, file);
    }
    return file;
  }

}
