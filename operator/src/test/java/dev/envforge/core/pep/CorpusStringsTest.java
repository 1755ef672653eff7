package dev.envforge.core.pep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every distinct marker, requirement, constraint and version string of the lock-file corpus parses. The lists were
 * extracted once by {@code pep/extract_corpus_strings.py} (see {@code pep/SOURCE.txt}).
 */
class CorpusStringsTest {
  static List<String> lines(String resource) {
    try (InputStream in = CorpusStringsTest.class.getResourceAsStream("/pep/" + resource)) {
      assertThat(in).as(resource).isNotNull();
      List<String> lines = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isEmpty()) {
          lines.add(line);
        }
      }
      return lines;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void everyCorpusMarkerParsesAndEvaluates() {
    List<String> markers = lines("markers.txt");
    assertThat(markers).hasSizeGreaterThan(300);
    MarkerEnvironment environment = MarkerEnvironment.linuxCPython("3.12.7", "x86_64");
    for (String text : markers) {
      assertThatCode(() -> {
        Marker marker = Marker.parse(text);
        marker.evaluate(environment, Set.of("dev"), Set.of("default"));
        // The printed form means the same marker.
        assertThat(Marker.parse(marker.toString())).isEqualTo(marker);
      }).as(text).doesNotThrowAnyException();
    }
  }

  @Test
  void everyCorpusRequirementParses() {
    List<String> requirements = lines("requirements.txt");
    assertThat(requirements).hasSizeGreaterThan(4000);
    for (String text : requirements) {
      assertThatCode(() -> {
        Requirement requirement = Requirement.parse(text);
        assertThat(PackageNames.isValid(requirement.name())).isTrue();
        assertThat(Requirement.parse(requirement.toString())).isEqualTo(requirement);
      }).as(text).doesNotThrowAnyException();
    }
  }

  @Test
  void everyCorpusPoetryConstraintParses() {
    List<String> constraints = lines("poetry-constraints.txt");
    assertThat(constraints).hasSizeGreaterThan(1000);
    for (String text : constraints) {
      assertThatCode(() -> VersionConstraint.parsePoetry(text)).as(text).doesNotThrowAnyException();
    }
  }

  @Test
  void everyCorpusPep440SpecifierParses() {
    List<String> specifiers = lines("pep440-specifiers.txt");
    assertThat(specifiers).hasSizeGreaterThan(100);
    for (String text : specifiers) {
      assertThatCode(() -> {
        SpecifierConstraint constraint = SpecifierConstraint.parsePep440(text);
        assertThat(SpecifierConstraint.parsePep440(constraint.toString()).alternatives())
            .isEqualTo(constraint.alternatives());
      }).as(text).doesNotThrowAnyException();
    }
  }

  @Test
  void everyCorpusVersionParsesAndRoundTrips() {
    List<String> versions = lines("versions.txt");
    assertThat(versions).hasSizeGreaterThan(1000);
    for (String text : versions) {
      assertThatCode(() -> {
        Version version = Version.parse(text);
        assertThat(Version.parse(version.toString())).isEqualTo(version);
      }).as(text).doesNotThrowAnyException();
    }
  }
}
