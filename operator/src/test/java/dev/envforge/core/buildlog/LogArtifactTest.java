package dev.envforge.core.buildlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.envforge.core.buildlog.LogArtifact.Descriptor;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogArtifactTest {
  static final byte[] LOG = "INFO[0000] build\nerror: exit status 1\n".getBytes(StandardCharsets.UTF_8);
  static final Descriptor IMAGE = new Descriptor(LogArtifact.MANIFEST_MEDIA_TYPE, "sha256:" + "ab".repeat(32), 1234);

  @Test
  void theManifestIsAnOci11ArtifactWithTheImageAsItsSubject() throws Exception {
    LogArtifact.Manifest manifest = LogArtifact.manifest(Descriptor.of(LogArtifact.LOG_MEDIA_TYPE, LOG), IMAGE,
        Map.of(LogArtifact.RESULT_ANNOTATION, "Succeeded"));
    JsonNode json = new ObjectMapper().readTree(manifest.bytes());

    assertThat(json.path("schemaVersion").asInt()).isEqualTo(2);
    assertThat(json.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
    assertThat(json.path("artifactType").asText()).isEqualTo("application/vnd.envforge.build-log.v1+text");
    assertThat(json.path("config").path("mediaType").asText()).isEqualTo("application/vnd.oci.empty.v1+json");
    assertThat(json.path("config").path("digest").asText())
        .isEqualTo("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
    assertThat(json.path("subject").path("digest").asText()).isEqualTo(IMAGE.digest());
    assertThat(json.path("subject").path("size").asLong()).isEqualTo(1234);
    assertThat(manifest.digest()).isEqualTo(LogArtifact.sha256(manifest.bytes()));
    assertThat(LogArtifact.logLayer(manifest.bytes())).isEqualTo(Descriptor.of("text/plain", LOG));
    assertThat(LogArtifact.annotations(manifest.bytes())).containsEntry(LogArtifact.RESULT_ANNOTATION, "Succeeded");
  }

  @Test
  void aFailedBuildsLogHasNoSubject() throws Exception {
    LogArtifact.Manifest manifest = LogArtifact.manifest(Descriptor.of(LogArtifact.LOG_MEDIA_TYPE, LOG), null,
        Map.of());
    assertThat(new ObjectMapper().readTree(manifest.bytes()).has("subject")).isFalse();
  }

  @Test
  void theSameLogAndAnnotationsGiveTheSameDigestWhateverTheirOrder() {
    Map<String, String> a = new LinkedHashMap<>();
    a.put(LogArtifact.JOB_ANNOTATION, "ns/job");
    a.put(LogArtifact.RESULT_ANNOTATION, "Failed");
    Map<String, String> b = new LinkedHashMap<>();
    b.put(LogArtifact.RESULT_ANNOTATION, "Failed");
    b.put(LogArtifact.JOB_ANNOTATION, "ns/job");
    Descriptor log = Descriptor.of(LogArtifact.LOG_MEDIA_TYPE, LOG);
    assertThat(LogArtifact.manifest(log, null, a).digest()).isEqualTo(LogArtifact.manifest(log, null, b).digest());
    assertThat(LogArtifact.manifest(log, IMAGE, a).digest()).isNotEqualTo(LogArtifact.manifest(log, null, a).digest());
  }

  @Test
  void anImageManifestIsNotTakenForALog() {
    byte[] image = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
        + "\"config\":{},\"layers\":[]}").getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> LogArtifact.logLayer(image)).hasMessageContaining("not a build log");
    assertThatThrownBy(() -> LogArtifact.logLayer("nope".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("not JSON");
  }

  @Test
  void theLogTagIsTheImageTagPlusDotLog() {
    assertThat(LogArtifact.tagFor("ef-0123456789abcdef0123456789abcdef")).isEqualTo(
        "ef-0123456789abcdef0123456789abcdef.log");
    assertThatThrownBy(() -> LogArtifact.tagFor("t".repeat(125))).hasMessageContaining("no room");
  }
}
