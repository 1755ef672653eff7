package dev.envforge.core.assemble;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * The layer {@code python3 -m venv --without-pip <prefix>} leaves behind (CPython 3.11 and 3.12 on Linux, 64 bit):
 * {@code pyvenv.cfg}, {@code bin/python3} linked to the base interpreter and {@code bin/python},
 * {@code bin/pythonX.Y} linked to it, {@code include/pythonX.Y}, {@code lib/pythonX.Y/site-packages}, {@code lib64}
 * linked to {@code lib}, and the activate scripts made from the templates of the base's {@code venv} module.
 *
 * <p>The activate templates are Python's own files ({@code Lib/venv/scripts/common/activate}, ...), so they come from
 * the base image; without them the skeleton has no activate scripts, which nothing in a container needs.
 */
public final class VenvSkeleton {
  /** Template file name to installed name: both are the file names in {@code bin}. */
  public static final java.util.List<String> ACTIVATE_SCRIPTS =
      java.util.List.of("activate", "activate.csh", "activate.fish", "Activate.ps1");

  private VenvSkeleton() {}

  /**
   * Writes the skeleton layer.
   *
   * @param activateTemplates template text by file name (see {@link #ACTIVATE_SCRIPTS}); may be empty
   */
  public static LayerWriter.Layer write(VenvLayout layout, BaseInterpreter python, Map<String, String> activateTemplates,
      OutputStream out) throws IOException {
    if (!python.minor().equals(layout.pythonMinor())) {
      throw new IllegalArgumentException("the venv is laid out for Python " + layout.pythonMinor()
          + " but the base has " + python.version());
    }
    String root = layout.root();
    TreeMap<String, Entry> entries = new TreeMap<>();
    for (String dir : layout.commonDirectories()) {
      entries.put(dir, Entry.dir());
    }
    entries.put(root + "/include", Entry.dir());
    entries.put(root + "/include/python" + layout.pythonMinor(), Entry.dir());
    entries.put(root + "/lib64", Entry.link("lib"));
    String exe = python.executableName();
    entries.put(layout.bin() + "/" + exe, Entry.link(python.invokedPath()));
    for (String name : new String[] {"python", "python3", "python" + layout.pythonMinor()}) {
      entries.putIfAbsent(layout.bin() + "/" + name, Entry.link(exe));
    }
    entries.put(root + "/pyvenv.cfg", Entry.file(pyvenvCfg(layout, python)));
    String envName = layout.prefix().substring(layout.prefix().lastIndexOf('/') + 1);
    for (var template : new TreeMap<>(activateTemplates).entrySet()) {
      if (!ACTIVATE_SCRIPTS.contains(template.getKey())) {
        throw new IllegalArgumentException("not an activate script of venv: " + template.getKey());
      }
      String text = template.getValue()
          .replace("__VENV_DIR__", layout.prefix())
          .replace("__VENV_NAME__", envName)
          .replace("__VENV_PROMPT__", "(" + envName + ") ")
          .replace("__VENV_BIN_NAME__", "bin")
          .replace("__VENV_PYTHON__", layout.prefix() + "/bin/" + exe);
      entries.put(layout.bin() + "/" + template.getKey(), Entry.file(text));
    }
    try (LayerWriter writer = new LayerWriter(out)) {
      for (var entry : entries.entrySet()) {
        Entry e = entry.getValue();
        if (e.linkTarget != null) {
          writer.symlink(entry.getKey(), e.linkTarget);
        } else if (e.content != null) {
          writer.file(entry.getKey(), LayerWriter.FILE_MODE, e.content.getBytes(StandardCharsets.UTF_8));
        } else {
          writer.directory(entry.getKey());
        }
      }
      return writer.finish();
    }
  }

  /** pyvenv.cfg as CPython 3.11+ writes it for {@code python3 -m venv --without-pip <prefix>}. */
  static String pyvenvCfg(VenvLayout layout, BaseInterpreter python) {
    return "home = " + python.directory() + "\n"
        + "include-system-site-packages = false\n"
        + "version = " + python.version() + "\n"
        + "executable = " + python.realPath() + "\n"
        + "command = " + python.invokedPath() + " -m venv --without-pip " + layout.prefix() + "\n";
  }

  private record Entry(String content, String linkTarget) {
    static Entry dir() {
      return new Entry(null, null);
    }

    static Entry file(String content) {
      return new Entry(content, null);
    }

    static Entry link(String target) {
      return new Entry(null, target);
    }
  }
}
