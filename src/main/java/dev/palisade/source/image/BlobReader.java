package dev.palisade.source.image;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/** Opens the files of an image by their name inside the image's container (a tar or a directory). */
interface BlobReader extends Closeable {
    boolean exists(String name);

    InputStream open(String name) throws IOException;

    /** Where blobs live, for messages: the archive or directory path. */
    String origin();

    static String blobPath(Digest digest) {
        return "blobs/" + digest.algorithm() + "/" + digest.hex();
    }
}
