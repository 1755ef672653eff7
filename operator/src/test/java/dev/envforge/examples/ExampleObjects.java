package dev.envforge.examples;

import com.fasterxml.jackson.databind.JsonNode;
import dev.envforge.api.GeneratedCrd;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The examples' folders and the objects each one applies, for tests outside this package. */
public final class ExampleObjects {
  private ExampleObjects() {}

  public static List<Path> exampleDirs() {
    try (Stream<Path> listing = Files.list(ExamplesTest.examplesRoot())) {
      return listing.filter(Files::isDirectory).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What the example applies: kustomize's objects as built without kubectl, or its YAML files' documents. */
  public static List<JsonNode> deployed(Path dir) {
    if (Files.exists(dir.resolve(Kustomize.KUSTOMIZATION))) {
      return Kustomize.Kustomization.read(dir).buildWithoutKubectl();
    }
    List<JsonNode> objects = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path file : walk.filter(Files::isRegularFile)
          .filter(p -> !dir.relativize(p).startsWith("project"))
          .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList()) {
        objects.addAll(Kustomize.documents(file));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return objects;
  }

  static Path repoRoot() {
    return GeneratedCrd.repoRoot();
  }
}
