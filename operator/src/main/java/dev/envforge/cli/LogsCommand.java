package dev.envforge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.envforge.api.v1alpha1.ImageTarget;
import dev.envforge.core.buildlog.LogArtifact;
import dev.envforge.core.buildlog.LogRegistry;
import dev.envforge.core.buildlog.LogRegistry.FoundLog;
import dev.envforge.core.registry.ImageReference;
import dev.envforge.core.registry.ManifestCheck;
import dev.envforge.core.registry.RegistryClient;
import dev.envforge.core.registry.RegistryException;
import dev.envforge.core.registry.RegistrySession;
import dev.envforge.core.text.Texts;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "logs", mixinStandardHelpOptions = true,
    description = "Prints the log of an image's newest build from the registry, where the operator keeps it next to"
        + " the image (the same auth from a docker config as exists): exit 0 printed, 1 no log found, 3 when the"
        + " registry cannot answer.")
final class LogsCommand implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", paramLabel = "IMAGE",
      description = "REPO:TAG of an image, or REPO@sha256:... of a log (status.variants[].buildLog.artifact) or of"
          + " an image; not with -f.")
  String imageText;

  @Option(names = {"-f", "--filename"}, paramLabel = "FILE",
      description = "A PythonEnvironment manifest: the log of its variant's image, tag computed as the operator"
          + " does.")
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

  @Option(names = "--json", description = "Print one JSON object: {\"image\", \"log\": REPO@sha256:... or null,"
      + " \"via\", \"annotations\", \"text\", \"reason\"}.")
  boolean json;

  @Spec CommandSpec spec;

  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public Integer call() throws IOException {
    ImageReference image;
    boolean plainHttp = insecure;
    if (manifest != null) {
      if (imageText != null) {
        throw new IllegalArgumentException("-f reads the repository and computes the tag; do not give IMAGE");
      }
      ManifestPlanning planning = ManifestPlanning.of(ManifestReader.read(manifest, resourceName), projectDir);
      image = planning.image(planning.plan(planning.variant(variant)).hash().tag());
      ImageTarget target = planning.manifest().resource().getSpec().getImage();
      plainHttp = target != null && Boolean.TRUE.equals(target.getInsecure());
    } else {
      if (imageText == null) {
        throw new IllegalArgumentException("give IMAGE (REPO:TAG or REPO@sha256:...), or a manifest with -f FILE");
      }
      image = parse(imageText);
    }
    RegistryClient.Builder builder = RegistryClient.builder().credentials(DockerConfig.credentials(dockerConfig));
    if (plainHttp) {
      builder.insecureRegistry(image.registry());
    }
    RegistryClient registry = builder.build();
    RegistrySession session = registry.session(image, false, List.of());
    try {
      Optional<FoundLog> found = find(registry, session, image);
      if (found.isEmpty()) {
        return notFound(image, "no build log in the registry for " + image);
      }
      String text = LogRegistry.read(session, found.get().digest());
      print(image, found.get(), text);
      return Main.EXIT_OK;
    } catch (RegistryException e) {
      return noAnswer(image, e.getMessage());
    }
  }

  /** The log a reference names: the log itself by digest, the newest log of an image by digest or tag. */
  private static Optional<FoundLog> find(RegistryClient registry, RegistrySession session, ImageReference image)
      throws RegistryException {
    if (image.digest() != null) {
      Optional<RegistrySession.Manifest> named = session.manifest(image.digest());
      if (named.isEmpty()) {
        return Optional.empty();
      }
      try {
        LogArtifact.logLayer(named.get().content());
        return Optional.of(new FoundLog(image.digest(), "digest", LogArtifact.annotations(named.get().content())));
      } catch (IllegalArgumentException notALog) {
        // the digest of an image: its logs are its referrers
        return LogRegistry.find(session, image, image.digest());
      }
    }
    ManifestCheck check = registry.check(image);
    if (check.isUnknown()) {
      throw new RegistryException(check.kind(), check.reason());
    }
    return LogRegistry.find(session, image, check.isPresent() ? check.digest() : null);
  }

  private void print(ImageReference image, FoundLog found, String text) throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    String reference = image.registry() + "/" + image.repository() + "@" + found.digest();
    // the log was redacted when stored; a registry is no reason to trust that, so again
    String shown = printable(Texts.redact(text));
    if (json) {
      Map<String, Object> document = new LinkedHashMap<>();
      document.put("image", image.toString());
      document.put("log", reference);
      document.put("via", found.via());
      document.put("annotations", found.annotations());
      document.put("text", shown);
      document.put("reason", null);
      out.println(JSON.writeValueAsString(document));
    } else {
      Map<String, String> a = found.annotations();
      PrintWriter err = spec.commandLine().getErr();
      err.println(Texts.oneLine("# " + reference + " (" + found.via() + "): "
          + a.getOrDefault(LogArtifact.RESULT_ANNOTATION, "build") + " " + a.getOrDefault(LogArtifact.JOB_ANNOTATION,
              "") + (a.containsKey(LogArtifact.CREATED_ANNOTATION) ? ", finished "
                  + a.get(LogArtifact.CREATED_ANNOTATION) : "")));
      err.flush();
      out.print(shown);
      if (!shown.isEmpty() && !shown.endsWith("\n")) {
        out.println();
      }
    }
    out.flush();
  }

  private int notFound(ImageReference image, String reason) throws IOException {
    report(image, reason);
    return Main.EXIT_CHECK_FAILED;
  }

  private int noAnswer(ImageReference image, String reason) throws IOException {
    report(image, "the registry did not answer for " + image + ": " + reason);
    return Main.EXIT_ERROR;
  }

  private void report(ImageReference image, String reason) throws IOException {
    if (json) {
      Map<String, Object> document = new LinkedHashMap<>();
      document.put("image", image.toString());
      document.put("log", null);
      // the same fields as when a log is found, so a reader needs one schema
      document.put("via", null);
      document.put("annotations", null);
      document.put("text", null);
      document.put("reason", Texts.redact(reason));
      spec.commandLine().getOut().println(JSON.writeValueAsString(document));
      spec.commandLine().getOut().flush();
    } else {
      spec.commandLine().getErr().println(Texts.oneLine("envforge: " + reason));
      spec.commandLine().getErr().flush();
    }
  }

  /** The log with control characters other than newline and tab escaped, so no log can drive the terminal. */
  static String printable(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\t' || !(Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
          || c == '\u2028' || c == '\u2029')) {
        out.append(c);
      } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
        // CRLF line ends are line ends
      } else {
        out.append(String.format("\\u%04x", (int) c));
      }
    }
    return out.toString();
  }

  private static ImageReference parse(String text) {
    ImageReference image;
    try {
      image = ImageReference.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("IMAGE " + Texts.quote(text) + ": " + e.getMessage(), e);
    }
    String name = text.substring(text.lastIndexOf('/') + 1);
    if (image.digest() == null && !name.contains(":")) {
      throw new IllegalArgumentException("IMAGE " + Texts.quote(text) + ": give the tag (REPO:TAG) or a digest"
          + " (REPO@sha256:...)");
    }
    return image;
  }
}
