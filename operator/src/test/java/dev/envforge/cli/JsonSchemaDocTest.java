package dev.envforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.envforge.api.GeneratedCrd;
import dev.envforge.cli.CliRunner.Result;
import dev.envforge.core.buildlog.LogArtifact;
import dev.envforge.core.buildlog.LogRegistry;
import dev.envforge.core.registry.ImageReference;
import dev.envforge.core.registry.RegistryClient;
import dev.envforge.core.registry.RegistryCredentials;
import dev.envforge.testing.Corpus;
import dev.envforge.e2e.LockedTestProjects;
import dev.envforge.testing.RegistryServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command's {@code --json} object against the table of fields in docs/cli.md, both ways: no field the table
 * lacks, and every field it lists (those without {@code ?}) in every answer. Each command runs on answers that fill
 * its arrays, success and failure ({@code assemble} needs a base image and wheels in a registry: its objects are
 * checked by its own tests).
 */
class JsonSchemaDocTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern ROW = Pattern.compile("(?m)^\\| `([a-z-]+)` \\| (.*) \\|$");
  private static final Pattern FIELD = Pattern.compile("`([a-z_A-Z][\\w.\\[\\]?*]*)`");
  private static final Path POETRY = Corpus.dir("poetry-python-poetry-poetry");

  @Test
  void everyCommandsObjectHasExactlyTheDocumentedFields(@TempDir Path tmp) throws Exception {
    Map<String, List<String>> documented = documentedFields();
    Map<String, List<Result>> answers = new LinkedHashMap<>();
    Path manifest = ManifestAndLockDiscoveryTest.inlineManifest(tmp, "");

    answers.put("resolve", List.of(
        json("resolve", POETRY.toString()),
        json("resolve", Corpus.dir("uv-modelcontextprotocol-python-sdk-1").toString(), "--groups", "dev"),
        json("resolve", Corpus.dir("conda-conda-conda-lock-1").toString()),
        json("resolve", Corpus.dir("requirements-sigstore-sigstore-python").toString()),
        json("resolve", Files.writeString(Files.createDirectories(tmp.resolve("index")).resolve("requirements.txt"),
            "--index-url https://pypi.example.com/simple\nsix==1.16.0 \\\n    --hash=sha256:" + "a".repeat(64) + "\n")
            .getParent().toString()),
        json("resolve", "-f", manifest.toString(), "--variant", "dev"),
        json("resolve", runtimeGroupsProject(tmp).toString(), "--runtime-groups", "dev")));
    answers.put("hash", List.of(json("hash", POETRY.toString()),
        json("hash", "-f", manifest.toString(), "--variant", "dev")));
    answers.put("render", List.of(json("render", POETRY.toString(), "--out", tmp.resolve("context").toString())));
    answers.put("tags", List.of(json("tags", "-f", manifest.toString())));
    answers.put("check-lock", List.of(json("check-lock", POETRY.toString()),
        json("check-lock", outOfDate(tmp).toString())));
    Path deployment = Files.writeString(tmp.resolve("deployment.yaml"),
        "image: r.example.com/app:old # {\"$envforge\": \"" + manifest.getFileName() + ":dev\"}\n");
    answers.put("sync", List.of(json("sync", "--check", deployment.toString()), json("sync", deployment.toString()),
        json("sync", "--check", deployment.toString())));
    answers.put("check", List.of(
        json("check", GovernanceCommandsTest.LANGGRAPH, "--policy",
            GovernanceCommandsTest.policy(tmp, "deniedPackages: [{name: pyyaml}]\n").toString()),
        json("check", GovernanceCommandsTest.LANGGRAPH, "--policy",
            GovernanceCommandsTest.policy(tmp, "deniedPackages: [{name: not-installed}]\n").toString())));
    answers.put("diff", List.of(json("diff", Corpus.dir("uv-huggingface-lerobot").toString(),
        Corpus.dir("poetry-huggingface-lerobot").toString())));

    try (RegistryServer registry = RegistryServer.start()) {
      String repo = registry.hostPort() + "/team/env";
      String digest = registry.pushRandomImage("team/env", "ef-present");
      ImageReference image = ImageReference.parse(repo + ":ef-present");
      LogRegistry.store(RegistryClient.builder().insecureRegistry(image.registry())
              .credentials(RegistryCredentials.NONE).build().session(image, true, List.of()), image, digest,
          "built\n".getBytes(StandardCharsets.UTF_8), Map.of(LogArtifact.RESULT_ANNOTATION, "Succeeded"));
      answers.put("exists", List.of(json("exists", repo, "--tag", "ef-present", "--insecure"),
          json("exists", repo, "--tag", "ef-absent", "--insecure"),
          json("exists", "127.0.0.1:9/team/env", "--tag", "ef-x", "--insecure")));
      answers.put("logs", List.of(json("logs", repo + ":ef-present", "--insecure"),
          json("logs", repo + ":ef-absent", "--insecure"),
          json("logs", "127.0.0.1:9/team/env:ef-x", "--insecure")));
    }

    assertThat(answers.keySet()).as("commands with a row in the table of docs/cli.md")
        .allMatch(documented::containsKey);
    assertThat(documented).containsKeys("assemble");
    for (Map.Entry<String, List<Result>> entry : answers.entrySet()) {
      String command = entry.getKey();
      List<String> fields = documented.get(command);
      TreeSet<String> seen = new TreeSet<>();
      for (Result answer : entry.getValue()) {
        assertThat(answer.out()).as("envforge %s --json: %s", command, answer.err()).startsWith("{");
        List<String> paths = new ArrayList<>();
        flatten(JSON.readTree(answer.out()), "", paths);
        seen.addAll(paths);
        for (String path : paths) {
          assertThat(fields.stream().anyMatch(field -> documents(field, path)))
              .as("envforge %s --json prints %s, which docs/cli.md's table does not list (%s)", command, path, fields)
              .isTrue();
        }
        for (String field : fields) {
          if (!field.contains("?") && applies(field, paths)) {
            assertThat(paths.stream().anyMatch(path -> documents(field, path)))
                .as("docs/cli.md lists %s for %s, which this answer lacks: %s", field, command, answer.out())
                .isTrue();
          }
        }
      }
      for (String field : fields) {
        assertThat(seen.stream().anyMatch(path -> documents(field, path)))
            .as("docs/cli.md lists %s for %s, which no answer printed", field, command).isTrue();
      }
    }
  }

  /** The command with --json; its exit code is any, since failures print their object too. */
  private static Result json(String... args) {
    String[] all = new String[args.length + 1];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--json";
    Result run = CliRunner.run(all);
    assertThat(run.exitCode()).as("%s: %s", String.join(" ", args), run.err()).isIn(0, 1, 3);
    return run;
  }

  /** A Poetry project whose lock's content-hash is stale and whose dependencies break a lint rule. */
  private static Path outOfDate(Path tmp) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("stale"));
    Files.copy(POETRY.resolve("pyproject.toml"), dir.resolve("pyproject.toml"), StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(dir.resolve("pyproject.toml"), "\n[tool.envforge.lint]\nrules = [\"upper-bound\"]\n",
        java.nio.file.StandardOpenOption.APPEND);
    Files.writeString(dir.resolve("poetry.lock"), Files.readString(POETRY.resolve("poetry.lock"))
        .replaceFirst("content-hash = \"[0-9a-f]", "content-hash = \"x"));
    return dir;
  }

  private static Path runtimeGroupsProject(Path tmp) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("runtime"));
    LockedTestProjects.writePoetry(dir, ResolveRuntimeGroupsTest.WHEELS, ResolveRuntimeGroupsTest.INDEX,
        LockedTestProjects.Options.standard());
    return dir;
  }

  /** Field paths of an object: {@code a.b}, {@code a[]} for each item, {@code a[].b}; a null or empty value as itself. */
  static void flatten(JsonNode node, String path, List<String> out) {
    if (node.isObject() && !node.isEmpty()) {
      node.fields().forEachRemaining(e -> flatten(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(),
          out));
    } else if (node.isArray()) {
      if (node.isEmpty()) {
        out.add(path + "[]");
      }
      for (JsonNode item : node) {
        flatten(item, path + "[]", out);
      }
    } else {
      out.add(path);
    }
  }

  /** Whether a documented field covers a printed path: itself, a null or empty container on its way, or under a.*. */
  static boolean documents(String field, String path) {
    String f = field.replace("?", "");
    if (f.endsWith(".*")) {
      String object = f.substring(0, f.length() - 2);
      return path.equals(object) || path.startsWith(object + ".");
    }
    return f.equals(path) || f.startsWith(path + ".") || f.startsWith(path + "[]")
        || path.endsWith("[]") && f.equals(path.substring(0, path.length() - 2));
  }

  /** A field inside an array of objects is required only when that array has items. */
  private static boolean applies(String field, List<String> paths) {
    int items = field.lastIndexOf("[].");
    if (items < 0) {
      return true;
    }
    String prefix = field.substring(0, items + 3);
    return paths.stream().anyMatch(p -> p.startsWith(prefix));
  }

  static Map<String, List<String>> documentedFields() throws Exception {
    String doc = Files.readString(GeneratedCrd.repoRoot().resolve("docs/cli.md"), StandardCharsets.UTF_8);
    int start = doc.indexOf("\n## JSON output\n");
    String section = doc.substring(start, doc.indexOf("\n## ", start + 1));
    Map<String, List<String>> fields = new HashMap<>();
    Matcher row = ROW.matcher(section);
    while (row.find()) {
      List<String> list = new ArrayList<>();
      Matcher field = FIELD.matcher(row.group(2));
      while (field.find()) {
        list.add(field.group(1));
      }
      fields.put(row.group(1), list);
    }
    return fields;
  }
}
