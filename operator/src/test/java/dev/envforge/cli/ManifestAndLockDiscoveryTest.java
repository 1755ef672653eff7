package dev.envforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.envforge.cli.CliRunner.Result;
import dev.envforge.testing.Corpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestAndLockDiscoveryTest {
  static final Path PACKAGING = Corpus.dir("pylock-pypa-packaging");
  static final Path POETRY = Corpus.dir("poetry-python-poetry-poetry");

  @Test
  void theOnlyNamedPylockIsFoundWithoutLock() {
    Result found = CliRunner.run("hash", PACKAGING.toString());
    assertThat(found.exitCode()).as(found.err()).isZero();
    assertThat(found.out()).isEqualTo(CliRunner.run("hash", PACKAGING.toString(), "--lock",
        "pylock.spec-example.toml").out());
  }

  @Test
  void severalNamedPylocksAreListed(@TempDir Path dir) throws Exception {
    Files.copy(PACKAGING.resolve("pylock.spec-example.toml"), dir.resolve("pylock.cpu.toml"));
    Files.copy(PACKAGING.resolve("pylock.spec-example.toml"), dir.resolve("pylock.gpu.toml"));
    Result run = CliRunner.run("hash", dir.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("pylock.cpu.toml").contains("pylock.gpu.toml").contains("--lock");
    assertThat(CliRunner.run("hash", dir.toString(), "--lock", "pylock.gpu.toml").exitCode()).isZero();
  }

  @Test
  void anInlineManifestNeedsNoProjectAndUnknownFieldsAreIgnored(@TempDir Path dir) throws Exception {
    Path manifest = inlineManifest(dir, "  futureField: {a: 1}\n");
    Result tags = CliRunner.run("tags", "-f", manifest.toString());
    assertThat(tags.exitCode()).as(tags.err()).isZero();
    String[] lines = tags.out().strip().split("\\R");
    assertThat(lines).hasSize(2);
    assertThat(lines[0]).matches("default\tef-[0-9a-f]{32}\tregistry\\.example\\.com/team/poetry:ef-[0-9a-f]{32}");
    assertThat(lines[1]).startsWith("dev\t");

    // hash -f with --variant gives the same tag; the variant's groups come from the manifest
    String devTag = lines[1].split("\t")[1];
    assertThat(CliRunner.run("hash", "-f", manifest.toString(), "--variant", "dev").out().strip()).isEqualTo(devTag);
    assertThat(CliRunner.run("hash", POETRY.toString(), "--groups", "dev").out().strip()).isEqualTo(devTag);
    Result json = CliRunner.run("hash", "-f", manifest.toString(), "--variant", "dev", "--json");
    assertThat(json.exitCode()).as(json.err()).isZero();
    assertThat(json.out()).contains("\"tag\" : \"" + devTag + "\"")
        .contains("\"image\" : \"registry.example.com/team/poetry:" + devTag + "\"").contains("\"variant\" : \"dev\"");
  }

  @Test
  void aManifestWithSeveralVariantsNeedsVariantAndRefusesFolderFlags(@TempDir Path dir) throws Exception {
    Path manifest = inlineManifest(dir, "");
    Result run = CliRunner.run("hash", "-f", manifest.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith(manifest + ":" + placeOf(manifest, "  variants:") + ": ")
        .contains("[default, dev]").contains("--variant");
    Result unknown = CliRunner.run("hash", "-f", manifest.toString(), "--variant", "gpu");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).startsWith(manifest + ":" + placeOf(manifest, "  variants:") + ": ")
        .contains("no variant gpu").contains("[default, dev]");
    Result conflicting = CliRunner.run("hash", "-f", manifest.toString(), "--variant", "dev", "--groups", "dev");
    assertThat(conflicting.exitCode()).isEqualTo(2);
    assertThat(conflicting.err()).contains("--groups");
  }

  @Test
  void aConfigMapSourceWithoutItsConfigMapAsksForTheProject(@TempDir Path dir) throws Exception {
    Path manifest = dir.resolve("env.yaml");
    Files.writeString(manifest, """
        # a comment first
        apiVersion: envforge.dev/v1alpha1
        kind: PythonEnvironment
        metadata:
          name: app
        spec:
          source:
            configMapRef:
              name: app-project
          image:
            repository: registry.example.com/team/app
        """);
    Result run = CliRunner.run("tags", "-f", manifest.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains(manifest + ":2:1").contains("--project");
    Result withProject = CliRunner.run("tags", "-f", manifest.toString(), "--project", POETRY.toString());
    assertThat(withProject.exitCode()).as(withProject.err()).isZero();
    assertThat(withProject.out()).contains("default\t" + CliRunner.run("hash", POETRY.toString()).out().strip());
  }

  @Test
  void aLockKeyThatIsNoFileInTheProjectFolderFindsTheLockAsTheOperatorDoes(@TempDir Path dir) throws Exception {
    Path manifest = dir.resolve("env.yaml");
    Files.writeString(manifest, """
        apiVersion: envforge.dev/v1alpha1
        kind: PythonEnvironment
        metadata:
          name: app
        spec:
          source:
            configMapRef:
              name: app-project
              lockKey: app.lock
          image:
            repository: registry.example.com/team/app
        """);
    Result run = CliRunner.run("hash", "-f", manifest.toString(), "--project", POETRY.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo(CliRunner.run("hash", POETRY.toString()).out());
  }

  @Test
  void brokenYamlAndMissingFilesAreBadInputWithAPlace(@TempDir Path dir) throws Exception {
    Path broken = dir.resolve("broken.yaml");
    Files.writeString(broken, "apiVersion: envforge.dev/v1alpha1\nkind: [PythonEnvironment\n");
    Result run = CliRunner.run("tags", "-f", broken.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).containsPattern(java.util.regex.Pattern.quote(broken.toString()) + ":[1-9]\\d*:[1-9]\\d*: ");
    Result missing = CliRunner.run("tags", "-f", dir.resolve("nope.yaml").toString());
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("nope.yaml:1:1").contains("no such file");
  }

  /** A message about the folder names it, the current folder too (it normalizes to an empty path). */
  @Test
  void theFolderWithoutALockIsNamed(@TempDir Path dir) {
    // the tests run in the module's folder, which holds no lock
    for (String folder : new String[] {".", "./", "./.", dir.toString(), dir + "/."}) {
      for (String command : new String[] {"hash", "resolve"}) {
        Result run = CliRunner.run(command, folder);
        assertThat(run.exitCode()).as("%s %s: %s", command, folder, run.err()).isEqualTo(2);
        String named = Path.of(folder).normalize().toString();
        assertThat(run.err()).as("%s %s", command, folder)
            .startsWith((named.isEmpty() ? "." : named) + ": no lock file found").contains("poetry.lock");
      }
    }
  }

  /**
   * A manifest the API server would refuse, or the operator could not read, is bad input at the field: never "spec is
   * required" for a spec that is there, never a message without its place.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', quoteCharacter = '~', value = {
      "  platform: windows/amd64\\n|9:3|spec.platform|linux/arm64",
      "  installer: conda\\n|9:3|spec.installer|uv, pip",
      "  builder:\\n    mode: turbo\\n|10:5|spec.builder.mode|kaniko",
      "  python: '2.7'\\n|9:3|spec.python|'2.7'",
      "  python: '3.1'\\n|9:3|requires-python|3.1",
      "  variants: 5\\n|9:3|spec.variants|a list",
      "  variants:\\n    - groups: [dev]\\n|10:7|spec.variants[0].name is required|",
      "  variants:\\n    - name: Bad_Name\\n|10:7|spec.variants[0].name|'Bad_Name'",
      "  variants:\\n    - name: a\\n    - name: a\\n|11:7|spec.variants[1].name|named twice",
      "  variants:\\n    - name: a\\n      extras: ['a b']\\n|11:16|spec.variants[0].extras[0]|'a b'",
  })
  void aManifestTheApiServerWouldRefuseIsBadInputAtTheField(String spec, String place, String field, String what,
      @TempDir Path dir) throws Exception {
    Path manifest = dir.resolve("env.yaml");
    Files.writeString(manifest, "apiVersion: envforge.dev/v1alpha1\nkind: PythonEnvironment\nmetadata:\n  name: app\n"
        + "spec:\n  source:\n    configMapRef:\n      name: app-project\n  " + spec.strip().replace("\\n", "\n") + "\n"
        + "  image:\n    repository: registry.example.com/team/app\n");
    for (String command : new String[] {"tags", "hash", "resolve", "render"}) {
      List<String> args = new java.util.ArrayList<>(List.of(command, "-f", manifest.toString(), "--project",
          POETRY.toString()));
      if (!command.equals("tags") && spec.contains("name: a")) {
        args.addAll(List.of("--variant", "a"));
      }
      if (command.equals("render")) {
        args.addAll(List.of("--out", dir.resolve("context").toString()));
      }
      Result run = CliRunner.run(args.toArray(String[]::new));
      assertThat(run.exitCode()).as("%s: %s", args, run.err()).isEqualTo(2);
      assertThat(run.err()).as("%s", args).startsWith(manifest + ":" + place + ": PythonEnvironment app")
          .contains(field).contains(what == null ? "" : what).doesNotContain("spec is required");
    }
  }

  /** LINE:COLUMN of the first line of a file that starts with {@code start}, at its first non-blank character. */
  static String placeOf(Path file, String start) throws Exception {
    List<String> lines = Files.readAllLines(file);
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(start)) {
        return (i + 1) + ":" + (lines.get(i).length() - lines.get(i).stripLeading().length() + 1);
      }
    }
    throw new AssertionError(file + " has no line starting with " + start);
  }

  /** The poetry corpus case inline, with variants default and dev. */
  static Path inlineManifest(Path dir, String extraSpec) throws Exception {
    String pyproject = Files.readString(POETRY.resolve("pyproject.toml"));
    String lock = Files.readString(POETRY.resolve("poetry.lock"));
    String yaml = "apiVersion: envforge.dev/v1alpha1\nkind: PythonEnvironment\nmetadata:\n  name: tool\n"
        + "  unknownMetadata: x\nspec:\n" + extraSpec
        + "  source:\n    inline:\n      pyproject: |\n" + indent(pyproject, 8) + "      lock: |\n" + indent(lock, 8)
        + "  variants:\n    - name: default\n    - name: dev\n      groups: [dev]\n"
        + "  image:\n    repository: registry.example.com/team/poetry\n";
    Path file = dir.resolve("env.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  private static String indent(String text, int spaces) {
    String pad = " ".repeat(spaces);
    StringBuilder out = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      if (!line.isEmpty()) {
        out.append(pad).append(line);
      }
      out.append('\n');
    }
    return out.toString().replaceAll("\n+$", "\n");
  }
}
