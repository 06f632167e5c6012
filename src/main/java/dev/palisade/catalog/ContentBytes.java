package dev.palisade.catalog;

import dev.palisade.source.LimitedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Arrays;

/** Reads a file's content whole, within a limit, into an array of the size its entry announces. */
public final class ContentBytes {
    private ContentBytes() {}

    /**
     * As {@link LimitedInputStream#readAll}, but when the file's size is known and within the limit, the
     * content goes straight into one array of that size: no growing buffer, no copy at the end, no
     * transient double of a large file on the heap. A file that turns out shorter or longer than announced
     * is still read whole and within the limit.
     */
    public static byte[] read(InputStream in, long expectedSize, long limit, String what) throws IOException {
        return read(in, expectedSize, limit, Long.MAX_VALUE, what);
    }

    /**
     * As {@link #read(InputStream, long, long, String)}, trusting the announced size only up to {@code trusted}
     * bytes: a zip's central directory may claim any size for a member whose data is a few bytes, and an array of
     * the claimed size would cost that much for nothing, once per such member.
     */
    public static byte[] read(InputStream in, long expectedSize, long limit, long trusted, String what)
            throws IOException {
        if (expectedSize <= 0 || expectedSize > limit || expectedSize > Integer.MAX_VALUE - 16) {
            return LimitedInputStream.readAll(in, limit, what);
        }
        byte[] bytes = new byte[(int) Math.min(expectedSize, trusted)];
        int n = in.readNBytes(bytes, 0, bytes.length);
        if (n < bytes.length) {
            return Arrays.copyOf(bytes, n);
        }
        int next = in.read();
        if (next < 0) {
            return bytes;
        }
        byte[] start = Arrays.copyOf(bytes, bytes.length + 1);
        start[bytes.length] = (byte) next;
        return LimitedInputStream.readAll(new SequenceInputStream(new ByteArrayInputStream(start), in), limit, what);
    }
}
