package dev.envforge.testing;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** The lock-file corpus copied into the test resources (see corpus/README.md there). */
public final class Corpus {
  private Corpus() {}

  /** The folder of a corpus case, such as "poetry-python-poetry-poetry". */
  public static Path dir(String name) {
    URL url = Corpus.class.getResource("/corpus/" + name);
    if (url == null) {
      throw new IllegalArgumentException("no corpus case " + name + " in the test resources");
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
