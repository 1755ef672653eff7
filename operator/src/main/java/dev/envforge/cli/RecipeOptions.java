package dev.envforge.cli;

import picocli.CommandLine.Option;

/**
 * Build-recipe inputs; each one is part of the image hash. Defaults are the fields' initial values, which picocli
 * shows as the default, so a command run without picocli's parsing (QuickStart) gets the same ones.
 */
final class RecipeOptions {
  @Option(names = "--base-image", paramLabel = "IMAGE",
      description = "Base image (default: docker.io/library/python:<major.minor>-slim-bookworm).")
  String baseImage;

  @Option(names = "--installer", paramLabel = "uv|pip",
      description = "Installer used in the image (default: ${DEFAULT-VALUE}).")
  String installer = "uv";

  @Option(names = "--builder", paramLabel = "auto|assemble|kaniko",
      description = "Builder of the image, part of its tag as spec.builder.mode (default: ${DEFAULT-VALUE}: assemble"
          + " when every package has a wheel for the target, else kaniko).")
  String builder = "auto";
}
