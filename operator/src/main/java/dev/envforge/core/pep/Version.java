package dev.envforge.core.pep;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PEP 440 version: parsed leniently as PEP 440 allows, ordered as PEP 440 orders, printed normalized.
 *
 * <p>Parsing accepts every spelling PEP 440's normalization section allows (case, a leading {@code v}, {@code alpha}/
 * {@code beta}/{@code c}/{@code pre}/{@code preview} for pre-releases, {@code rev}/{@code r} and {@code 1.0-1} for
 * post-releases, optional separators and implicit numbers, leading zeros, '-' and '_' in local versions). Equality is
 * the PEP 440 ordering's equality, so {@code 1.0 == 1.0.0} and {@code 1.0RC1 == 1.0rc1}; the local segment takes part
 * in it ({@code 1.0+a != 1.0}).
 */
public final class Version implements Comparable<Version> {
  // The regular expression of PEP 440 appendix B (as the 'packaging' library uses it), case-insensitive, with the
  // repeated groups of the release and local segments written as character runs: Java matches a repeated group
  // recursively, so a version of many thousand parts would exhaust the stack. The runs are checked for empty parts
  // after the match.
  private static final Pattern VERSION = Pattern.compile(
      "\\s*v?"
          + "(?:(?<epoch>[0-9]+)!)?"
          + "(?<release>[0-9](?:[0-9.]*[0-9])?)"
          + "(?<pre>[-_.]?(?<preL>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<preN>[0-9]+)?)?"
          + "(?<post>(?:-(?<postN1>[0-9]+))|(?:[-_.]?(?<postL>post|rev|r)[-_.]?(?<postN2>[0-9]+)?))?"
          + "(?<dev>[-_.]?(?<devL>dev)[-_.]?(?<devN>[0-9]+)?)?"
          + "(?:\\+(?<local>[a-z0-9](?:[-_.a-z0-9]*[a-z0-9])?))?"
          + "\\s*",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern EMPTY_PART = Pattern.compile("[-_.][-_.]");
  /** Numbers up to 18 digits fit a long with room for the increments of {@link #bump}. */
  static final int MAX_DIGITS = 18;
  static final String TOO_LARGE = "Version number too large: envforge reads numbers of at most " + MAX_DIGITS
      + " digits";

  /** The pre-release kinds in PEP 440 order. */
  public enum PreKind {
    A("a"), B("b"), RC("rc");

    private final String label;

    PreKind(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** A pre-release segment such as {@code rc1}. */
  public record Pre(PreKind kind, long number) {
    // written out: a record's generated hashCode costs a short command line run its first-use bootstrap
    @Override
    public int hashCode() {
      return kind.ordinal() * 31 + Long.hashCode(number);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Pre p && kind == p.kind && number == p.number;
    }

    @Override
    public String toString() {
      return kind.label() + number;
    }
  }

  private final long epoch;
  private final long[] release;
  private final Pre pre;
  private final Long post;
  private final Long dev;
  /** Local segment parts: BigInteger for numeric parts, lower-case String otherwise; empty when there is none. */
  private final List<Object> local;
  /** The text this version was parsed from, or null for the normalized form; {@code ===} compares it. */
  private final String written;
  private final int hash;

  private Version(long epoch, long[] release, Pre pre, Long post, Long dev, List<Object> local) {
    this(epoch, release, pre, post, dev, local, null);
  }

  private Version(long epoch, long[] release, Pre pre, Long post, Long dev, List<Object> local, String written) {
    this.written = written;
    this.epoch = epoch;
    this.release = release;
    this.pre = pre;
    this.post = post;
    this.dev = dev;
    this.local = local;
    this.hash = computeHash();
  }

  /** @throws PepSyntaxException when the text is not a PEP 440 version */
  public static Version parse(String text) {
    if (text == null) {
      throw new PepSyntaxException("Version is missing", "", 0);
    }
    Version plain = plainRelease(text);
    return plain != null ? plain : parseWithPattern(text);
  }

  /** {@link #parse} by the regular expression alone. */
  static Version parseWithPattern(String text) {
    Matcher m = VERSION.matcher(text);
    if (!m.matches()) {
      int offset = m.lookingAt() ? m.end() : firstNonBlank(text);
      throw new PepSyntaxException("Invalid PEP 440 version", text, offset);
    }
    for (String group : new String[] {"release", "local"}) {
      Matcher empty = m.group(group) == null ? null : EMPTY_PART.matcher(m.group(group));
      if (empty != null && empty.find()) {
        throw new PepSyntaxException("Invalid PEP 440 version", text, m.start(group) + empty.start() + 1);
      }
    }
    long epoch = m.group("epoch") == null ? 0 : number(text, m, "epoch");
    String[] releaseParts = m.group("release").split("\\.");
    long[] release = new long[releaseParts.length];
    int partStart = m.start("release");
    for (int i = 0; i < releaseParts.length; i++) {
      release[i] = number(text, partStart, releaseParts[i]);
      partStart += releaseParts[i].length() + 1;
    }
    Pre pre = null;
    if (m.group("pre") != null) {
      String label = m.group("preL").toLowerCase(Locale.ROOT);
      PreKind kind = switch (label) {
        case "a", "alpha" -> PreKind.A;
        case "b", "beta" -> PreKind.B;
        default -> PreKind.RC; // rc, c, pre, preview
      };
      pre = new Pre(kind, m.group("preN") == null ? 0 : number(text, m, "preN"));
    }
    Long post = null;
    if (m.group("postN1") != null) {
      post = number(text, m, "postN1");
    } else if (m.group("postL") != null) {
      post = m.group("postN2") == null ? 0L : number(text, m, "postN2");
    }
    Long dev = null;
    if (m.group("devL") != null) {
      dev = m.group("devN") == null ? 0L : number(text, m, "devN");
    }
    List<Object> local = List.of();
    if (m.group("local") != null) {
      List<Object> parts = new ArrayList<>();
      for (String part : m.group("local").toLowerCase(Locale.ROOT).split("[-_.]")) {
        // Numeric parts compare as numbers of any size, as in 'packaging'.
        parts.add(part.chars().allMatch(Character::isDigit) ? (Object) new BigInteger(part) : part);
      }
      local = Collections.unmodifiableList(parts);
    }
    return new Version(epoch, release, pre, post, dev, local, text);
  }

  /**
   * The version when the text is only a release segment ({@code 1.26.4}), the form of nearly every version in a lock,
   * read without the regular expression; null for any other text, which {@link #parse} reads in full.
   */
  private static Version plainRelease(String text) {
    int length = text.length();
    int parts = 1;
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (c == '.') {
        if (i == 0 || i == length - 1 || text.charAt(i - 1) == '.') {
          return null;
        }
        parts++;
      } else if (c < '0' || c > '9') {
        return null;
      }
    }
    if (length == 0) {
      return null;
    }
    long[] release = new long[parts];
    int part = 0;
    int start = 0;
    for (int i = 0; i <= length; i++) {
      if (i == length || text.charAt(i) == '.') {
        int first = start;
        while (first < i - 1 && text.charAt(first) == '0') {
          first++;
        }
        if (i - first > MAX_DIGITS) {
          return null; // parse reports it
        }
        release[part++] = Long.parseLong(text, first, i, 10);
        start = i + 1;
      }
    }
    return new Version(0, release, null, null, null, List.of(), text);
  }

  /** Parses the text, or returns null when it is not a PEP 440 version (or has a number over 18 digits). */
  public static Version tryParse(String text) {
    if (text == null || !VERSION.matcher(text).matches()) {
      return null;
    }
    try {
      return parse(text);
    } catch (PepSyntaxException e) {
      return null;
    }
  }

  /** A final version with only a release segment, for example {@code of(1, 2)} is 1.2. */
  public static Version of(long... release) {
    if (release.length == 0) {
      throw new IllegalArgumentException("A version needs at least one release number");
    }
    return new Version(0, release.clone(), null, null, null, List.of());
  }

  private static int firstNonBlank(String text) {
    int i = 0;
    while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    return i;
  }

  private static long number(String text, Matcher m, String group) {
    return number(text, m.start(group), m.group(group));
  }

  private static long number(String text, int offset, String digits) {
    int first = 0;
    while (first < digits.length() - 1 && digits.charAt(first) == '0') {
      first++;
    }
    if (digits.length() - first > MAX_DIGITS) {
      throw new PepSyntaxException(TOO_LARGE, text, offset);
    }
    return Long.parseLong(digits, first, digits.length(), 10);
  }

  public long epoch() {
    return epoch;
  }

  /** The release numbers as written (trailing zeros kept: 1.0 has two). */
  public List<Long> release() {
    List<Long> list = new ArrayList<>(release.length);
    for (long part : release) {
      list.add(part);
    }
    return Collections.unmodifiableList(list);
  }

  /** The release number at {@code index}, 0 past the end (1.2 has micro 0). */
  public long releasePart(int index) {
    return index < release.length ? release[index] : 0;
  }

  public long major() {
    return releasePart(0);
  }

  public long minor() {
    return releasePart(1);
  }

  public long micro() {
    return releasePart(2);
  }

  /** The pre-release segment, or null. */
  public Pre pre() {
    return pre;
  }

  /** The post-release number, or null. */
  public Long post() {
    return post;
  }

  /** The development release number, or null. */
  public Long dev() {
    return dev;
  }

  /** The text as parsed (surrounding whitespace kept), or the normalized form of a version made otherwise. */
  public String text() {
    return written != null ? written : toString();
  }

  /** The normalized local segment without the '+', or null. */
  public String local() {
    if (local.isEmpty()) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    for (Object part : local) {
      if (sb.length() > 0) {
        sb.append('.');
      }
      sb.append(part);
    }
    return sb.toString();
  }

  /** PEP 440: a pre-release is a version with a pre-release or a development release segment. */
  public boolean isPrerelease() {
    return pre != null || dev != null;
  }

  public boolean isPostrelease() {
    return post != null;
  }

  public boolean isDevrelease() {
    return dev != null;
  }

  public boolean isLocal() {
    return !local.isEmpty();
  }

  /** The version without its local segment. */
  public Version publicVersion() {
    return local.isEmpty() ? this : new Version(epoch, release, pre, post, dev, List.of());
  }

  /** Epoch and release only ({@code 1!2.0rc1.post3+x} gives {@code 1!2.0}). */
  public Version baseVersion() {
    return pre == null && post == null && dev == null && local.isEmpty()
        ? this
        : new Version(epoch, release, null, null, null, List.of());
  }

  /** The version this one is a post-release of: no post, dev or local segment (1.0rc1.post2.dev1 gives 1.0rc1). */
  Version postBase() {
    return new Version(epoch, release, pre, null, null, List.of());
  }

  /** This version's lowest pre-release: with {@code .dev0} and no local segment (1.2.post1 gives 1.2.post1.dev0). */
  Version earliestPrerelease() {
    return new Version(epoch, release, pre, post, 0L, List.of());
  }

  /** The version with its release cut or padded with zeros to {@code length} parts and no other segments but epoch. */
  Version releasePrefix(int length) {
    long[] parts = Arrays.copyOf(release, length);
    return new Version(epoch, parts, null, null, null, List.of());
  }

  int releaseLength() {
    return release.length;
  }

  /**
   * This version's epoch and release with the part at {@code index} bumped and the parts after it zeroed, keeping at
   * least as many parts as written (Poetry's next_major of 3.8 is 4.0).
   */
  Version bump(int index) {
    long[] parts = Arrays.copyOf(release, Math.max(index + 1, release.length));
    parts[index]++;
    Arrays.fill(parts, index + 1, parts.length, 0);
    return new Version(epoch, parts, null, null, null, List.of());
  }

  @Override
  public int compareTo(Version o) {
    int c = Long.compare(epoch, o.epoch);
    if (c != 0) {
      return c;
    }
    c = compareRelease(release, o.release);
    if (c != 0) {
      return c;
    }
    c = Long.compare(preKey(), o.preKey());
    if (c != 0) {
      return c;
    }
    if (pre != null && o.pre != null) {
      c = Long.compare(pre.number(), o.pre.number());
      if (c != 0) {
        return c;
      }
    }
    // No post release sorts before any post release.
    c = Long.compare(post == null ? -1 : post, o.post == null ? -1 : o.post);
    if (c != 0) {
      return c;
    }
    // No dev release sorts after any dev release.
    c = Long.compare(dev == null ? Long.MAX_VALUE : dev, o.dev == null ? Long.MAX_VALUE : o.dev);
    if (c != 0) {
      return c;
    }
    return compareLocal(local, o.local);
  }

  /**
   * The rank of the pre-release part: a bare dev release of the release (1.0.dev0) sorts before its pre-releases
   * (1.0a1), which sort before the release itself and its post releases.
   */
  private long preKey() {
    if (pre == null) {
      return post == null && dev != null ? -1 : Integer.MAX_VALUE;
    }
    return pre.kind().ordinal();
  }

  private static int compareRelease(long[] a, long[] b) {
    int n = Math.max(a.length, b.length);
    for (int i = 0; i < n; i++) {
      long x = i < a.length ? a[i] : 0;
      long y = i < b.length ? b[i] : 0;
      if (x != y) {
        return Long.compare(x, y);
      }
    }
    return 0;
  }

  /** PEP 440: numeric local parts sort after alphanumeric ones; a longer local segment with an equal prefix wins. */
  private static int compareLocal(List<Object> a, List<Object> b) {
    int n = Math.min(a.size(), b.size());
    for (int i = 0; i < n; i++) {
      Object x = a.get(i);
      Object y = b.get(i);
      int c;
      if (x instanceof BigInteger xn && y instanceof BigInteger yn) {
        c = xn.compareTo(yn);
      } else if (x instanceof BigInteger) {
        c = 1;
      } else if (y instanceof BigInteger) {
        c = -1;
      } else {
        c = ((String) x).compareTo((String) y);
      }
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  private int computeHash() {
    int end = release.length;
    while (end > 1 && release[end - 1] == 0) {
      end--;
    }
    int h = Long.hashCode(epoch);
    for (int i = 0; i < end; i++) {
      h = 31 * h + Long.hashCode(release[i]);
    }
    h = 31 * h + (pre == null ? 0 : pre.hashCode());
    h = 31 * h + (post == null ? -1 : post.hashCode());
    h = 31 * h + (dev == null ? -1 : dev.hashCode());
    return 31 * h + local.hashCode();
  }

  @Override
  public boolean equals(Object obj) {
    return obj instanceof Version other && hash == other.hash && compareTo(other) == 0;
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /** The normalized form: {@code [N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    if (epoch != 0) {
      sb.append(epoch).append('!');
    }
    for (int i = 0; i < release.length; i++) {
      if (i > 0) {
        sb.append('.');
      }
      sb.append(release[i]);
    }
    if (pre != null) {
      sb.append(pre);
    }
    if (post != null) {
      sb.append(".post").append(post);
    }
    if (dev != null) {
      sb.append(".dev").append(dev);
    }
    if (!local.isEmpty()) {
      sb.append('+').append(local());
    }
    return sb.toString();
  }
}
