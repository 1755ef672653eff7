package dev.envforge.core.assemble;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a package layer is made from, hashed: the wheel files' sha256, the layout version of the installer, Python X.Y,
 * the venv prefix and the compression. Equal keys give byte-identical layers, so a layer is looked up by its key (a tag
 * {@code layer-<key>} in the cache repository) and never rebuilt.
 */
public record LayerKey(String hex) {
  /** Bumped whenever {@link WheelInstaller} or {@link LayerWriter} would write other bytes for the same input. */
  public static final int LAYOUT_VERSION = 2;
  public static final String COMPRESSION = "gzip";

  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  /** The key of a layer holding these wheels (one for a package layer, several for a bucket). */
  public static LayerKey of(List<String> wheelSha256s, VenvLayout layout) {
    StringBuilder text = new StringBuilder("envforge-layer\nlayout=" + LAYOUT_VERSION + "\npython="
        + layout.pythonMinor() + "\nprefix=" + layout.prefix() + "\ninstaller=" + layout.installerName()
        + "\ncompression=" + COMPRESSION + "\n");
    wheelSha256s.stream().map(h -> h.toLowerCase(Locale.ROOT)).sorted().forEach(h -> {
      if (!SHA256.matcher(h).matches()) {
        throw new IllegalArgumentException("not a sha256: " + h);
      }
      text.append("wheel=").append(h).append('\n');
    });
    return new LayerKey(HexFormat.of().formatHex(LayerWriter.sha256().digest(
        text.toString().getBytes(StandardCharsets.UTF_8))));
  }

  /** The cache repository's tag of this layer. */
  public String tag() {
    return "layer-" + hex;
  }
}
