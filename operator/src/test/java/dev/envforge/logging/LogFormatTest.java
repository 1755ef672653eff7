package dev.envforge.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/**
 * The shipped logback.xml: ENVFORGE_LOG_FORMAT=json gives one JSON object per line, an exception's stack trace
 * inside it; the default stays logfmt.
 */
class LogFormatTest {
  private final PrintStream stderr = System.err;

  @AfterEach
  void restore() {
    System.setErr(stderr);
    System.clearProperty("ENVFORGE_LOG_FORMAT");
  }

  @Test
  void jsonModeWritesOneObjectPerLineWithTheStackTraceInside() throws Exception {
    System.setProperty("ENVFORGE_LOG_FORMAT", "json");
    List<String> lines = logWithException();
    assertThat(lines).hasSize(2);
    ObjectMapper json = new ObjectMapper();
    JsonNode info = json.readTree(lines.get(0));
    assertThat(info.path("level").asText()).isEqualTo("INFO");
    assertThat(info.path("formattedMessage").asText()).isEqualTo("starting with \"quotes\"\nand a newline");
    JsonNode error = json.readTree(lines.get(1));
    assertThat(error.path("level").asText()).isEqualTo("ERROR");
    assertThat(error.path("throwable").path("className").asText()).isEqualTo("java.lang.IllegalStateException");
    assertThat(error.path("throwable").path("stepArray").size()).isGreaterThan(3);
    assertThat(error.path("throwable").path("cause").path("message").asText()).isEqualTo("root cause");
  }

  @Test
  void theDefaultIsLogfmtWithTheStackTraceBelow() throws Exception {
    List<String> lines = logWithException();
    assertThat(lines.get(0)).startsWith("time=").contains("level=INFO", "msg=\"starting with \\\"quotes\\\"");
    assertThat(lines).anyMatch(l -> l.startsWith("\tat "));
  }

  private List<String> logWithException() throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    URL shipped = LogFormatTest.class.getResource("/logback.xml");
    assertThat(shipped).isNotNull();
    configurator.doConfigure(shipped);
    Logger log = context.getLogger("dev.envforge.operator.RunCommand");
    log.info("starting with \"quotes\"\nand a newline");
    log.error("reconcile failed", new IllegalStateException("outer", new RuntimeException("root cause")));
    StringBuilder statuses = new StringBuilder();
    context.getStatusManager().getCopyOfStatusList().forEach(st -> statuses.append(st).append('\n'));
    context.stop();
    List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    assertThat(lines).as("logback's status:\n%s", statuses).isNotEmpty();
    return lines;
  }
}
