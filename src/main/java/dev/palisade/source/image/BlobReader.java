package dev.palisade.source.image;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * Opens the files of an image by their name inside the image's container: a tar, a directory, or a
 * registry (which serves an OCI layout's {@code index.json} and {@code blobs/<alg>/<hex>}).
 */
public interface BlobReader extends Closeable {
    boolean exists(String name);

    /** A layer blob, streamed. */
    InputStream open(String name) throws IOException;

    /** A small document: an index, a manifest or a config (a registry serves manifests from their own endpoint). */
    default InputStream openMetadata(String name) throws IOException {
        return open(name);
    }

    /**
     * Whether the next layer's blob may be opened and read a little ahead while the current layer is visited, then
     * left waiting: true for local files; a registry's connection left waiting may be cut by a proxy, so it is
     * opened only when its turn comes.
     */
    default boolean readsAheadSafely() {
        return false;
    }

    /** Where blobs live, for messages: the archive or directory path. */
    String origin();

    static String blobPath(Digest digest) {
        return "blobs/" + digest.algorithm() + "/" + digest.hex();
    }
}
