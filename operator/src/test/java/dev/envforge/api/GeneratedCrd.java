package dev.envforge.api;

import dev.envforge.api.v1alpha1.EnvforgeApi;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** The CRD that the crd-generator plugin wrote into target/classes while building, and where its copies live. */
public final class GeneratedCrd {

  /** File name of the generated CRD, the same in every place it is kept. */
  static final String FILE_NAME = EnvforgeApi.CRD_NAME + "-v1.yml";
  /** Where the generator writes it, on the class path. */
  static final String RESOURCE = "META-INF/fabric8/" + FILE_NAME;

  private GeneratedCrd() {}

  /** File names of every CRD envforge defines. */
  static final String[] FILE_NAMES = {FILE_NAME, EnvforgeApi.POLICY_CRD_NAME + "-v1.yml"};

  /** The generated CRD, its printer columns put in declared order by {@link dev.envforge.api.PrinterColumnOrder}. */
  public static byte[] bytes() {
    return bytes(FILE_NAME);
  }

  /** The generated CRD of that file name (one of {@link #FILE_NAMES}). */
  public static byte[] bytes(String fileName) {
    String resource = "META-INF/fabric8/" + fileName;
    try (InputStream in = GeneratedCrd.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            resource + " is not on the class path: the crd-generator plugin runs at process-classes; build with Maven");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static CustomResourceDefinition parsed() {
    return Serialization.unmarshal(new String(bytes(), StandardCharsets.UTF_8),
        CustomResourceDefinition.class);
  }

  /** The repository root, passed by surefire as envforge.repoRoot; the working directory's parent otherwise. */
  public static Path repoRoot() {
    String configured = System.getProperty("envforge.repoRoot");
    Path root = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath().getParent();
    return root.toAbsolutePath().normalize();
  }

  /**
   * The committed copies: one for kubectl users, one that the Helm chart renders as a template (so that
   * {@code helm upgrade} updates it).
   */
  static Path[] committedCopies() {
    return committedCopies(FILE_NAME);
  }

  static Path[] committedCopies(String fileName) {
    Path root = repoRoot();
    return new Path[] {
      root.resolve("crds").resolve(fileName),
      root.resolve("helm").resolve("envforge").resolve("files").resolve(fileName)
    };
  }
}
