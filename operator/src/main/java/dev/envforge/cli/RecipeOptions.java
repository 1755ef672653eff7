package dev.envforge.cli;

import picocli.CommandLine.Option;

/** Build-recipe inputs; each one is part of the image hash. */
final class RecipeOptions {
  @Option(names = "--base-image", paramLabel = "IMAGE",
      description = "Base image (default: docker.io/library/python:<major.minor>-slim-bookworm).")
  String baseImage;

  @Option(names = "--installer", paramLabel = "uv|pip", defaultValue = "uv",
      description = "Installer used in the image (default: ${DEFAULT-VALUE}).")
  String installer;
}
