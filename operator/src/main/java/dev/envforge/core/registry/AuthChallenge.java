package dev.envforge.core.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One challenge of a {@code WWW-Authenticate} header (RFC 7235), such as
 * {@code Bearer realm="https://auth.example/token",service="registry.example",scope="repository:app:pull"}.
 *
 * @param scheme     the scheme in lower case ({@code basic}, {@code bearer})
 * @param parameters the auth parameters, names in lower case
 */
record AuthChallenge(String scheme, Map<String, String> parameters) {
  AuthChallenge {
    parameters = Map.copyOf(parameters);
  }

  boolean isBearer() {
    return scheme.equals("bearer");
  }

  boolean isBasic() {
    return scheme.equals("basic");
  }

  String parameter(String name) {
    return parameters.get(name);
  }

  /** Every challenge in the given header values, in order; malformed parts end the parse of their value. */
  static List<AuthChallenge> parse(List<String> headerValues) {
    List<AuthChallenge> challenges = new ArrayList<>();
    for (String value : headerValues) {
      new Parser(value).parseInto(challenges);
    }
    return challenges;
  }

  private static final class Parser {
    private final String text;
    private int position;

    Parser(String text) {
      this.text = text;
    }

    void parseInto(List<AuthChallenge> out) {
      String scheme = null;
      Map<String, String> parameters = new LinkedHashMap<>();
      while (true) {
        skipSeparators();
        if (position >= text.length()) {
          break;
        }
        String token = token();
        if (token.isEmpty()) {
          break; // malformed: give up on the rest of this value
        }
        skipSpaces();
        if (scheme != null && position < text.length() && text.charAt(position) == '=') {
          position++;
          skipSpaces();
          String value = position < text.length() && text.charAt(position) == '"' ? quoted() : token();
          parameters.putIfAbsent(token.toLowerCase(Locale.ROOT), value);
        } else {
          if (scheme != null) {
            out.add(new AuthChallenge(scheme, parameters));
            parameters = new LinkedHashMap<>();
          }
          scheme = token.toLowerCase(Locale.ROOT);
        }
      }
      if (scheme != null) {
        out.add(new AuthChallenge(scheme, parameters));
      }
    }

    private String token() {
      int start = position;
      while (position < text.length() && isTokenChar(text.charAt(position))) {
        position++;
      }
      return text.substring(start, position);
    }

    private String quoted() {
      StringBuilder value = new StringBuilder();
      position++; // opening quote
      while (position < text.length()) {
        char c = text.charAt(position++);
        if (c == '"') {
          return value.toString();
        }
        if (c == '\\' && position < text.length()) {
          c = text.charAt(position++);
        }
        value.append(c);
      }
      return value.toString();
    }

    private void skipSpaces() {
      while (position < text.length() && (text.charAt(position) == ' ' || text.charAt(position) == '\t')) {
        position++;
      }
    }

    private void skipSeparators() {
      while (position < text.length() && (text.charAt(position) == ',' || text.charAt(position) == ' '
          || text.charAt(position) == '\t')) {
        position++;
      }
    }

    private static boolean isTokenChar(char c) {
      return c > ' ' && c < 0x7f && "()<>@,;:\\\"/[]?={} ".indexOf(c) < 0 || c == '/' || c == ':';
    }
  }
}
