package dev.envforge.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The part of kustomize the examples use: {@code kubectl kustomize} itself, and the same objects built without it
 * (resources as written, one ConfigMap per {@code configMapGenerator} entry, named as written), so the examples can
 * be resolved on a machine without kubectl. A kustomization that uses anything else is refused rather than
 * half-understood.
 */
final class Kustomize {
  static final String KUSTOMIZATION = "kustomization.yaml";
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static final Set<String> SUPPORTED_FIELDS =
      Set.of("apiVersion", "kind", "resources", "configMapGenerator", "configurations");
  private static final Set<String> SUPPORTED_GENERATOR_FIELDS = Set.of("name", "files", "options");
  private static final Set<String> SUPPORTED_OPTIONS = Set.of("disableNameSuffixHash");

  private Kustomize() {}

  /** One {@code files} entry of a generator: {@code [key=]path}, the key defaulting to the file's name. */
  record FileSource(String key, Path path) {}

  /** One {@code configMapGenerator} entry; kustomize appends a content hash to the name when hashSuffix is set. */
  record Generator(String name, List<FileSource> files, boolean hashSuffix) {}

  /** A kustomization.yaml as far as the examples use it. */
  record Kustomization(Path dir, List<Path> resources, List<Generator> generators, List<Path> configurations) {

    static Kustomization read(Path dir) {
      JsonNode root = documents(dir.resolve(KUSTOMIZATION)).get(0);
      root.fieldNames().forEachRemaining(field -> requireSupported(field, SUPPORTED_FIELDS, dir));
      List<Path> resources = new ArrayList<>();
      root.path("resources").forEach(r -> resources.add(dir.resolve(r.asText())));
      List<Path> configurations = new ArrayList<>();
      root.path("configurations").forEach(c -> configurations.add(dir.resolve(c.asText())));
      List<Generator> generators = new ArrayList<>();
      for (JsonNode generator : root.path("configMapGenerator")) {
        generator.fieldNames().forEachRemaining(field -> requireSupported(field, SUPPORTED_GENERATOR_FIELDS, dir));
        generator.path("options").fieldNames().forEachRemaining(o -> requireSupported(o, SUPPORTED_OPTIONS, dir));
        List<FileSource> files = new ArrayList<>();
        for (JsonNode entry : generator.path("files")) {
          String text = entry.asText();
          int eq = text.indexOf('=');
          Path path = dir.resolve(eq < 0 ? text : text.substring(eq + 1));
          files.add(new FileSource(eq < 0 ? path.getFileName().toString() : text.substring(0, eq), path));
        }
        generators.add(new Generator(generator.path("name").asText(), files,
            !generator.path("options").path("disableNameSuffixHash").asBoolean(false)));
      }
      return new Kustomization(dir, resources, generators, configurations);
    }

    private static void requireSupported(String field, Set<String> supported, Path dir) {
      if (!supported.contains(field)) {
        throw new IllegalStateException(dir.resolve(KUSTOMIZATION) + " uses '" + field + "', which the examples"
            + " test does not build without kubectl; supported: " + supported);
      }
    }

    /** The objects kustomize would produce, with generated ConfigMaps named as written (no hash suffix). */
    List<JsonNode> buildWithoutKubectl() {
      List<JsonNode> objects = new ArrayList<>();
      for (Path resource : resources) {
        objects.addAll(documents(resource));
      }
      for (Generator generator : generators) {
        ObjectNode configMap = JsonNodeFactory.instance.objectNode();
        configMap.put("apiVersion", "v1").put("kind", "ConfigMap");
        configMap.putObject("metadata").put("name", generator.name());
        ObjectNode data = configMap.putObject("data");
        for (FileSource file : generator.files()) {
          data.put(file.key(), utf8(file.path()));
        }
        objects.add(configMap);
      }
      return objects;
    }
  }

  /** Every non-empty YAML document of a file. */
  static List<JsonNode> documents(Path file) {
    try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
      return nonEmpty(docs);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  static List<JsonNode> documents(String text) {
    try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(text)) {
      return nonEmpty(docs);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse YAML", e);
    }
  }

  private static List<JsonNode> nonEmpty(Iterator<JsonNode> docs) {
    List<JsonNode> result = new ArrayList<>();
    docs.forEachRemaining(doc -> {
      if (doc != null && !doc.isNull() && !doc.isMissingNode() && !doc.isEmpty()) {
        result.add(doc);
      }
    });
    return result;
  }

  /** A file's text; kustomize keeps only valid UTF-8 in a ConfigMap's data (anything else goes to binaryData). */
  static String utf8(Path file) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalStateException(file + " is not UTF-8: it would not be kept in a ConfigMap's data", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** kubectl on the PATH, if there is one. */
  static Optional<Path> kubectl() {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, "kubectl");
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** The objects of {@code kubectl kustomize dir}. */
  static List<JsonNode> render(Path kubectl, Path dir) {
    try {
      Path out = Files.createTempFile("kustomize-", ".yaml");
      Path err = Files.createTempFile("kustomize-", ".err");
      try {
        Process process = new ProcessBuilder(kubectl.toString(), "kustomize", dir.toString())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException("kubectl kustomize " + dir + " did not finish in 120 s");
        }
        if (process.exitValue() != 0) {
          throw new IllegalStateException("kubectl kustomize " + dir + " failed (exit " + process.exitValue() + "): "
              + Files.readString(err));
        }
        return documents(Files.readString(out, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
