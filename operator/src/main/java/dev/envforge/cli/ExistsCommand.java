package dev.envforge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.envforge.api.v1alpha1.ImageTarget;
import dev.envforge.core.registry.ImageReference;
import dev.envforge.core.registry.ManifestCheck;
import dev.envforge.core.registry.RegistryClient;
import dev.envforge.core.text.Texts;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "exists", mixinStandardHelpOptions = true,
    description = "Asks the registry whether an image exists, as the operator does (HEAD of the manifest, the same"
        + " auth from a docker config): exit 0 present, 1 absent, 3 when the registry cannot answer.")
final class ExistsCommand implements Callable<Integer> {
  /** The registry gave no answer (an error, a timeout, refused credentials): unknown is not absent. */
  static final int EXIT_UNKNOWN = Main.EXIT_ERROR;

  @Parameters(index = "0", arity = "0..1", paramLabel = "REPO",
      description = "The image repository, such as registry.example.com/team/env; not with -f.")
  String repository;

  @Option(names = "--tag", paramLabel = "TAG", description = "The tag to look for (with REPO).")
  String tag;

  @Option(names = {"-f", "--filename"}, paramLabel = "FILE",
      description = "A PythonEnvironment manifest: look for its variant's image, tag computed as the operator does.")
  Path manifest;

  @Option(names = "--variant", paramLabel = "NAME", description = "With -f: the variant (default: its only one).")
  String variant;

  @Option(names = "--project", paramLabel = "DIR",
      description = "With -f: the project folder of a resource whose source is a ConfigMap.")
  Path projectDir;

  @Option(names = "--name", paramLabel = "NAME", description = "With -f: the resource, when the file holds several.")
  String resourceName;

  @Option(names = "--docker-config", paramLabel = "FILE",
      description = "Registry logins, as a .dockerconfigjson (default: $DOCKER_CONFIG/config.json, else"
          + " ~/.docker/config.json, when it exists; none: anonymous).")
  Path dockerConfig;

  @Option(names = "--insecure", description = "Plain HTTP to the registry (with -f: spec.image.insecure decides).")
  boolean insecure;

  @Option(names = "--json", description = "Print one JSON object: {\"image\", \"exists\": true|false|null,"
      + " \"digest\", \"reason\"}.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    ImageReference image;
    boolean plainHttp = insecure;
    if (manifest != null) {
      if (repository != null || tag != null) {
        throw new IllegalArgumentException("-f reads the repository and computes the tag; do not give REPO or --tag");
      }
      ManifestPlanning planning = ManifestPlanning.of(ManifestReader.read(manifest, resourceName), projectDir);
      image = planning.image(planning.plan(planning.variant(variant)).hash().tag());
      ImageTarget target = planning.manifest().resource().getSpec().getImage();
      plainHttp = target != null && Boolean.TRUE.equals(target.getInsecure());
    } else {
      if (repository == null || tag == null) {
        throw new IllegalArgumentException("give REPO and --tag TAG, or a manifest with -f FILE");
      }
      image = parse(repository + ":" + tag);
    }
    RegistryClient.Builder registry = RegistryClient.builder().credentials(DockerConfig.credentials(dockerConfig));
    if (plainHttp) {
      registry.insecureRegistry(image.registry());
    }
    ManifestCheck check = registry.build().check(image);
    print(image, check);
    return check.isPresent() ? 0 : check.isAbsent() ? Main.EXIT_CHECK_FAILED : EXIT_UNKNOWN;
  }

  private void print(ImageReference image, ManifestCheck check) throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> document = new LinkedHashMap<>();
      document.put("image", image.toString());
      document.put("exists", check.isUnknown() ? null : check.isPresent());
      document.put("digest", check.isPresent() ? check.digest() : null);
      document.put("reason", check.isUnknown() ? Texts.redact(check.reason()) : null);
      out.println(new ObjectMapper().writeValueAsString(document)); // Jackson only with --json
    } else if (check.isPresent()) {
      out.println("present " + image + "@" + check.digest());
    } else if (check.isAbsent()) {
      out.println("absent " + image);
    } else {
      spec.commandLine().getErr().println(Texts.oneLine("envforge: the registry did not answer for " + image + ": "
          + check.reason()));
      spec.commandLine().getErr().flush();
    }
    out.flush();
  }

  private static ImageReference parse(String text) {
    try {
      return ImageReference.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("REPO/--tag " + Texts.quote(text) + ": " + e.getMessage(), e);
    }
  }
}
