package dev.envforge.core.pep;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A PEP 508 requirement ({@code name[extra1,extra2] (>=1.0) ; marker} or {@code name @ url ; marker}).
 * {@code name} is PEP 503-normalized, {@code extras} PEP 685-normalized; {@code specifier} is null when absent,
 * {@code url} null unless a direct reference, {@code marker} {@link Marker#TRUE} when absent.
 *
 * <p>The version part may be parenthesised ({@code name (>=1.0,<2)}), as poetry.lock writes it; a version part with
 * {@code ||} (which poetry.lock also writes) is read as a Poetry constraint.
 */
public record Requirement(String name, Set<String> extras, VersionConstraint specifier, String url, Marker marker) {
  /** @throws PepSyntaxException when the text is not a PEP 508 requirement */
  public static Requirement parse(String text) {
    if (text == null) {
      throw new PepSyntaxException("Requirement is missing", "", 0);
    }
    MarkerParser.refuseControlCharacters(text);
    int end = text.length();
    int pos = SpecifierParser.skipBlanks(text, 0, end);
    int nameStart = pos;
    while (pos < end && isNameChar(text.charAt(pos))) {
      pos++;
    }
    String rawName = text.substring(nameStart, pos);
    if (!PackageNames.isValid(rawName)) {
      throw new PepSyntaxException(rawName.isEmpty() ? "Expected a package name" : "Invalid package name", text,
          nameStart);
    }
    pos = SpecifierParser.skipBlanks(text, pos, end);

    Set<String> extras = new LinkedHashSet<>();
    if (pos < end && text.charAt(pos) == '[') {
      int close = text.indexOf(']', pos);
      if (close < 0) {
        throw new PepSyntaxException("Unclosed '['", text, pos);
      }
      int itemStart = pos + 1;
      for (int i = pos + 1; i <= close; i++) {
        if (i == close || text.charAt(i) == ',') {
          int s = SpecifierParser.skipBlanks(text, itemStart, i);
          int e = SpecifierParser.trimEnd(text, s, i);
          String extra = text.substring(s, e);
          if (!PackageNames.isValid(extra) && !(extra.isEmpty() && i == close && extras.isEmpty())) {
            throw new PepSyntaxException("Invalid extra name '" + PepSyntaxException.shorten(extra) + "'", text, s);
          }
          if (!extra.isEmpty()) {
            extras.add(PackageNames.normalize(extra));
          }
          itemStart = i + 1;
        }
      }
      pos = SpecifierParser.skipBlanks(text, close + 1, end);
    }

    VersionConstraint specifier = null;
    String url = null;
    if (pos < end && text.charAt(pos) == '@') {
      pos = SpecifierParser.skipBlanks(text, pos + 1, end);
      int urlStart = pos;
      while (pos < end && !Character.isWhitespace(text.charAt(pos))) {
        pos++;
      }
      if (urlStart == pos) {
        throw new PepSyntaxException("Expected a URL after '@'", text, urlStart);
      }
      url = text.substring(urlStart, pos);
      pos = SpecifierParser.skipBlanks(text, pos, end);
    } else {
      int specEnd = text.indexOf(';', pos);
      specEnd = specEnd < 0 ? end : specEnd;
      int specStart = pos;
      int specStop = SpecifierParser.trimEnd(text, pos, specEnd);
      if (specStart < specStop && text.charAt(specStart) == '(') {
        if (text.charAt(specStop - 1) != ')') {
          throw new PepSyntaxException("Unclosed '('", text, specStart);
        }
        specStart++;
        specStop--;
      }
      if (!SpecifierParser.isBlank(text, specStart, specStop)) {
        if (text.substring(specStart, specStop).indexOf('|') >= 0) {
          // poetry.lock writes its own unions into requirement strings: "ray (>=2.4,<2.5 || ==2.33.*)".
          specifier = new SpecifierConstraint(SpecifierParser.parsePoetry(text, specStart, specStop), false);
        } else {
          specifier = new SpecifierConstraint(List.of(SpecifierParser.parseSpecifierSet(text, specStart, specStop)),
              true);
        }
      }
      pos = specEnd;
    }

    Marker marker = Marker.TRUE;
    if (pos < end) {
      if (text.charAt(pos) != ';') {
        throw new PepSyntaxException("Expected ';' and a marker or the end", text, pos);
      }
      int markerStart = pos + 1;
      try {
        marker = Marker.parse(text.substring(markerStart));
      } catch (PepSyntaxException e) {
        throw e.within(text, markerStart);
      }
    }
    return new Requirement(PackageNames.normalize(rawName), Collections.unmodifiableSet(extras), specifier, url,
        marker);
  }

  private static boolean isNameChar(char c) {
    return c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_');
  }

  /** The normalized form, for example {@code foo[bar]>=1.0 ; python_version < "3.11"}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(name);
    if (!extras.isEmpty()) {
      sb.append('[').append(String.join(",", extras)).append(']');
    }
    if (url != null) {
      sb.append(" @ ").append(url);
    } else if (specifier != null) {
      sb.append(specifier);
    }
    String markerText = marker.toString();
    if (!markerText.isEmpty()) {
      sb.append(" ; ").append(markerText);
    }
    return sb.toString();
  }
}
