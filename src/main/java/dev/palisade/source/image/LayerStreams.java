package dev.palisade.source.image;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** Recognises a layer blob's compression by its first bytes and undoes it. */
final class LayerStreams {
    private static final int BUFFER = 256 * 1024;

    private LayerStreams() {}

    enum Compression {
        NONE,
        GZIP,
        ZSTD
    }

    static Compression sniff(BufferedInputStream in) throws IOException {
        in.mark(8);
        byte[] head = in.readNBytes(4);
        in.reset();
        if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return Compression.GZIP;
        }
        if (head.length == 4
                && (head[0] & 0xff) == 0x28
                && (head[1] & 0xff) == 0xb5
                && (head[2] & 0xff) == 0x2f
                && (head[3] & 0xff) == 0xfd) {
            return Compression.ZSTD;
        }
        if (head.length >= 3 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h') {
            throw new IOException("bzip2-compressed layers are not supported");
        }
        if (head.length >= 4 && (head[0] & 0xff) == 0xfd && head[1] == '7' && head[2] == 'z' && head[3] == 'X') {
            throw new IOException("xz-compressed layers are not supported");
        }
        return Compression.NONE;
    }

    /**
     * The uncompressed tar stream of a layer blob, unbuffered: meant for reads of a large chunk at a
     * time. (A buffer in front would drop the bytes of a read that a decompression error ends.)
     */
    static InputStream uncompressed(InputStream blob) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(blob, BUFFER);
        return switch (sniff(buffered)) {
            case GZIP -> new GZIPInputStream(buffered, BUFFER);
            case ZSTD -> zstd(buffered);
            case NONE -> buffered;
        };
    }

    private static InputStream zstd(InputStream compressed) throws IOException {
        try {
            return new ZstdInputStreamNoFinalizer(compressed);
        } catch (LinkageError e) {
            // zstd-jni's native library did not load (no build for this system, or no place to unpack it)
            throw new IOException("zstd-compressed, and the zstd library cannot be loaded here: " + e.getMessage());
        }
    }
}
