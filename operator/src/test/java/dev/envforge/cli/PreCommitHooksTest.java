package dev.envforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.envforge.api.GeneratedCrd;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** .pre-commit-hooks.yaml is valid YAML with what pre-commit needs, and its hooks run on the files they check. */
class PreCommitHooksTest {
  @Test
  void everyHookIsComplete() throws Exception {
    JsonNode hooks = new ObjectMapper(new YAMLFactory())
        .readTree(GeneratedCrd.repoRoot().resolve(".pre-commit-hooks.yaml").toFile());
    Map<String, JsonNode> byId = new HashMap<>();
    for (JsonNode hook : hooks) {
      for (String key : new String[] {"id", "name", "description", "entry", "language", "files"}) {
        assertThat(hook.path(key).isTextual()).as("%s of hook %s", key, hook.path("id")).isTrue();
      }
      Pattern.compile(hook.path("files").asText());
      byId.put(hook.path("id").asText(), hook);
    }
    assertThat(byId).containsKeys("envforge-sync", "envforge-check-lock", "envforge-sync-docker",
        "envforge-check-lock-docker");
    Pattern checkLockFiles = Pattern.compile(byId.get("envforge-check-lock").path("files").asText());
    for (String file : new String[] {"pyproject.toml", "poetry.lock", "uv.lock", "app/uv.lock"}) {
      assertThat(checkLockFiles.matcher(file).find()).as("check-lock runs when %s changes", file).isTrue();
    }
  }
}
