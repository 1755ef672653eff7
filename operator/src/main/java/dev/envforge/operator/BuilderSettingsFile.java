package dev.envforge.operator;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.envforge.api.v1alpha1.BuilderSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the operator-wide build settings ({@code envforge run --builder-settings FILE}): a YAML file with the
 * fields of a resource's {@code spec.builder}. The chart writes it from its {@code builder} values.
 */
public final class BuilderSettingsFile {

  private BuilderSettingsFile() {}

  /** The settings, or an exception whose message names the file, line and column of the first problem. */
  public static BuilderSpec read(Path file) {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot be read: " + e.getMessage(), e);
    }
    BuilderSpec settings;
    try {
      settings = text.isBlank() ? new BuilderSpec() : yaml.readValue(text, BuilderSpec.class);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr();
      throw new IllegalArgumentException(file + where + ": " + e.getOriginalMessage(), e);
    }
    if (settings.getMode() != null) {
      // the mode is part of each image's tag, which the command line computes from the manifest alone
      throw new IllegalArgumentException(file + ": mode: the builder mode is set by each PythonEnvironment"
          + " (spec.builder.mode, default auto), not by the operator, because it is part of the image's tag");
    }
    Long deadline = settings.getActiveDeadlineSeconds();
    if (deadline != null && (deadline < BuilderSpec.MIN_ACTIVE_DEADLINE_SECONDS
        || deadline > BuilderSpec.MAX_ACTIVE_DEADLINE_SECONDS)) {
      throw new IllegalArgumentException(file + ": activeDeadlineSeconds must be from "
          + BuilderSpec.MIN_ACTIVE_DEADLINE_SECONDS + " to " + BuilderSpec.MAX_ACTIVE_DEADLINE_SECONDS + ", not "
          + deadline);
    }
    try {
      FetchSettings.checkOperatorWide(settings);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
    return settings;
  }
}
