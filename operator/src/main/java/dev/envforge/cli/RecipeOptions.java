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

  @Option(names = "--builder", paramLabel = "auto|assemble|kaniko", defaultValue = "auto",
      description = "Builder of the image, part of its tag as spec.builder.mode (default: ${DEFAULT-VALUE}: assemble"
          + " when every package has a wheel for the target, else kaniko).")
  String builder;
}
