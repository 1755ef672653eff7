package dev.envforge.core.buildlog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The secret values a build was given, as they could show up in its log: each whole value of its Secrets, and the
 * passwords, auth strings and tokens inside docker configs and netrc files.
 */
public final class SecretValues {
  private static final Pattern NETRC_PASSWORD = Pattern.compile("\\bpassword\\s+(\\S+)");
  private static final ObjectMapper JSON = new ObjectMapper();

  private SecretValues() {}

  /** @param values the decoded values of the Secrets' keys */
  public static Set<String> of(Collection<String> values) {
    Set<String> out = new LinkedHashSet<>();
    for (String value : values) {
      if (value == null || value.isEmpty()) {
        continue;
      }
      out.add(value);
      Matcher netrc = NETRC_PASSWORD.matcher(value);
      while (netrc.find()) {
        out.add(netrc.group(1));
      }
      if (value.stripLeading().startsWith("{")) {
        dockerConfig(value, out);
      }
    }
    out.removeIf(String::isEmpty);
    return out;
  }

  private static void dockerConfig(String value, Set<String> out) {
    JsonNode auths;
    try {
      auths = JSON.readTree(value).path("auths");
    } catch (java.io.IOException notJson) {
      return;
    }
    auths.elements().forEachRemaining(entry -> {
      for (String field : new String[] {"password", "identitytoken", "registrytoken", "auth"}) {
        out.add(entry.path(field).asText(""));
      }
      String auth = entry.path("auth").asText("");
      if (!auth.isEmpty()) {
        try {
          String userPass = new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8);
          out.add(userPass);
          int colon = userPass.indexOf(':');
          if (colon >= 0) {
            out.add(userPass.substring(colon + 1));
          }
        } catch (IllegalArgumentException notBase64) {
          // the auth string itself is kept above
        }
      }
    });
  }
}
