package dev.envforge.core.assemble;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/** Where assembled blobs go, and the layer cache: an OCI image layout on disk, or a registry. */
public interface BlobStore {
  /** Whether the blob is there already (then it is not written again). */
  boolean has(String digest) throws IOException;

  /** Stores a blob from a file whose digest the caller computed. */
  void put(Path file, String digest, long size) throws IOException;

  /** The layer made earlier for this key, if the store remembers one. */
  Optional<Descriptor> cachedLayer(LayerKey key) throws IOException;

  /** Says which keys {@link #cachedLayer} will be asked for, so a store can look them up ahead, together. */
  default void lookAhead(java.util.List<LayerKey> keys) throws IOException {
  }

  /**
   * The size of the one wheel of a cached single-package layer, when the store recorded it; asked after
   * {@link #lookAhead} of the key.
   */
  default OptionalLong cachedWheelSize(LayerKey key) throws IOException {
    return OptionalLong.empty();
  }

  /**
   * Remembers the layer of a key (a tag in a registry's cache repository, which also keeps the blob from GC) and, for
   * a single-package layer, the size of its wheel ({@code -1} for a bucket).
   */
  void rememberLayer(LayerKey key, Descriptor layer, String diffId, long wheelSize) throws IOException;

  /** The diff ID of a cached layer, which the config needs. */
  String cachedDiffId(LayerKey key) throws IOException;

  /** Stores the manifest under a tag and returns its digest. */
  String putManifest(byte[] manifest, String mediaType, String tag) throws IOException;

  /** A content descriptor. */
  record Descriptor(String mediaType, String digest, long size) {}
}
