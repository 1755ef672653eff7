package dev.envforge.operator;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.envforge.api.v1alpha1.PythonEnvironment;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/**
 * The check every operator test runs when its harness closes: no value of any Secret in the test's cluster (whole
 * values, passwords inside docker configs and netrc files, and their base64 forms) appears in an object the
 * operator can have written (resources and their status, Jobs and their Pod templates, Pod specs, ConfigMaps,
 * Events, Leases), in a request body the operator sent, or in what envforge logged.
 */
final class SecretScan {
  /** Shorter values (a user name, "{}") are too common to tell a leak from a coincidence. */
  static final int MIN_LENGTH = 8;
  private static final Pattern NETRC_PASSWORD = Pattern.compile("\\bpassword\\s+(\\S+)");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger envforge;

  /** Starts capturing what envforge logs, at the levels configured for the tests. */
  SecretScan() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    envforge = context.getLogger("dev.envforge");
    logs.setContext(context);
    logs.start();
    envforge.addAppender(logs);
  }

  /** Stops capturing; returns the leaks found, as "where: which secret" lines (empty when none). */
  List<String> finish(KubernetesClient client, ApiCallLog calls) {
    envforge.detachAppender(logs);
    logs.stop();
    Set<String> secrets = secretValues(client.secrets().inAnyNamespace().list().getItems());
    List<String> leaks = new ArrayList<>();
    if (secrets.isEmpty()) {
      return leaks;
    }
    List<HasMetadata> written = new ArrayList<>();
    written.addAll(client.resources(PythonEnvironment.class).inAnyNamespace().list().getItems());
    written.addAll(client.batch().v1().jobs().inAnyNamespace().list().getItems());
    // a Pod's status is the kubelet's (a build log may print what it was given); its spec comes from the Job
    client.pods().inAnyNamespace().list().getItems().forEach(pod -> {
      pod.setStatus(null);
      written.add(pod);
    });
    written.addAll(client.configMaps().inAnyNamespace().list().getItems());
    written.addAll(client.v1().events().inAnyNamespace().list().getItems());
    written.addAll(client.leases().inAnyNamespace().list().getItems());
    for (HasMetadata object : written) {
      check(client.getKubernetesSerialization().asJson(object), object.getKind() + " "
          + object.getMetadata().getNamespace() + "/" + object.getMetadata().getName(), secrets, leaks);
    }
    for (ApiCallLog.Call call : calls.operatorCalls()) {
      if (call.body() != null && !call.path().contains("/secrets")) {
        check(call.body(), "request " + call.method() + " " + call.path(), secrets, leaks);
      }
    }
    for (ILoggingEvent event : logs.list) {
      String line = event.getFormattedMessage() + (event.getThrowableProxy() == null ? ""
          : ThrowableProxyUtil.asString(event.getThrowableProxy()));
      check(line, "log " + event.getLoggerName(), secrets, leaks);
    }
    return leaks;
  }

  private static void check(String text, String where, Set<String> secrets, List<String> leaks) {
    for (String secret : secrets) {
      if (text.contains(secret)) {
        leaks.add(where + " contains a secret value (" + secret.length() + " characters)");
      }
    }
  }

  /** Every secret value worth looking for, plain and base64. */
  static Set<String> secretValues(List<Secret> secrets) {
    Set<String> plain = new LinkedHashSet<>();
    for (Secret secret : secrets) {
      if (secret.getData() != null) {
        secret.getData().values().forEach(v -> addValue(plain, decode(v)));
      }
      if (secret.getStringData() != null) {
        secret.getStringData().values().forEach(v -> addValue(plain, v));
      }
    }
    Set<String> all = new LinkedHashSet<>();
    for (String value : plain) {
      if (value.length() >= MIN_LENGTH) {
        all.add(value);
        all.add(Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
      }
    }
    return all;
  }

  private static void addValue(Set<String> values, String value) {
    values.add(value);
    Matcher netrc = NETRC_PASSWORD.matcher(value);
    while (netrc.find()) {
      values.add(netrc.group(1));
    }
    try {
      JsonNode auths = JSON.readTree(value).path("auths");
      auths.elements().forEachRemaining(entry -> {
        String password = entry.path("password").asText("");
        values.add(password);
        String auth = entry.path("auth").asText("");
        if (!auth.isEmpty()) {
          String userPass = decode(auth);
          values.add(userPass);
          int colon = userPass.indexOf(':');
          if (colon >= 0) {
            values.add(userPass.substring(colon + 1));
          }
        }
      });
    } catch (Exception notJson) {
      // not a docker config: the whole value is what counts
    }
  }

  private static String decode(String base64) {
    try {
      return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return base64;
    }
  }
}
