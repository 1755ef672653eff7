package dev.envforge.core.lock.support;

import dev.envforge.core.text.Texts;
import java.util.Locale;
import java.util.regex.Pattern;

/** Checks on the URLs and commits that lock files give as where a package comes from. */
public final class SourceUrls {
  private static final Pattern COMMIT = Pattern.compile("[0-9a-fA-F]{7,64}");

  private SourceUrls() {}

  /** Whether a source is written sanely: not empty; a local path may hold spaces, but no control characters. */
  public static boolean isWellFormed(String urlOrPath, boolean localPath) {
    return !urlOrPath.isEmpty()
        && !(localPath ? Texts.hasControl(urlOrPath) : Texts.hasControlOrSpace(urlOrPath));
  }

  /** Whether an installer can fetch from the URL: http, https or file (any case). */
  public static boolean isFetchable(String url) {
    String lower = url.toLowerCase(Locale.ROOT);
    return lower.startsWith("https://") || lower.startsWith("http://") || lower.startsWith("file://");
  }

  /** Whether a git URL names one of git's own transports: ssh:// or git:// (any case). */
  public static boolean hasGitScheme(String url) {
    String lower = url.toLowerCase(Locale.ROOT);
    return lower.startsWith("ssh://") || lower.startsWith("git://");
  }

  /** Whether the text is a git commit: 7 to 64 hex digits (abbreviated, SHA-1 or SHA-256). */
  public static boolean isCommit(String text) {
    return text != null && COMMIT.matcher(text).matches();
  }
}
