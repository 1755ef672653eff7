package dev.envforge.core.recipe;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** The files of a build context, by name, in a stable order. Kaniko and buildah build it unchanged. */
public record BuildContext(Map<String, String> files) {
  public static final String DOCKERFILE = "Dockerfile";
  public static final String HASHED_REQUIREMENTS = "requirements.txt";
  public static final String DIRECT_REQUIREMENTS = "requirements-direct.txt";
  public static final String PACKAGE_LIST = "packages.txt";
  /** The fixed script that compiles the installed packages to checked-hash bytecode. */
  public static final String COMPILE_SCRIPT = "compile-bytecode.py";
  /**
   * The fixed launcher script, the image's entrypoint: installs the runtime requirements when they are mounted,
   * then execs the command.
   */
  public static final String LAUNCHER = "launcher";

  public BuildContext {
    files = Collections.unmodifiableMap(new TreeMap<>(files));
  }

  public String dockerfile() {
    return files.get(DOCKERFILE);
  }
}
